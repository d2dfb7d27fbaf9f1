package peering

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources/v3"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
)

// labLocation is where the test VNets live; peered VNets share a region.
const labLocation = "westeurope"

// testLab is the in-process emulator that the engine under test talks to
// through the real armnetwork clients. A test sets the scene, injects faults
// and counts calls the way any client would: with ordinary ARM calls and the
// emulator's test-control API.
type testLab struct {
	t *testing.T
	*labServer
}

// labServer is one emulator with a client pipeline for it.
type labServer struct {
	emu  *emulator.Emulator
	http *http.Client
	cred azcore.TokenCredential
	opts *arm.ClientOptions
}

// One emulator serves the package's tests, one test at a time, emptied
// before each: starting one (new keys, new files) costs more than most
// tests take.
var shared struct {
	sync.Mutex // held by the test using the emulator
	server     *labServer
	err        error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if s := shared.server; s != nil {
		s.http.CloseIdleConnections() // idle HTTP/2 connections hold up the shutdown
		_ = s.emu.Close()
	}
	os.Exit(code)
}

// startLabServer starts the emulator. The SDK's own retries are off: the
// engine's retrying is what is tested, and every try reaches the emulator.
func startLabServer() (*labServer, error) {
	emu, err := emulator.Start(emulator.Options{})
	if err != nil {
		return nil, fmt.Errorf("starting the emulator: %w", err)
	}
	s := &labServer{emu: emu, http: emu.HTTPClient(), opts: emu.ClientOptions()}
	s.opts.Transport = s.http
	s.opts.Retry = policy.RetryOptions{MaxRetries: -1}
	// The credential shares the transport, so that closing it closes all.
	c := emu.Credentials()
	s.cred, err = azidentity.NewClientSecretCredential(c.TenantID, c.ClientID, c.ClientSecret, &azidentity.ClientSecretCredentialOptions{
		ClientOptions: policy.ClientOptions{Cloud: emu.Cloud(), Transport: s.http}, DisableInstanceDiscovery: true,
	})
	if err != nil {
		_ = emu.Close()
		return nil, err
	}
	return s, nil
}

// labClients gives the engine armnetwork clients on the emulator.
type labClients struct{ *labServer }

func (c labClients) Peerings(_ context.Context, sub string) (*armnetwork.VirtualNetworkPeeringsClient, error) {
	return armnetwork.NewVirtualNetworkPeeringsClient(sub, c.cred, c.opts)
}

func (c labClients) VirtualNetworks(_ context.Context, sub string) (*armnetwork.VirtualNetworksClient, error) {
	return armnetwork.NewVirtualNetworksClient(sub, c.cred, c.opts)
}

// newTestEngine returns an engine over the emulator, emptied of resources,
// faults and logged calls, with quick polling and backoff and locks of its
// own. The test has the emulator to itself until it ends.
func newTestEngine(t *testing.T) (*Engine, *testLab) {
	t.Helper()
	shared.Lock()
	t.Cleanup(shared.Unlock)
	if shared.server == nil && shared.err == nil {
		shared.server, shared.err = startLabServer()
	}
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	lab := &testLab{t: t, labServer: shared.server}
	lab.admin(http.MethodPost, "/_emulator/reset", nil)
	lab.forgetCalls()
	e := New(labClients{lab.labServer}, Options{
		PollFrequency: time.Millisecond, WaitInterval: time.Millisecond,
		Backoff: func(int) time.Duration { return time.Millisecond }, Locks: &Locks{},
	})
	return e, lab
}

// network is the armnetwork client factory of one subscription.
func (l *testLab) network(sub string) *armnetwork.ClientFactory {
	l.t.Helper()
	f, err := armnetwork.NewClientFactory(sub, l.cred, l.opts)
	if err != nil {
		l.t.Fatal(err)
	}
	return f
}

// vnet creates a VNet (and its resource group) with this address space, or
// resizes it in place, keeping its subnets, when it exists.
func (l *testLab) vnet(id VirtualNetworkID, prefixes ...string) {
	l.t.Helper()
	ctx := l.t.Context()
	groups, err := armresources.NewResourceGroupsClient(id.SubscriptionID, l.cred, l.opts)
	if err != nil {
		l.t.Fatal(err)
	}
	if _, err := groups.CreateOrUpdate(ctx, id.ResourceGroup, armresources.ResourceGroup{Location: to.Ptr(labLocation)}, nil); err != nil {
		l.t.Fatalf("creating resource group %s: %v", id.ResourceGroup, err)
	}
	c := l.network(id.SubscriptionID).NewVirtualNetworksClient()
	v := armnetwork.VirtualNetwork{Location: to.Ptr(labLocation), Properties: &armnetwork.VirtualNetworkPropertiesFormat{}}
	if got, err := c.Get(ctx, id.ResourceGroup, id.Name, nil); err == nil {
		v = got.VirtualNetwork
		v.Properties.VirtualNetworkPeerings = nil // links are children of their own
	} else if !IsNotFound(err) {
		l.t.Fatal(err)
	}
	v.Properties.AddressSpace = &armnetwork.AddressSpace{AddressPrefixes: to.SliceOfPtrs(prefixes...)}
	poller, err := c.BeginCreateOrUpdate(ctx, id.ResourceGroup, id.Name, v, nil)
	if err == nil {
		_, err = poller.PollUntilDone(ctx, &runtime.PollUntilDoneOptions{Frequency: time.Millisecond})
	}
	if err != nil {
		l.t.Fatalf("putting virtual network %s: %v", id, err)
	}
}

