package azure

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
)

func TestCloudForEnvironment(t *testing.T) {
	cases := map[string]struct{ authority, endpoint, audience string }{
		"":             {"https://login.microsoftonline.com/", "https://management.azure.com", "https://management.core.windows.net/"},
		"public":       {"https://login.microsoftonline.com/", "https://management.azure.com", "https://management.core.windows.net/"},
		"USGovernment": {"https://login.microsoftonline.us/", "https://management.usgovcloudapi.net", "https://management.core.usgovcloudapi.net/"},
		"china":        {"https://login.chinacloudapi.cn/", "https://management.chinacloudapi.cn", "https://management.core.chinacloudapi.cn/"},
	}
	for name, want := range cases {
		c, err := CloudForEnvironment(name)
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		rm := c.Services[cloud.ResourceManager]
		if c.ActiveDirectoryAuthorityHost != want.authority || rm.Endpoint != want.endpoint || rm.Audience != want.audience {
			t.Errorf("%q: got %+v", name, c)
		}
		if !IsKnownCloud(c) {
			t.Errorf("%q: IsKnownCloud = false", name)
		}
	}
	_, err := CloudForEnvironment("german")
	if err == nil || !strings.Contains(err.Error(), `"german" is not a known Azure environment`) || !strings.Contains(err.Error(), "public, usgovernment, china") {
		t.Errorf("unknown environment: %v", err)
	}
}

// metadataServer serves doc as the cloud metadata document over TLS and
// records the query it was asked with.
func metadataServer(t *testing.T, status int, doc any) (*httptest.Server, *string) {
	t.Helper()
	var query string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/metadata/endpoints" {
			http.NotFound(w, r)
			return
		}
		query = r.URL.RawQuery
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(doc)
	}))
	t.Cleanup(srv.Close)
	return srv, &query
}

func emulatorLikeDoc(base string) map[string]any {
	return map[string]any{
		"name":                     "Custom",
		"resourceManager":          base + "/",
		"microsoftGraphResourceId": base + "/graph/",
		"authentication": map[string]any{
			"loginEndpoint":    base,
			"audiences":        []string{base + "/", "https://second.example/"},
			"tenant":           "common",
			"identityProvider": "AAD",
		},
		"suffixes": map[string]any{"storage": "storage.example"},
	}
}

func TestCloudFromMetadataHost(t *testing.T) {
	srv, query := metadataServer(t, http.StatusOK, nil)
	// Serve a document that names the server's own address.
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*query = r.URL.RawQuery
		_ = json.NewEncoder(w).Encode(emulatorLikeDoc(srv.URL))
	})
	host := strings.TrimPrefix(srv.URL, "https://")

	for _, given := range []string{host, srv.URL, srv.URL + "/"} {
		c, err := CloudFromMetadataHost(context.Background(), srv.Client(), given)
		if err != nil {
			t.Fatalf("%q: %v", given, err)
		}
		if *query != "api-version=2022-09-01" {
			t.Errorf("query = %q, want api-version=2022-09-01", *query)
		}
		if c.ActiveDirectoryAuthorityHost != srv.URL+"/" {
			t.Errorf("authority = %q, want %q (with a trailing slash)", c.ActiveDirectoryAuthorityHost, srv.URL+"/")
		}
		rm := c.Services[cloud.ResourceManager]
		if rm.Endpoint != srv.URL+"/" || rm.Audience != srv.URL+"/" {
			t.Errorf("resource manager = %+v, want endpoint and first audience %q", rm, srv.URL+"/")
		}
		if IsKnownCloud(c) {
			t.Error("a custom cloud counts as known")
		}
	}
}

func TestCloudFromMetadataHostTrustsOnlyTheGivenPool(t *testing.T) {
	srv, _ := metadataServer(t, http.StatusOK, emulatorLikeDoc("https://x.example"))
	// The default client trusts the system pool, which does not hold the
	// test server's certificate.
	_, err := CloudFromMetadataHost(context.Background(), nil, strings.TrimPrefix(srv.URL, "https://"))
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("want a certificate error, got %v", err)
	}
}

func TestCloudFromMetadataHostErrors(t *testing.T) {
	good := emulatorLikeDoc("https://cloud.example")
	mutate := func(f func(m map[string]any)) map[string]any {
		b, _ := json.Marshal(good)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		f(m)
		return m
	}
	cases := []struct {
		name   string
		status int
		doc    any
		want   string
	}{
		{"not found", http.StatusNotFound, map[string]string{"error": "nope"}, "HTTP 404"},
		{"http login", 200, mutate(func(m map[string]any) {
			m["authentication"].(map[string]any)["loginEndpoint"] = "http://login.example/"
		}), `authentication.loginEndpoint is "http://login.example/", want an https URL`},
		{"no resource manager", 200, mutate(func(m map[string]any) { delete(m, "resourceManager") }), `resourceManager is "", want an https URL`},
		{"no audiences", 200, mutate(func(m map[string]any) {
			m["authentication"].(map[string]any)["audiences"] = []string{}
		}), "authentication.audiences is empty"},
		{"adfs", 200, mutate(func(m map[string]any) {
			m["authentication"].(map[string]any)["identityProvider"] = "ADFS"
		}), `identity provider "ADFS" is not supported`},
		{"not json", 200, "just a string", "not a metadata document"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := metadataServer(t, tc.status, tc.doc)
			_, err := CloudFromMetadataHost(context.Background(), srv.Client(), strings.TrimPrefix(srv.URL, "https://"))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want it to contain %q", err, tc.want)
			}
			if !strings.Contains(err.Error(), "/metadata/endpoints?api-version=2022-09-01") {
				t.Errorf("error does not say which URL: %v", err)
			}
		})
	}
}

func TestCloudFromMetadataList(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode([]any{emulatorLikeDoc("https://other.example"), emulatorLikeDoc(srv.URL)})
	}))
	defer srv.Close()
	c, err := CloudFromMetadataHost(context.Background(), srv.Client(), strings.TrimPrefix(srv.URL, "https://"))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Services[cloud.ResourceManager].Endpoint; got != srv.URL+"/" {
		t.Errorf("picked %q from the list, want the entry for the host itself", got)
	}
}

func TestNormaliseHost(t *testing.T) {
	for in, want := range map[string]string{
		"management.azure.com":            "management.azure.com",
		"127.0.0.1:8443":                  "127.0.0.1:8443",
		"https://127.0.0.1:8443/":         "127.0.0.1:8443",
		" management.azure.com/ ":         "management.azure.com",
		"http://127.0.0.1:8443":           "",
		"https://host/metadata/endpoints": "",
		"host/path":                       "",
		"":                                "",
	} {
		got, err := normaliseHost(in)
		if want == "" {
			if err == nil {
				t.Errorf("%q: got %q, want an error", in, got)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("%q: got %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestResolveCloudNamesTheSetting(t *testing.T) {
	_, err := ResolveCloud(context.Background(), Config{Environment: "mars"}, nil)
	if err == nil || !strings.HasPrefix(err.Error(), "environment (or ARM_ENVIRONMENT): ") {
		t.Errorf("got %v", err)
	}
	_, err = ResolveCloud(context.Background(), Config{MetadataHost: "http://x"}, nil)
	if err == nil || !strings.HasPrefix(err.Error(), "metadata_host (or ARM_METADATA_HOSTNAME): ") {
		t.Errorf("got %v", err)
	}
}
