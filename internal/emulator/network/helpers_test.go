package network_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources/v3"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/identity"
)

// networkAPI is the api-version armnetwork/v9 speaks; raw requests use it too.
const networkAPI = "2025-05-01"

// poll is how often tests poll long-running operations (the emulator's
// Retry-After still wins when it asks for longer).
var poll = &runtime.PollUntilDoneOptions{Frequency: 50 * time.Millisecond}

// lab is one in-process emulator and the default principal's credential.
type lab struct {
	t    *testing.T
	emu  *emulator.Emulator
	cred azcore.TokenCredential
	// net and res are client factories for the default subscription.
	net *armnetwork.ClientFactory
	res *armresources.ClientFactory
}

// newLab starts an emulator for one test and stops it when the test ends.
func newLab(t *testing.T, opts emulator.Options) *lab {
	t.Helper()
	e, err := emulator.Start(opts)
	if err != nil {
		t.Fatalf("starting the emulator: %v", err)
	}
	t.Cleanup(func() { _ = e.Close() })
	cred, err := e.Credential("", "", "")
	if err != nil {
		t.Fatalf("credential: %v", err)
	}
	l := &lab{t: t, emu: e, cred: cred}
	l.net = l.network(identity.DefaultSubscriptionID, cred, nil)
	l.res = l.resources(identity.DefaultSubscriptionID, cred)
	return l
}

// credential is a client-secret credential of a configured principal in a
// tenant ("" for its home tenant).
func (l *lab) credential(tenantID, clientID string) azcore.TokenCredential {
	l.t.Helper()
	p, ok := l.emu.Config().PrincipalByClientID(clientID)
	if !ok {
		l.t.Fatalf("no principal with client ID %s", clientID)
	}
	cred, err := l.emu.Credential(tenantID, clientID, p.Secret)
	if err != nil {
		l.t.Fatalf("credential: %v", err)
	}
	return cred
}

// network builds an armnetwork client factory; auxTenants become
// arm.ClientOptions.AuxiliaryTenants (x-ms-authorization-auxiliary).
func (l *lab) network(sub string, cred azcore.TokenCredential, auxTenants []string) *armnetwork.ClientFactory {
	l.t.Helper()
	opts := l.emu.ClientOptions()
	opts.AuxiliaryTenants = auxTenants
	f, err := armnetwork.NewClientFactory(sub, cred, opts)
	if err != nil {
		l.t.Fatalf("armnetwork client factory: %v", err)
	}
	return f
}

func (l *lab) resources(sub string, cred azcore.TokenCredential) *armresources.ClientFactory {
	l.t.Helper()
	f, err := armresources.NewClientFactory(sub, cred, l.emu.ClientOptions())
	if err != nil {
		l.t.Fatalf("armresources client factory: %v", err)
	}
	return f
}

// group creates a resource group with the given factory (nil: the default
// subscription's).
func (l *lab) group(f *armresources.ClientFactory, name, location string) {
	l.t.Helper()
	if f == nil {
		f = l.res
	}
	if _, err := f.NewResourceGroupsClient().CreateOrUpdate(l.t.Context(), name, armresources.ResourceGroup{Location: to.Ptr(location)}, nil); err != nil {
		l.t.Fatalf("creating resource group %s: %v", name, err)
	}
}

// subnet is a subnet of a VNet PUT with one or more prefixes.
func subnet(name string, prefixes ...string) *armnetwork.Subnet {
	s := &armnetwork.Subnet{Name: to.Ptr(name), Properties: &armnetwork.SubnetPropertiesFormat{}}
	if len(prefixes) == 1 {
		s.Properties.AddressPrefix = to.Ptr(prefixes[0])
	} else {
		s.Properties.AddressPrefixes = to.SliceOfPtrs(prefixes...)
	}
	return s
}

// vnetBody is a VNet PUT body.
func vnetBody(location string, prefixes []string, subnets ...*armnetwork.Subnet) armnetwork.VirtualNetwork {
	return armnetwork.VirtualNetwork{
		Location: to.Ptr(location),
		Properties: &armnetwork.VirtualNetworkPropertiesFormat{
			AddressSpace: &armnetwork.AddressSpace{AddressPrefixes: to.SliceOfPtrs(prefixes...)},
			Subnets:      subnets,
		},
	}
}

