package azure

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

const (
	testTenant = "00000000-0000-0000-0000-0000000000aa"
	testClient = "00000000-0000-0000-0000-0000000000bb"
	testSecret = "s3cr3t-value-never-printed"
)

func TestSelectAuth(t *testing.T) {
	ids := Config{TenantID: testTenant, ClientID: testClient}
	with := func(f func(c *Config)) Config { c := ids; f(&c); return c }
	cases := []struct {
		name    string
		cfg     Config
		want    AuthMethod
		wantErr []string
	}{
		{"secret", with(func(c *Config) { c.ClientSecret = testSecret }), AuthClientSecret, nil},
		{"certificate wins over secret", with(func(c *Config) { c.ClientSecret = testSecret; c.ClientCertificatePath = "/c.pfx" }), AuthClientCertificate, nil},
		{"secret wins over oidc and cli", with(func(c *Config) { c.ClientSecret = testSecret; c.UseOIDC = true; c.OIDCToken = "t"; c.UseCLI = true }), AuthClientSecret, nil},
		{"oidc token", with(func(c *Config) { c.UseOIDC = true; c.OIDCToken = "t" }), AuthOIDCToken, nil},
		{"oidc file", with(func(c *Config) { c.UseOIDC = true; c.OIDCTokenFilePath = "/t" }), AuthOIDCTokenFile, nil},
		{"oidc request", with(func(c *Config) { c.UseOIDC = true; c.OIDCRequestURL = "https://x"; c.OIDCRequestToken = "r" }), AuthOIDCRequest, nil},
		{"oidc token without use_oidc is ignored", with(func(c *Config) { c.OIDCToken = "t"; c.UseCLI = true }), AuthAzureCLI, nil},
		{"msi", Config{UseMSI: true, UseCLI: true}, AuthManagedIdentity, nil},
		{"cli", Config{UseCLI: true}, AuthAzureCLI, nil},
		{"secret without tenant", Config{ClientID: testClient, ClientSecret: testSecret}, AuthClientSecret,
			[]string{"tenant_id (or ARM_TENANT_ID)"}},
		{"secret without ids", Config{ClientSecret: testSecret}, AuthClientSecret,
			[]string{"tenant_id (or ARM_TENANT_ID) and client_id (or ARM_CLIENT_ID)"}},
		{"certificate without client", Config{TenantID: testTenant, ClientCertificatePath: "/c"}, AuthClientCertificate,
			[]string{"client_id (or ARM_CLIENT_ID)"}},
		{"oidc without token", with(func(c *Config) { c.UseOIDC = true }), AuthOIDCToken,
			[]string{"oidc_token (or ARM_OIDC_TOKEN)", "oidc_token_file_path (or ARM_OIDC_TOKEN_FILE_PATH)", "oidc_request_url (or ARM_OIDC_REQUEST_URL)", "oidc_request_token (or ARM_OIDC_REQUEST_TOKEN)"}},
		{"oidc url without token", with(func(c *Config) { c.UseOIDC = true; c.OIDCRequestURL = "https://x" }), AuthOIDCRequest,
			[]string{"needs oidc_request_token (or ARM_OIDC_REQUEST_TOKEN)"}},
		{"nothing", Config{}, "",
			[]string{"no way to sign in", "client_secret (or ARM_CLIENT_SECRET)", "use_cli (or ARM_USE_CLI)", "use_msi (or ARM_USE_MSI)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SelectAuth(tc.cfg)
			if got != tc.want {
				t.Errorf("method = %q, want %q", got, tc.want)
			}
			if len(tc.wantErr) == 0 {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("want an error mentioning %q", tc.wantErr)
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if strings.Contains(err.Error(), testSecret) {
				t.Errorf("error contains the secret: %v", err)
			}
		})
	}
}

// fakeEntra is a minimal Entra ID over TLS: OpenID discovery and a token
// endpoint that records the forms it was sent.
type fakeEntra struct {
	srv   *httptest.Server
	mu    sync.Mutex
	forms []url.Values
	paths []string
}

func newFakeEntra(t *testing.T) *fakeEntra {
	f := &fakeEntra{}
	f.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.paths = append(f.paths, r.Method+" "+r.URL.Path)
		f.mu.Unlock()
		base := f.srv.URL
		parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/v2.0/.well-known/openid-configuration"):
			tenant := parts[0]
			_ = json.NewEncoder(w).Encode(map[string]any{
				"issuer":                 base + "/" + tenant + "/v2.0",
				"authorization_endpoint": base + "/" + tenant + "/oauth2/v2.0/authorize",
				"token_endpoint":         base + "/" + tenant + "/oauth2/v2.0/token",
				"jwks_uri":               base + "/" + tenant + "/discovery/v2.0/keys",
			})
		case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/oauth2/v2.0/token"):
			_ = r.ParseForm()
			f.mu.Lock()
			f.forms = append(f.forms, r.PostForm)
			f.mu.Unlock()
			_ = json.NewEncoder(w).Encode(map[string]any{"token_type": "Bearer", "expires_in": 3600, "access_token": "token-for-" + parts[0]})
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeEntra) cloud() cloud.Configuration {
	return cloud.Configuration{
		ActiveDirectoryAuthorityHost: f.srv.URL + "/",
		Services:                     map[cloud.ServiceName]cloud.ServiceConfiguration{cloud.ResourceManager: {Endpoint: f.srv.URL, Audience: f.srv.URL + "/"}},
	}
}

func (f *fakeEntra) options() CredentialOptions {
	return CredentialOptions{Cloud: f.cloud(), HTTPClient: f.srv.Client(), ClientOptions: azcore.ClientOptions{Transport: f.srv.Client()}}
}

func TestClientSecretCredentialAgainstCustomCloud(t *testing.T) {
	f := newFakeEntra(t)
	cfg := Config{TenantID: testTenant, ClientID: testClient, ClientSecret: testSecret, AuxiliaryTenantIDs: []string{"other-tenant"}}
	cred, m, err := NewCredential(cfg, f.options())
	if err != nil || m != AuthClientSecret {
		t.Fatalf("NewCredential: %v, %q", err, m)
	}
	if _, ok := cred.(*azidentity.ClientSecretCredential); !ok {
		t.Fatalf("credential is %T", cred)
	}
	tok, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{f.srv.URL + "//.default"}})
	if err != nil {
		// With instance discovery on, MSAL would first ask Microsoft's
		// public login host, which this test cannot reach.
		t.Fatalf("GetToken: %v (paths %v)", err, f.paths)
	}
	if tok.Token != "token-for-"+testTenant {
		t.Errorf("token %q", tok.Token)
	}
	form := f.forms[len(f.forms)-1]
	if form.Get("client_id") != testClient || form.Get("client_secret") != testSecret || form.Get("grant_type") != "client_credentials" {
		t.Errorf("token form %v", form)
	}
	// An auxiliary tenant is allowed, so cross-tenant tokens can be had.
	if _, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{f.srv.URL + "//.default"}, TenantID: "other-tenant"}); err != nil {
		t.Errorf("token for an auxiliary tenant: %v", err)
	}
	if _, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{f.srv.URL + "//.default"}, TenantID: "unlisted"}); err == nil {
		t.Error("a token for a tenant that is not auxiliary was issued")
	}
}

