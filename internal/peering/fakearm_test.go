package peering

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
)

// fakeARM is just enough of Azure's peering behaviour, as an HTTP transport
// under the real SDK clients, to test the engine's orchestration: PUT is a
// long-running operation polled through Azure-AsyncOperation, DELETE
// through Location; the first link is Initiated and both are Connected once
// the reverse exists; deleting a link leaves the other Disconnected; a PUT
// whose remote link is Disconnected is refused.
type fakeARM struct {
	mu     sync.Mutex
	vnets  map[string]*armnetwork.VirtualNetwork        // by lower-case ID
	links  map[string]*armnetwork.VirtualNetworkPeering // by lower-case ID
	ops    map[string]map[string]any                    // operation status bodies
	calls  []string                                     // "METHOD path?query", ARM resource calls only
	faults []fakeFault                                  // consumed in order
	guids  int
}

type fakeFault struct {
	method, pathContains string
	status               int
	code                 string
	header               http.Header
	async                bool // fail the long-running operation instead of the request
}

const fakeHost = "https://arm.fake"

func newFakeARM() *fakeARM {
	return &fakeARM{vnets: map[string]*armnetwork.VirtualNetwork{}, links: map[string]*armnetwork.VirtualNetworkPeering{}, ops: map[string]map[string]any{}}
}

func (f *fakeARM) addVNet(id VirtualNetworkID, prefixes ...string) *armnetwork.VirtualNetwork {
	f.mu.Lock()
	defer f.mu.Unlock()
	v := &armnetwork.VirtualNetwork{ID: to.Ptr(id.String()), Name: to.Ptr(id.Name), Properties: &armnetwork.VirtualNetworkPropertiesFormat{
		AddressSpace: &armnetwork.AddressSpace{AddressPrefixes: to.SliceOfPtrs(prefixes...)},
	}}
	f.vnets[id.Key()] = v
	return v
}

func (f *fakeARM) fail(ff fakeFault) { f.mu.Lock(); f.faults = append(f.faults, ff); f.mu.Unlock() }

func (f *fakeARM) link(id LinkID) *armnetwork.VirtualNetworkPeering {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.links[id.Key()]
}

// callCount counts resource calls with that method whose path contains s.
func (f *fakeARM) callCount(method, s string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if strings.HasPrefix(c, method+" ") && strings.Contains(c, s) {
			n++
		}
	}
	return n
}

func (f *fakeARM) Do(req *http.Request) (*http.Response, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	path := req.URL.Path
	if strings.HasPrefix(path, "/operations/") {
		return f.answer(req, http.StatusOK, f.ops[path], nil), nil
	}
	if strings.HasPrefix(path, "/deletions/") {
		return f.answer(req, http.StatusOK, nil, nil), nil
	}
	f.calls = append(f.calls, req.Method+" "+path+"?"+req.URL.RawQuery)
	var asyncFault *fakeFault
	for i, ff := range f.faults {
		if ff.method == req.Method && strings.Contains(path, ff.pathContains) {
			f.faults = append(f.faults[:i:i], f.faults[i+1:]...)
			if ff.async {
				asyncFault = &ff
				break
			}
			return f.armError(req, ff.status, ff.code, ff.header), nil
		}
	}
	seg := strings.Split(strings.Trim(path, "/"), "/")
	// subscriptions/S/resourceGroups/G/providers/Microsoft.Network/virtualNetworks/V[/virtualNetworkPeerings[/N]]
	if len(seg) < 8 {
		return f.armError(req, 404, "NotFound", nil), nil
	}
	vnetID := VirtualNetworkID{SubscriptionID: seg[1], ResourceGroup: seg[3], Name: seg[7]}
	vnet := f.vnets[vnetID.Key()]
	switch {
	case len(seg) == 8 && req.Method == http.MethodGet:
		if vnet == nil {
			return f.armError(req, 404, "ResourceNotFound", nil), nil
		}
		return f.answer(req, 200, vnet, nil), nil
	case len(seg) == 9 && req.Method == http.MethodGet:
		if vnet == nil {
			return f.armError(req, 404, "ResourceNotFound", nil), nil
		}
		var list []*armnetwork.VirtualNetworkPeering
		for k, l := range f.links {
			if strings.HasPrefix(k, vnetID.Key()+"/") {
				list = append(list, l)
			}
		}
		return f.answer(req, 200, armnetwork.VirtualNetworkPeeringListResult{Value: list}, nil), nil
	case len(seg) == 10:
		id := vnetID.Link(seg[9])
		switch req.Method {
		case http.MethodGet:
			if l := f.links[id.Key()]; l != nil {
				return f.answer(req, 200, l, nil), nil
			}
			return f.armError(req, 404, "NotFound", nil), nil
		case http.MethodPut:
			return f.put(req, vnet, id, asyncFault), nil
		case http.MethodDelete:
			l := f.links[id.Key()]
			if l == nil {
				return f.answer(req, http.StatusNoContent, nil, nil), nil
			}
			delete(f.links, id.Key())
			if rev := f.reverse(l); rev != nil {
				rev.Properties.PeeringState = to.Ptr(armnetwork.VirtualNetworkPeeringStateDisconnected)
			}
			return f.answer(req, http.StatusAccepted, nil, http.Header{"Location": {fakeHost + "/deletions/1"}}), nil
		}
	}
	return f.armError(req, 405, "MethodNotAllowed", nil), nil
}

