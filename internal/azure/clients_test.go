package azure

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

func TestNetworkFactoryIsCachedPerSubscription(t *testing.T) {
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	defer srv.Close()
	c := testClients(t, srv, Config{})
	f1, err := c.Network(context.Background(), "AAAA")
	if err != nil {
		t.Fatal(err)
	}
	f2, _ := c.Network(context.Background(), "aaaa")
	f3, _ := c.Network(context.Background(), "bbbb")
	if f1 != f2 || f1 == f3 {
		t.Errorf("factories: same subscription shared %v, different subscriptions distinct %v", f1 == f2, f1 != f3)
	}
	if _, err := c.Network(context.Background(), " "); err == nil {
		t.Error("an empty subscription ID was accepted")
	}
}

func TestClientsCallTheRightSubscriptionWithAuxiliaryTokens(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	var aux, ua string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		aux, ua = r.Header.Get("x-ms-authorization-auxiliary"), r.Header.Get("User-Agent")
		mu.Unlock()
		_, _ = w.Write([]byte(vnetJSON))
	}))
	defer srv.Close()
	c := testClients(t, srv, Config{AuxiliaryTenantIDs: []string{"tenant-two"}})
	c.options.Telemetry.ApplicationID = applicationID("peerlab/1.2.3 with spaces and more")
	vc, _ := c.VirtualNetworks(context.Background(), "sub-two")
	if _, err := vc.Get(context.Background(), "g", "v", nil); err != nil {
		t.Fatal(err)
	}
	// With auxiliary tenants the subscription's tenant is probed first.
	if len(paths) != 2 || paths[0] != "/subscriptions/sub-two" || !strings.HasPrefix(paths[1], "/subscriptions/sub-two/resourceGroups/g/") {
		t.Errorf("paths %v", paths)
	}
	if aux != "Bearer static" {
		t.Errorf("x-ms-authorization-auxiliary = %q, want the auxiliary tenant's token", aux)
	}
	if !strings.HasPrefix(ua, "peerlab/1.2.3-with-space") {
		t.Errorf("User-Agent %q", ua)
	}
}

func TestApplicationID(t *testing.T) {
	if got := applicationID("terraform-provider-peerlab/0.1.0-dev"); len(got) > 24 || strings.Contains(got, " ") {
		t.Errorf("%q", got)
	}
}
