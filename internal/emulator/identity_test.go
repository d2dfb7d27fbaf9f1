package emulator_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources/v3"
	"github.com/golang-jwt/jwt/v5"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/identity"
)

func TestMetadataDocumentHasWhatAzurermNeeds(t *testing.T) {
	e := start(t, emulator.Options{})
	a := call(t, e, http.MethodGet, "/metadata/endpoints?api-version=2022-09-01", "", "")
	if a.Status != http.StatusOK {
		t.Fatalf("metadata: %d %s", a.Status, a.Raw)
	}
	if a.Body["name"] == "" || a.Body["resourceManager"] != e.URL+"/" || a.Body["microsoftGraphResourceId"] == nil {
		t.Errorf("metadata lacks name/resourceManager/microsoftGraphResourceId: %s", a.Raw)
	}
	auth, _ := a.Body["authentication"].(map[string]any)
	if auth["loginEndpoint"] != e.URL+"/" || auth["identityProvider"] != "AAD" || auth["tenant"] != "common" {
		t.Errorf("authentication block wrong: %v", auth)
	}
	if aud, _ := auth["audiences"].([]any); len(aud) == 0 || aud[0] != e.URL+"/" {
		t.Errorf("audiences: %v", auth["audiences"])
	}
	if s, _ := a.Body["suffixes"].(map[string]any); s["storage"] == nil || s["keyVaultDns"] == nil {
		t.Errorf("suffixes lack storage/keyVaultDns: %v", s)
	}
	if a := call(t, e, http.MethodGet, "/metadata/endpoints", "", ""); a.Status != http.StatusBadRequest {
		t.Errorf("metadata without api-version: want 400, got %d", a.Status)
	}
}

func TestTokenCarriesAppClaimsAndOpensARM(t *testing.T) {
	e := start(t, emulator.Options{})
	c := e.Credentials()
	raw := token(t, e)
	var claims identity.Claims
	if _, _, err := jwt.NewParser().ParseUnverified(raw, &claims); err != nil {
		t.Fatal(err)
	}
	if claims.TenantID != c.TenantID || claims.AppID != c.ClientID || claims.ObjectID == "" {
		t.Errorf("claims tid=%q appid=%q oid=%q", claims.TenantID, claims.AppID, claims.ObjectID)
	}
	if len(claims.Audience) != 1 || claims.Audience[0] != e.URL+"/" {
		t.Errorf("aud = %v, want %s/", claims.Audience, e.URL)
	}
	if exp := time.Until(claims.ExpiresAt.Time); exp < 50*time.Minute || exp > 61*time.Minute {
		t.Errorf("token lifetime %v, want about an hour", exp)
	}

	cred, _ := e.Credential("", "", "")
	rg, err := armresources.NewResourceGroupsClient(c.SubscriptionID, cred, e.ClientOptions())
	if err != nil {
		t.Fatal(err)
	}
	got, err := rg.CreateOrUpdate(ctx(t), "idtest", armresources.ResourceGroup{Location: to.Ptr("eastus")}, nil)
	if err != nil {
		t.Fatalf("creating a group with the SDK: %v", err)
	}
	if *got.Name != "idtest" || *got.Properties.ProvisioningState != "Succeeded" {
		t.Errorf("group: %+v", got)
	}
}

func TestTokenEndpointRefusesBadCredentialsWithoutEchoingThem(t *testing.T) {
	e := start(t, emulator.Options{})
	c := e.Credentials()
	bad := "not-the-secret-" + strings.Repeat("x", 10)
	cred, err := e.Credential("", c.ClientID, bad)
	if err != nil {
		t.Fatal(err)
	}
	_, err = cred.GetToken(ctx(t), policy.TokenRequestOptions{Scopes: []string{e.URL + "/.default"}})
	if err == nil || !strings.Contains(err.Error(), "AADSTS7000215") {
		t.Fatalf("want AADSTS7000215 for a wrong secret, got %v", err)
	}
	if strings.Contains(err.Error(), bad) {
		t.Errorf("the error echoes the secret: %v", err)
	}

	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"00000000-0000-0000-0000-000000000000"}, "client_secret": {"x"}, "scope": {e.URL + "/.default"}}
	resp, err := e.HTTPClient().PostForm(e.URL+"/"+c.TenantID+"/oauth2/v2.0/token", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown client: want 400, got %d", resp.StatusCode)
	}
	resp, err = e.HTTPClient().PostForm(e.URL+"/11111111-2222-3333-4444-555555555555/oauth2/v2.0/token", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown tenant: want 400, got %d", resp.StatusCode)
	}
}