// reverse is the link on l's remote VNet that points back at l's VNet.
func (f *fakeARM) reverse(l *armnetwork.VirtualNetworkPeering) *armnetwork.VirtualNetworkPeering {
	local := strings.ToLower((*l.ID)[:strings.Index(strings.ToLower(*l.ID), "/virtualnetworkpeerings/")])
	remote := strings.ToLower(*l.Properties.RemoteVirtualNetwork.ID)
	for k, o := range f.links {
		if strings.HasPrefix(k, remote+"/") && strings.EqualFold(*o.Properties.RemoteVirtualNetwork.ID, local) {
			return o
		}
	}
	return nil
}

func (f *fakeARM) put(req *http.Request, vnet *armnetwork.VirtualNetwork, id LinkID, asyncFault *fakeFault) *http.Response {
	if vnet == nil {
		return f.armError(req, 404, "ResourceNotFound", nil)
	}
	var body armnetwork.VirtualNetworkPeering
	b, _ := io.ReadAll(req.Body)
	if err := json.Unmarshal(b, &body); err != nil || body.Properties == nil || body.Properties.RemoteVirtualNetwork == nil {
		return f.armError(req, 400, "InvalidRequestFormat", nil)
	}
	if f.vnets[strings.ToLower(*body.Properties.RemoteVirtualNetwork.ID)] == nil {
		return f.armError(req, 404, "ReferencedResourceNotFound", nil)
	}
	old := f.links[id.Key()]
	body.ID, body.Name = to.Ptr(id.String()), to.Ptr(id.Name)
	body.Properties.ProvisioningState = to.Ptr(armnetwork.ProvisioningStateSucceeded)
	body.Properties.PeeringSyncLevel = to.Ptr(armnetwork.VirtualNetworkPeeringLevelFullyInSync)
	body.Properties.LocalAddressSpace = vnet.Properties.AddressSpace
	remoteVNet := f.vnets[strings.ToLower(*body.Properties.RemoteVirtualNetwork.ID)]
	body.Properties.RemoteAddressSpace = remoteVNet.Properties.AddressSpace
	if old != nil {
		body.Properties.ResourceGUID = old.Properties.ResourceGUID
		if req.URL.Query().Get("syncRemoteAddressSpace") != "true" {
			body.Properties.RemoteAddressSpace = old.Properties.RemoteAddressSpace
			body.Properties.PeeringSyncLevel = old.Properties.PeeringSyncLevel
		}
	} else {
		f.guids++
		body.Properties.ResourceGUID = to.Ptr(fmt.Sprintf("guid-%d", f.guids))
	}
	f.links[id.Key()] = &body
	rev := f.reverse(&body)
	switch {
	case rev != nil && *rev.Properties.PeeringState == armnetwork.VirtualNetworkPeeringStateDisconnected:
		if old == nil {
			delete(f.links, id.Key())
		} else {
			f.links[id.Key()] = old
		}
		return f.armError(req, 400, CodeRemotePeeringIsDisconnected, nil)
	case rev != nil:
		body.Properties.PeeringState = to.Ptr(armnetwork.VirtualNetworkPeeringStateConnected)
		rev.Properties.PeeringState = to.Ptr(armnetwork.VirtualNetworkPeeringStateConnected)
	default:
		body.Properties.PeeringState = to.Ptr(armnetwork.VirtualNetworkPeeringStateInitiated)
	}
	opPath := fmt.Sprintf("/operations/%d", len(f.ops)+1)
	f.ops[opPath] = map[string]any{"status": "Succeeded"}
	if asyncFault != nil {
		f.ops[opPath] = map[string]any{"status": "Failed", "error": map[string]any{"code": asyncFault.code, "message": "operation failed"}}
	}
	if asyncFault != nil {
		body.Properties.ProvisioningState = to.Ptr(armnetwork.ProvisioningStateFailed)
	}
	status := http.StatusCreated
	if old != nil {
		status = http.StatusOK
	}
	// As Azure does, the first answer says Updating; the operation says how it ended.
	first := body
	firstProps := *body.Properties
	firstProps.ProvisioningState = to.Ptr(armnetwork.ProvisioningStateUpdating)
	first.Properties = &firstProps
	return f.answer(req, status, &first, http.Header{"Azure-AsyncOperation": {fakeHost + opPath}})
}