// putVNet creates or updates a VNet and waits for the operation.
func (l *lab) putVNet(f *armnetwork.ClientFactory, group, name string, body armnetwork.VirtualNetwork) (armnetwork.VirtualNetwork, error) {
	if f == nil {
		f = l.net
	}
	p, err := f.NewVirtualNetworksClient().BeginCreateOrUpdate(l.t.Context(), group, name, body, nil)
	if err != nil {
		return armnetwork.VirtualNetwork{}, err
	}
	r, err := p.PollUntilDone(l.t.Context(), poll)
	return r.VirtualNetwork, err
}

// mustVNet is putVNet that fails the test on error.
func (l *lab) mustVNet(f *armnetwork.ClientFactory, group, name string, body armnetwork.VirtualNetwork) armnetwork.VirtualNetwork {
	l.t.Helper()
	v, err := l.putVNet(f, group, name, body)
	if err != nil {
		l.t.Fatalf("putting VNet %s: %v", name, err)
	}
	return v
}

// fixture creates a resource group and a VNet without subnets in it.
func (l *lab) fixture(group, vnet, location string, prefixes ...string) armnetwork.VirtualNetwork {
	l.t.Helper()
	l.group(nil, group, location)
	return l.mustVNet(nil, group, vnet, vnetBody(location, prefixes))
}

// link is a peering PUT body pointing at remote.
func link(remote string) armnetwork.VirtualNetworkPeering {
	return armnetwork.VirtualNetworkPeering{Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{
		RemoteVirtualNetwork:      &armnetwork.SubResource{ID: to.Ptr(remote)},
		AllowVirtualNetworkAccess: to.Ptr(true),
	}}
}

// subnetLink is a subnet-peering PUT body.
func subnetLink(remote string, local, remoteSubnets []string) armnetwork.VirtualNetworkPeering {
	p := link(remote)
	p.Properties.PeerCompleteVnets = to.Ptr(false)
	p.Properties.LocalSubnetNames = to.SliceOfPtrs(local...)
	p.Properties.RemoteSubnetNames = to.SliceOfPtrs(remoteSubnets...)
	return p
}

// putPeering creates or updates a link and waits for the operation; sync
// adds ?syncRemoteAddressSpace=true.
func (l *lab) putPeering(f *armnetwork.ClientFactory, group, vnet, name string, body armnetwork.VirtualNetworkPeering, sync bool) (armnetwork.VirtualNetworkPeering, error) {
	if f == nil {
		f = l.net
	}
	var opts *armnetwork.VirtualNetworkPeeringsClientBeginCreateOrUpdateOptions
	if sync {
		opts = &armnetwork.VirtualNetworkPeeringsClientBeginCreateOrUpdateOptions{SyncRemoteAddressSpace: to.Ptr(armnetwork.SyncRemoteAddressSpaceTrue)}
	}
	p, err := f.NewVirtualNetworkPeeringsClient().BeginCreateOrUpdate(l.t.Context(), group, vnet, name, body, opts)
	if err != nil {
		return armnetwork.VirtualNetworkPeering{}, err
	}
	r, err := p.PollUntilDone(l.t.Context(), poll)
	return r.VirtualNetworkPeering, err
}

// mustPeering is putPeering that fails the test on error.
func (l *lab) mustPeering(f *armnetwork.ClientFactory, group, vnet, name string, body armnetwork.VirtualNetworkPeering) armnetwork.VirtualNetworkPeering {
	l.t.Helper()
	p, err := l.putPeering(f, group, vnet, name, body, false)
	if err != nil {
		l.t.Fatalf("putting peering %s/%s: %v", vnet, name, err)
	}
	return p
}

// getPeering reads a link.
func (l *lab) getPeering(f *armnetwork.ClientFactory, group, vnet, name string) armnetwork.VirtualNetworkPeering {
	l.t.Helper()
	if f == nil {
		f = l.net
	}
	r, err := f.NewVirtualNetworkPeeringsClient().Get(l.t.Context(), group, vnet, name, nil)
	if err != nil {
		l.t.Fatalf("getting peering %s/%s: %v", vnet, name, err)
	}
	return r.VirtualNetworkPeering
}

// deletePeering deletes a link and waits for the operation.
func (l *lab) deletePeering(f *armnetwork.ClientFactory, group, vnet, name string) {
	l.t.Helper()
	if f == nil {
		f = l.net
	}
	p, err := f.NewVirtualNetworkPeeringsClient().BeginDelete(l.t.Context(), group, vnet, name, nil)
	if err == nil {
		_, err = p.PollUntilDone(l.t.Context(), poll)
	}
	if err != nil {
		l.t.Fatalf("deleting peering %s/%s: %v", vnet, name, err)
	}
}

