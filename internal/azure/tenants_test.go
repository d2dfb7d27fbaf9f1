package azure

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

func TestTenantFromWrongTenantAnswer(t *testing.T) {
	msg := `{"error":{"code":"InvalidAuthenticationTokenTenant","message":"The access token is from the wrong issuer 'https://sts.windows.net/aaaa-1/'. It must match the tenant 'https://sts.windows.net/bbbb-2/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/bbbb-2' to get the token."}}`
	if got := TenantFromWrongTenantAnswer(http.Header{}, []byte(msg)); got != "bbbb-2" {
		t.Errorf("from the message: %q", got)
	}
	h := http.Header{"Www-Authenticate": {`Bearer authorization_uri="https://login.windows.net/cccc-3", error="invalid_token"`}}
	if got := TenantFromWrongTenantAnswer(h, []byte(`{}`)); got != "cccc-3" {
		t.Errorf("from the header: %q", got)
	}
	common := http.Header{"Www-Authenticate": {`Bearer authorization_uri="https://login.microsoftonline.com/common"`}}
	if got := TenantFromWrongTenantAnswer(common, []byte(`not json`)); got != "" {
		t.Errorf("common is no tenant: %q", got)
	}
}

// tenantRecorder hands out tokens named after the tenant asked for.
type tenantRecorder struct {
	mu    sync.Mutex
	asked []string
}

func (r *tenantRecorder) GetToken(_ context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	r.mu.Lock()
	r.asked = append(r.asked, o.TenantID)
	r.mu.Unlock()
	tenant := o.TenantID
	if tenant == "" {
		tenant = "home"
	}
	return azcore.AccessToken{Token: "token-" + tenant, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func TestSubscriptionOfAnAuxiliaryTenantIsCalledWithItsOwnToken(t *testing.T) {
	// s-home belongs to the home tenant, s-partner to "partner".
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth, aux := r.Header.Get("Authorization"), r.Header.Get("x-ms-authorization-auxiliary")
		mu.Lock()
		seen = append(seen, r.URL.Path+" "+auth+" aux="+aux)
		mu.Unlock()
		if strings.HasPrefix(r.URL.Path, "/subscriptions/s-partner") && auth != "Bearer token-partner" {
			w.Header().Set("WWW-Authenticate", `Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token"`)
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":{"code":"InvalidAuthenticationTokenTenant","message":"The access token is from the wrong issuer 'https://sts.windows.net/home/'. It must match the tenant 'https://sts.windows.net/partner/' associated with this subscription."}}`)
			return
		}
		_, _ = w.Write([]byte(vnetJSON))
	}))
	defer srv.Close()
	c := testClients(t, srv, Config{TenantID: "home", AuxiliaryTenantIDs: []string{"partner"}})
	rec := &tenantRecorder{}
	c.Credential = rec

	for _, sub := range []string{"s-home", "s-partner"} {
		vc, err := c.VirtualNetworks(context.Background(), sub)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := vc.Get(context.Background(), "g", "v", nil); err != nil {
			t.Fatalf("%s: %v\n%s", sub, err, strings.Join(seen, "\n"))
		}
	}
	last := seen[len(seen)-1]
	if !strings.Contains(last, "/subscriptions/s-partner/resourceGroups/g") || !strings.Contains(last, "Bearer token-partner") || !strings.Contains(last, "aux=Bearer token-home") {
		t.Errorf("partner call: %s", last)
	}
	for _, s := range seen {
		if strings.Contains(s, "/subscriptions/s-home/resourceGroups") && !strings.Contains(s, "Bearer token-home aux=Bearer token-partner") {
			t.Errorf("home call: %s", s)
		}
	}
	// The probe runs once per subscription.
	vc, _ := c.VirtualNetworks(context.Background(), "S-PARTNER")
	_, _ = vc.Get(context.Background(), "g", "v", nil)
	probes := 0
	for _, s := range seen {
		if strings.HasSuffix(strings.Fields(s)[0], "/subscriptions/s-partner") {
			probes++
		}
	}
	if probes != 1 {
		t.Errorf("%d probes of s-partner:\n%s", probes, strings.Join(seen, "\n"))
	}
}

func TestNoProbeWithoutAuxiliaryTenants(t *testing.T) {
	calls := 0
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		_, _ = w.Write([]byte(vnetJSON))
	}))
	defer srv.Close()
	c := testClients(t, srv, Config{TenantID: "home"})
	if _, err := c.Network(context.Background(), "s"); err != nil || calls != 0 {
		t.Errorf("%v after %d calls", err, calls)
	}
}