func TestARMAuthentication(t *testing.T) {
	e := start(t, emulator.Options{})
	sub := e.Credentials().SubscriptionID
	path := "/subscriptions/" + sub + "/resourcegroups" + rgAPI

	if a := call(t, e, http.MethodGet, path, "", ""); a.Status != http.StatusUnauthorized || a.errorCode() != "AuthenticationFailed" {
		t.Errorf("no token: want 401 AuthenticationFailed, got %d %s", a.Status, a.Raw)
	}
	if a := call(t, e, http.MethodGet, path, "garbage", ""); a.Status != http.StatusUnauthorized || a.errorCode() != "InvalidAuthenticationToken" {
		t.Errorf("bad token: want 401 InvalidAuthenticationToken, got %d %s", a.Status, a.Raw)
	}
	// A Graph token is a valid token for another audience.
	cred, _ := e.Credential("", "", "")
	graph, err := cred.GetToken(ctx(t), policy.TokenRequestOptions{Scopes: []string{e.URL + identity.GraphPath + ".default"}})
	if err != nil {
		t.Fatal(err)
	}
	if a := call(t, e, http.MethodGet, path, graph.Token, ""); a.Status != http.StatusUnauthorized || a.errorCode() != "InvalidAuthenticationToken" {
		t.Errorf("graph token on ARM: want 401 InvalidAuthenticationToken, got %d %s", a.Status, a.Raw)
	}
	// A token of the second tenant on a subscription of the first.
	other, _ := e.Credential(identity.SecondTenantID, "", "")
	tok2, err := other.GetToken(ctx(t), policy.TokenRequestOptions{Scopes: []string{e.URL + "/.default"}})
	if err != nil {
		t.Fatal(err)
	}
	if a := call(t, e, http.MethodGet, path, tok2.Token, ""); a.Status != http.StatusUnauthorized || a.errorCode() != "InvalidAuthenticationTokenTenant" {
		t.Errorf("wrong tenant: want 401 InvalidAuthenticationTokenTenant, got %d %s", a.Status, a.Raw)
	}
	if a := call(t, e, http.MethodGet, "/subscriptions/"+identity.SecondTenantSubscriptionID+"/resourcegroups"+rgAPI, tok2.Token, ""); a.Status != http.StatusOK {
		t.Errorf("second tenant's own subscription: want 200, got %d %s", a.Status, a.Raw)
	}
	if a := call(t, e, http.MethodGet, "/subscriptions/99999999-0000-0000-0000-000000000000/resourcegroups"+rgAPI, token(t, e), ""); a.Status != http.StatusNotFound || a.errorCode() != "SubscriptionNotFound" {
		t.Errorf("unknown subscription: want 404 SubscriptionNotFound, got %d %s", a.Status, a.Raw)
	}
}

func TestReaderIsForbiddenToWrite(t *testing.T) {
	e := start(t, emulator.Options{})
	reader, _ := e.Config().PrincipalByClientID(identity.ReaderClientID)
	cred, err := e.Credential("", reader.ClientID, reader.Secret)
	if err != nil {
		t.Fatal(err)
	}
	rg, _ := armresources.NewResourceGroupsClient(e.Credentials().SubscriptionID, cred, e.ClientOptions())
	_, err = rg.CreateOrUpdate(ctx(t), "nope", armresources.ResourceGroup{Location: to.Ptr("eastus")}, nil)
	re := respErr(t, err, http.StatusForbidden, "AuthorizationFailed")
	if !strings.Contains(re.Error(), "Microsoft.Resources/subscriptions/resourceGroups/write") {
		t.Errorf("the message does not name the action: %v", re)
	}
	pager := rg.NewListPager(nil)
	if _, err := pager.NextPage(ctx(t)); err != nil {
		t.Errorf("a reader may list groups: %v", err)
	}
}