func TestOIDCCredentials(t *testing.T) {
	f := newFakeEntra(t)
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte("file-assertion\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var gotAuth, gotAudience string
	ci := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth, gotAudience = r.Header.Get("Authorization"), r.URL.Query().Get("audience")
		_ = json.NewEncoder(w).Encode(map[string]string{"value": "requested-assertion"})
	}))
	defer ci.Close()

	cases := []struct {
		name string
		cfg  Config
		want string
	}{
		{"token", Config{UseOIDC: true, OIDCToken: "literal-assertion"}, "literal-assertion"},
		{"file", Config{UseOIDC: true, OIDCTokenFilePath: tokenFile}, "file-assertion"},
		{"request", Config{UseOIDC: true, OIDCRequestURL: ci.URL + "/token?api-version=1", OIDCRequestToken: "ci-request-token"}, "requested-assertion"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.TenantID, tc.cfg.ClientID = testTenant, testClient
			opts := f.options()
			opts.HTTPClient = ci.Client()
			cred, _, err := NewCredential(tc.cfg, opts)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{f.srv.URL + "//.default"}}); err != nil {
				t.Fatalf("GetToken: %v", err)
			}
			form := f.forms[len(f.forms)-1]
			if form.Get("client_assertion") != tc.want || form.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
				t.Errorf("form %v, want assertion %q", form, tc.want)
			}
		})
	}
	if gotAuth != "Bearer ci-request-token" || gotAudience != "api://AzureADTokenExchange" {
		t.Errorf("token request had Authorization %q and audience %q", gotAuth, gotAudience)
	}
}

func TestOIDCRequestFailureHidesTheBody(t *testing.T) {
	ci := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "bad token ci-request-token", http.StatusUnauthorized)
	}))
	defer ci.Close()
	_, err := requestOIDCToken(context.Background(), ci.Client(), ci.URL, "ci-request-token")
	if err == nil || !strings.Contains(err.Error(), "HTTP 401") || strings.Contains(err.Error(), "ci-request-token") {
		t.Errorf("got %v", err)
	}
}

func TestCertificateErrorsNameTheSetting(t *testing.T) {
	cfg := Config{TenantID: testTenant, ClientID: testClient, ClientCertificatePath: filepath.Join(t.TempDir(), "missing.pfx"), ClientCertificatePassword: "pfx-password"}
	_, _, err := NewCredential(cfg, CredentialOptions{Cloud: knownClouds["public"]})
	if err == nil || !strings.Contains(err.Error(), "client_certificate_path (or ARM_CLIENT_CERTIFICATE_PATH)") {
		t.Fatalf("got %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.pfx")
	_ = os.WriteFile(bad, []byte("not a certificate"), 0o600)
	cfg.ClientCertificatePath = bad
	_, _, err = NewCredential(cfg, CredentialOptions{Cloud: knownClouds["public"]})
	if err == nil || strings.Contains(err.Error(), "pfx-password") || !strings.Contains(err.Error(), "client_certificate_password (or ARM_CLIENT_CERTIFICATE_PASSWORD)") {
		t.Fatalf("got %v", err)
	}
}

func TestCredentialTypes(t *testing.T) {
	cred, _, err := NewCredential(Config{UseCLI: true, TenantID: testTenant}, CredentialOptions{Cloud: knownClouds["public"]})
	if _, ok := cred.(*azidentity.AzureCLICredential); err != nil || !ok {
		t.Errorf("cli: %T, %v", cred, err)
	}
	cred, _, err = NewCredential(Config{UseMSI: true, ClientID: testClient}, CredentialOptions{Cloud: knownClouds["public"]})
	if _, ok := cred.(*azidentity.ManagedIdentityCredential); err != nil || !ok {
		t.Errorf("msi: %T, %v", cred, err)
	}
}