// subnet adds a subnet to a VNet.
func (l *testLab) subnet(vnet VirtualNetworkID, name, prefix string) {
	l.t.Helper()
	ctx := l.t.Context()
	s := armnetwork.Subnet{Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: to.Ptr(prefix)}}
	poller, err := l.network(vnet.SubscriptionID).NewSubnetsClient().BeginCreateOrUpdate(ctx, vnet.ResourceGroup, vnet.Name, name, s, nil)
	if err == nil {
		_, err = poller.PollUntilDone(ctx, &runtime.PollUntilDoneOptions{Frequency: time.Millisecond})
	}
	if err != nil {
		l.t.Fatalf("putting subnet %s of %s: %v", name, vnet, err)
	}
}

// gateway gives a VNet a GatewaySubnet with a VPN gateway in it.
func (l *testLab) gateway(vnet VirtualNetworkID, prefix string) {
	l.t.Helper()
	l.subnet(vnet, gatewaySubnet, prefix)
	ctx := l.t.Context()
	body := armnetwork.VirtualNetworkGateway{Location: to.Ptr(labLocation), Properties: &armnetwork.VirtualNetworkGatewayPropertiesFormat{
		GatewayType: to.Ptr(armnetwork.VirtualNetworkGatewayTypeVPN),
		IPConfigurations: []*armnetwork.VirtualNetworkGatewayIPConfiguration{{Name: to.Ptr("default"), Properties: &armnetwork.VirtualNetworkGatewayIPConfigurationPropertiesFormat{
			Subnet: &armnetwork.SubResource{ID: to.Ptr(vnet.String() + "/subnets/" + gatewaySubnet)},
		}}},
	}}
	poller, err := l.network(vnet.SubscriptionID).NewVirtualNetworkGatewaysClient().BeginCreateOrUpdate(ctx, vnet.ResourceGroup, vnet.Name+"-gw", body, nil)
	if err == nil {
		_, err = poller.PollUntilDone(ctx, &runtime.PollUntilDoneOptions{Frequency: time.Millisecond})
	}
	if err != nil {
		l.t.Fatalf("putting the gateway of %s: %v", vnet, err)
	}
}

// link reads a link as ARM shows it; nil when it does not exist.
func (l *testLab) link(id LinkID) *armnetwork.VirtualNetworkPeering {
	l.t.Helper()
	got, err := l.network(id.VirtualNetwork.SubscriptionID).NewVirtualNetworkPeeringsClient().
		Get(l.t.Context(), id.VirtualNetwork.ResourceGroup, id.VirtualNetwork.Name, id.Name, nil)
	if IsNotFound(err) {
		return nil
	}
	if err != nil {
		l.t.Fatalf("reading link %s: %v", id, err)
	}
	return &got.VirtualNetworkPeering
}

// links lists the IDs of the links on some VNets.
func (l *testLab) links(vnets ...VirtualNetworkID) []string {
	l.t.Helper()
	var out []string
	for _, v := range vnets {
		pager := l.network(v.SubscriptionID).NewVirtualNetworkPeeringsClient().NewListPager(v.ResourceGroup, v.Name, nil)
		for pager.More() {
			page, err := pager.NextPage(l.t.Context())
			if err != nil {
				l.t.Fatalf("listing the links of %s: %v", v, err)
			}
			for _, p := range page.Value {
				out = append(out, *p.ID)
			}
		}
	}
	return out
}

// fail injects a fault: the next matching calls get an ARM error, or (Async)
// are accepted and their long-running operation fails.
func (l *testLab) fail(f emulator.Fault) {
	l.t.Helper()
	l.admin(http.MethodPost, "/_emulator/faults", f)
}

// calls are the ARM calls served since the log was last emptied, in order.
func (l *testLab) calls() []emulator.RequestEntry {
	l.t.Helper()
	var out []emulator.RequestEntry
	if err := json.Unmarshal(l.admin(http.MethodGet, "/_emulator/requests", nil), &out); err != nil {
		l.t.Fatal(err)
	}
	return out
}

// callCount counts the calls with that method whose path and query
// ("path?query") contain s, case-insensitively; faulted calls count too.
func (l *testLab) callCount(method, s string) int {
	l.t.Helper()
	n := 0
	for _, c := range l.calls() {
		if c.Method == method && strings.Contains(strings.ToLower(c.Path+"?"+c.Query), strings.ToLower(s)) {
			n++
		}
	}
	return n
}

// forgetCalls empties the request log, so that the scene set up before is
// not counted.
func (l *testLab) forgetCalls() {
	l.t.Helper()
	l.admin(http.MethodDelete, "/_emulator/requests", nil)
}

// admin calls the emulator's test-control API.
func (l *testLab) admin(method, path string, body any) []byte {
	l.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			l.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(l.t.Context(), method, l.emu.URL+path, rd)
	if err != nil {
		l.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+l.emu.AdminKey())
	req.Header.Set("Content-Type", "application/json")
	resp, err := l.http.Do(req)
	if err != nil {
		l.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode >= 300 {
		l.t.Fatalf("%s %s: %d %s %v", method, path, resp.StatusCode, out, err)
	}
	return out
}
