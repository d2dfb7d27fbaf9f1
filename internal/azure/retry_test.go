package azure

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// staticCredential hands out a fixed token.
type staticCredential struct{}

func (staticCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "static", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func testClients(t *testing.T, srv *httptest.Server, c Config) *Clients {
	t.Helper()
	cl := cloud.Configuration{
		ActiveDirectoryAuthorityHost: srv.URL + "/",
		Services:                     map[cloud.ServiceName]cloud.ServiceConfiguration{cloud.ResourceManager: {Endpoint: srv.URL, Audience: srv.URL + "/"}},
	}
	base := policy.ClientOptions{Retry: RetryOptions(), Transport: srv.Client()}
	return NewClientsWithCredential(cl, staticCredential{}, AuthClientSecret, c, base)
}

const vnetJSON = `{"id":"/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v","name":"v","properties":{"addressSpace":{"addressPrefixes":["10.0.0.0/16"]}}}`

func TestPipelineRetriesThrottlingAfterTheServersWait(t *testing.T) {
	var calls atomic.Int32
	var first, second time.Time
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch calls.Add(1) {
		case 1:
			first = time.Now()
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"error":{"code":"TooManyRequests","message":"slow down"}}`))
		default:
			second = time.Now()
			_, _ = w.Write([]byte(vnetJSON))
		}
	}))
	defer srv.Close()
	vc, err := testClients(t, srv, Config{}).VirtualNetworks(context.Background(), "s")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := vc.Get(context.Background(), "g", "v", nil)
	if err != nil {
		t.Fatal(err)
	}
	if *resp.Name != "v" || calls.Load() != 2 {
		t.Fatalf("name %q after %d calls", *resp.Name, calls.Load())
	}
	if d := second.Sub(first); d < 900*time.Millisecond {
		t.Errorf("retried after %s, but the server asked for 1s", d)
	}
}

func TestPipelineLeavesClientErrorsToTheCaller(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":{"code":"ReferencedResourceNotProvisioned","message":"busy"}}`))
	}))
	defer srv.Close()
	vc, _ := testClients(t, srv, Config{}).VirtualNetworks(context.Background(), "s")
	_, err := vc.Get(context.Background(), "g", "v", nil)
	if err == nil || calls.Load() != 1 {
		t.Fatalf("err %v after %d calls; a 400 is the engine's to retry, once, not the pipeline's", err, calls.Load())
	}
}

func TestRetryOptionsCoverThrottlingAndServerErrors(t *testing.T) {
	o := RetryOptions()
	for _, code := range []int{408, 429, 500, 502, 503, 504} {
		found := false
		for _, c := range o.StatusCodes {
			found = found || c == code
		}
		if !found {
			t.Errorf("status %d is not retried", code)
		}
	}
	if o.MaxRetryDelay < 30*time.Second {
		t.Errorf("MaxRetryDelay %s would refuse ordinary Retry-After values", o.MaxRetryDelay)
	}
}