func (f *fakeARM) answer(req *http.Request, status int, body any, h http.Header) *http.Response {
	var b []byte
	if body != nil {
		b, _ = json.Marshal(body)
	}
	hdr := http.Header{}
	for k, v := range h { // literal maps are not in canonical form
		hdr[http.CanonicalHeaderKey(k)] = v
	}
	hdr.Set("Content-Type", "application/json")
	return &http.Response{StatusCode: status, Header: hdr, Body: io.NopCloser(bytes.NewReader(b)), Request: req, ContentLength: int64(len(b))}
}

func (f *fakeARM) armError(req *http.Request, status int, code string, h http.Header) *http.Response {
	return f.answer(req, status, map[string]any{"error": map[string]any{"code": code, "message": code + " from the fake"}}, h)
}

// fakeClients serves the engine through real armnetwork clients.
type fakeClients struct{ opts *policy.ClientOptions }

type fakeToken struct{}

func (fakeToken) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "t", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func (c fakeClients) factory(sub string) (*armnetwork.ClientFactory, error) {
	return armnetwork.NewClientFactory(sub, fakeToken{}, &arm.ClientOptions{ClientOptions: *c.opts})
}

func (c fakeClients) Peerings(_ context.Context, sub string) (*armnetwork.VirtualNetworkPeeringsClient, error) {
	f, err := c.factory(sub)
	if err != nil {
		return nil, err
	}
	return f.NewVirtualNetworkPeeringsClient(), nil
}

func (c fakeClients) VirtualNetworks(_ context.Context, sub string) (*armnetwork.VirtualNetworksClient, error) {
	f, err := c.factory(sub)
	if err != nil {
		return nil, err
	}
	return f.NewVirtualNetworksClient(), nil
}

// newTestEngine returns an engine over a fresh fake, with quick polling and
// backoff and locks of its own.
func newTestEngine(t *testing.T) (*Engine, *fakeARM) {
	t.Helper()
	f := newFakeARM()
	opts := &policy.ClientOptions{
		Transport: f,
		Retry:     policy.RetryOptions{MaxRetries: -1},
		Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: fakeHost + "/", Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			cloud.ResourceManager: {Endpoint: fakeHost, Audience: fakeHost},
		}},
	}
	e := New(fakeClients{opts: opts}, Options{
		PollFrequency: time.Millisecond, WaitInterval: time.Millisecond,
		Backoff: func(int) time.Duration { return time.Millisecond }, Locks: &Locks{},
	})
	return e, f
}