// vnetID is a VNet's resource ID.
func vnetID(sub, group, name string) string {
	return "/subscriptions/" + sub + "/resourceGroups/" + group + "/providers/Microsoft.Network/virtualNetworks/" + name
}

// state and syncLevel read a link's peeringState and peeringSyncLevel.
func state(p armnetwork.VirtualNetworkPeering) armnetwork.VirtualNetworkPeeringState {
	if p.Properties == nil || p.Properties.PeeringState == nil {
		return ""
	}
	return *p.Properties.PeeringState
}

func syncLevel(p armnetwork.VirtualNetworkPeering) armnetwork.VirtualNetworkPeeringLevel {
	if p.Properties == nil || p.Properties.PeeringSyncLevel == nil {
		return ""
	}
	return *p.Properties.PeeringSyncLevel
}

// prefixes reads an address space as strings.
func prefixes(a *armnetwork.AddressSpace) []string {
	var out []string
	if a != nil {
		for _, p := range a.AddressPrefixes {
			out = append(out, *p)
		}
	}
	return out
}

// armError is an ARM error answer as a client sees it.
type armError struct {
	Status  int
	Code    string
	Message string
}

// asARMError unwraps an SDK error into the ARM error envelope.
func asARMError(t *testing.T, err error) armError {
	t.Helper()
	var re *azcore.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("want an ARM error, got %v", err)
	}
	out := armError{Status: re.StatusCode, Code: re.ErrorCode}
	if re.RawResponse != nil && re.RawResponse.Body != nil {
		b, _ := io.ReadAll(re.RawResponse.Body)
		out.Message = errorMessage(b)
	}
	return out
}

// wantError fails the test unless err is the ARM error status/code.
func wantError(t *testing.T, err error, status int, code string) armError {
	t.Helper()
	if err == nil {
		t.Fatalf("want %d %s, got success", status, code)
	}
	e := asARMError(t, err)
	if e.Status != status || e.Code != code {
		t.Fatalf("want %d %s, got %d %s: %s", status, code, e.Status, e.Code, e.Message)
	}
	return e
}

// errorMessage reads the message of an ARM error body (or of an
// operation-status document's error).
func errorMessage(b []byte) string {
	var env struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	_ = json.Unmarshal(b, &env)
	return env.Error.Message
}

// do sends a raw ARM request with the default principal's token; path
// includes the query. It returns the answer and its body.
func (l *lab) do(method, path string, body any, hdr http.Header) (*http.Response, []byte) {
	l.t.Helper()
	return l.doAs(l.cred, method, path, body, hdr)
}

func (l *lab) doAs(cred azcore.TokenCredential, method, path string, body any, hdr http.Header) (*http.Response, []byte) {
	l.t.Helper()
	tok, err := cred.GetToken(l.t.Context(), policy.TokenRequestOptions{Scopes: []string{l.emu.URL + "/.default"}})
	if err != nil {
		l.t.Fatalf("token: %v", err)
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			l.t.Fatalf("encoding body: %v", err)
		}
		rd = bytes.NewReader(b)
	}
	url := path
	if !strings.HasPrefix(path, "https://") {
		url = l.emu.URL + path
	}
	req, err := http.NewRequestWithContext(l.t.Context(), method, url, rd)
	if err != nil {
		l.t.Fatalf("request: %v", err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	req.Header.Set("Authorization", "Bearer "+tok.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := l.emu.HTTPClient().Do(req)
	if err != nil {
		l.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		l.t.Fatalf("reading %s %s: %v", method, path, err)
	}
	return resp, b
}

// pollStatus follows an Azure-AsyncOperation URL until the operation ends
// and returns every status it saw, in order, without repeats.
func (l *lab) pollStatus(url string) []string {
	l.t.Helper()
	var seen []string
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, b := l.do(http.MethodGet, url, nil, nil)
		if resp.StatusCode != http.StatusOK {
			l.t.Fatalf("operation status %s: %d %s", url, resp.StatusCode, b)
		}
		var doc struct {
			Status string `json:"status"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			l.t.Fatalf("operation status document: %v: %s", err, b)
		}
		if len(seen) == 0 || seen[len(seen)-1] != doc.Status {
			seen = append(seen, doc.Status)
		}
		if doc.Status != "InProgress" {
			return seen
		}
		time.Sleep(50 * time.Millisecond)
	}
	l.t.Fatalf("operation %s still running after 30s", url)
	return nil
}