func TestWorkloadIdentityFederation(t *testing.T) {
	e := start(t, emulator.Options{})
	c := e.Credentials()
	fetch := func(subject string) string {
		q := "?audience=" + url.QueryEscape(identity.FederatedAudience)
		if subject != "" {
			q += "&subject=" + url.QueryEscape(subject)
		}
		a := call(t, e, http.MethodGet, "/_emulator/oidc/token"+q, e.AdminKey(), "")
		if a.Status != http.StatusOK {
			t.Fatalf("oidc token: %d %s", a.Status, a.Raw)
		}
		return a.Body["value"].(string)
	}
	opts := &azidentity.ClientAssertionCredentialOptions{ClientOptions: policy.ClientOptions{Cloud: e.Cloud(), Transport: e.HTTPClient()}, DisableInstanceDiscovery: true}
	good, err := azidentity.NewClientAssertionCredential(c.TenantID, c.ClientID, func(context.Context) (string, error) { return fetch(""), nil }, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := good.GetToken(ctx(t), policy.TokenRequestOptions{Scopes: []string{e.URL + "/.default"}}); err != nil {
		t.Errorf("federated token with the trusted subject: %v", err)
	}
	bad, _ := azidentity.NewClientAssertionCredential(c.TenantID, c.ClientID, func(context.Context) (string, error) { return fetch("someone-else"), nil }, opts)
	if _, err := bad.GetToken(ctx(t), policy.TokenRequestOptions{Scopes: []string{e.URL + "/.default"}}); err == nil || !strings.Contains(err.Error(), "AADSTS70021") {
		t.Errorf("untrusted subject: want AADSTS70021, got %v", err)
	}
}

func TestOpenIDDiscovery(t *testing.T) {
	e := start(t, emulator.Options{})
	tid := e.Credentials().TenantID
	a := call(t, e, http.MethodGet, "/"+tid+"/v2.0/.well-known/openid-configuration", "", "")
	if a.Status != http.StatusOK || a.Body["issuer"] != e.URL+"/"+tid+"/v2.0" || a.Body["token_endpoint"] != e.URL+"/"+tid+"/oauth2/v2.0/token" {
		t.Errorf("discovery: %d %s", a.Status, a.Raw)
	}
	keys := call(t, e, http.MethodGet, "/"+tid+"/discovery/v2.0/keys", "", "")
	if k, _ := keys.Body["keys"].([]any); len(k) != 1 {
		t.Errorf("jwks: %s", keys.Raw)
	}
}

func TestClientCertificateAssertion(t *testing.T) {
	dir := t.TempDir()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "peerlab-lab"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	cfg := identity.DefaultConfig()
	cfg.Principals[0].CertificatesPEM = []string{string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))}
	b, _ := json.Marshal(cfg)
	if err := os.WriteFile(filepath.Join(dir, emulator.FileIdentity), b, 0o600); err != nil {
		t.Fatal(err)
	}
	e := start(t, emulator.Options{DataDir: dir})
	c := e.Credentials()
	opts := &azidentity.ClientCertificateCredentialOptions{ClientOptions: policy.ClientOptions{Cloud: e.Cloud(), Transport: e.HTTPClient()}, DisableInstanceDiscovery: true}
	cred, err := azidentity.NewClientCertificateCredential(c.TenantID, c.ClientID, []*x509.Certificate{cert}, key, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cred.GetToken(ctx(t), policy.TokenRequestOptions{Scopes: []string{e.URL + "/.default"}}); err != nil {
		t.Errorf("a registered certificate must get a token: %v", err)
	}
	// The reader has no certificate registered: the same key is refused.
	reader, _ := e.Config().PrincipalByClientID(identity.ReaderClientID)
	cred2, _ := azidentity.NewClientCertificateCredential(c.TenantID, reader.ClientID, []*x509.Certificate{cert}, key, opts)
	if _, err := cred2.GetToken(ctx(t), policy.TokenRequestOptions{Scopes: []string{e.URL + "/.default"}}); err == nil || !strings.Contains(err.Error(), "AADSTS700027") {
		t.Errorf("an unregistered certificate: want AADSTS700027, got %v", err)
	}
}
