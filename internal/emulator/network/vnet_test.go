package network_test

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
	emuarm "github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/identity"
)

const sub = identity.DefaultSubscriptionID

func TestVirtualNetwork_CreateGetList(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.group(nil, "rg", "westeurope")
	created := l.mustVNet(nil, "rg", "vnet1", vnetBody("West Europe", []string{"10.0.0.0/16"},
		subnet("web", "10.0.1.0/24"), subnet("db", "10.0.2.0/24")))
	wantID := vnetID(sub, "rg", "vnet1")
	if *created.ID != wantID || *created.Name != "vnet1" || *created.Type != "Microsoft.Network/virtualNetworks" {
		t.Errorf("created VNet is %s %s %s", *created.ID, *created.Name, *created.Type)
	}
	if *created.Location != "westeurope" {
		t.Errorf("location %q, want the folded region name westeurope", *created.Location)
	}

	got, err := l.net.NewVirtualNetworksClient().Get(t.Context(), "rg", "vnet1", nil)
	if err != nil {
		t.Fatal(err)
	}
	v := got.VirtualNetwork
	if *v.Properties.ProvisioningState != armnetwork.ProvisioningStateSucceeded || v.Etag == nil || v.Properties.ResourceGUID == nil {
		t.Errorf("VNet state %v etag %v guid %v", *v.Properties.ProvisioningState, v.Etag, v.Properties.ResourceGUID)
	}
	if len(v.Properties.Subnets) != 2 {
		t.Fatalf("GET embeds %d subnets, want 2", len(v.Properties.Subnets))
	}
	for _, s := range v.Properties.Subnets {
		if !strings.HasPrefix(*s.ID, wantID+"/subnets/") || *s.Properties.ProvisioningState != armnetwork.ProvisioningStateSucceeded {
			t.Errorf("embedded subnet %s in state %v", *s.ID, *s.Properties.ProvisioningState)
		}
	}
	if v.Properties.VirtualNetworkPeerings == nil {
		t.Error("GET has no virtualNetworkPeerings list")
	}

	l.mustVNet(nil, "rg", "vnet2", vnetBody("westeurope", []string{"10.1.0.0/16"}))
	var names []string
	pager := l.net.NewVirtualNetworksClient().NewListPager("rg", nil)
	for pager.More() {
		page, err := pager.NextPage(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range page.Value {
			names = append(names, *v.Name)
		}
	}
	if strings.Join(names, ",") != "vnet1,vnet2" {
		t.Errorf("list by group: %v", names)
	}
	all := l.net.NewVirtualNetworksClient().NewListAllPager(nil)
	page, err := all.NextPage(t.Context())
	if err != nil || len(page.Value) != 2 {
		t.Errorf("list by subscription: %d VNets, %v", len(page.Value), err)
	}
}

func TestVirtualNetwork_ListPagesWithNextLink(t *testing.T) {
	// The page size is read by the server; set it before the emulator starts
	// and restore it after it stops (cleanups run last-in first-out).
	saved := emuarm.DefaultPageSize
	emuarm.DefaultPageSize = 2
	t.Cleanup(func() { emuarm.DefaultPageSize = saved })
	l := newLab(t, emulator.Options{})
	l.group(nil, "rg", "westeurope")
	for i, p := range []string{"10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16", "10.4.0.0/16"} {
		l.mustVNet(nil, "rg", "vnet"+string(rune('a'+i)), vnetBody("westeurope", []string{p}))
	}

	resp, b := l.do(http.MethodGet, "/subscriptions/"+sub+"/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks?api-version="+networkAPI, nil, nil)
	var first struct {
		Value    []json.RawMessage `json:"value"`
		NextLink string            `json:"nextLink"`
	}
	if err := json.Unmarshal(b, &first); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("list: %d %s", resp.StatusCode, b)
	}
	if len(first.Value) != 2 || !strings.HasPrefix(first.NextLink, l.emu.URL+"/subscriptions/") {
		t.Fatalf("first page has %d items and nextLink %q", len(first.Value), first.NextLink)
	}

	var names []string
	pages := 0
	pager := l.net.NewVirtualNetworksClient().NewListPager("rg", nil)
	for pager.More() {
		page, err := pager.NextPage(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, v := range page.Value {
			names = append(names, *v.Name)
		}
	}
	if pages != 3 || strings.Join(names, ",") != "vneta,vnetb,vnetc,vnetd,vnete" {
		t.Errorf("the SDK pager read %d pages: %v", pages, names)
	}
}

func TestVirtualNetwork_SubnetsAreTheWholeSet(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.group(nil, "rg", "westeurope")
	l.mustVNet(nil, "rg", "vnet1", vnetBody("westeurope", []string{"10.0.0.0/16"},
		subnet("a", "10.0.1.0/24"), subnet("b", "10.0.2.0/24")))
	v := l.mustVNet(nil, "rg", "vnet1", vnetBody("westeurope", []string{"10.0.0.0/16"},
		subnet("a", "10.0.1.0/24"), subnet("c", "10.0.3.0/24")))
	if got := subnetNames(v); got != "a,c" {
		t.Errorf("after a PUT with subnets a and c the VNet has %s", got)
	}
	_, err := l.net.NewSubnetsClient().Get(t.Context(), "rg", "vnet1", "b", nil)
	wantError(t, err, http.StatusNotFound, "NotFound")

	v = l.mustVNet(nil, "rg", "vnet1", vnetBody("westeurope", []string{"10.0.0.0/16"}))
	if got := subnetNames(v); got != "" {
		t.Errorf("a PUT without subnets left %s", got)
	}
}

func subnetNames(v armnetwork.VirtualNetwork) string {
	var names []string
	for _, s := range v.Properties.Subnets {
		names = append(names, *s.Name)
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

func TestVirtualNetwork_InvalidCIDRNotation(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.group(nil, "rg", "westeurope")
	_, err := l.putVNet(nil, "rg", "vnet1", vnetBody("westeurope", []string{"10.0.0.1/16"}))
	e := wantError(t, err, http.StatusBadRequest, "InvalidCIDRNotation")
	if !strings.Contains(e.Message, "10.0.0.1/16") || !strings.Contains(e.Message, "should be 10.0.0.0/16") {
		t.Errorf("message does not name the prefix and its correct form: %s", e.Message)
	}
	_, err = l.putVNet(nil, "rg", "vnet1", vnetBody("westeurope", []string{"10.0.0.0/33"}))
	wantError(t, err, http.StatusBadRequest, "InvalidAddressPrefixFormat")
}

func TestVirtualNetwork_FailedPutChangesNothing(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.group(nil, "rg", "westeurope")
	before := l.mustVNet(nil, "rg", "vnet1", vnetBody("westeurope", []string{"10.0.0.0/16"}, subnet("a", "10.0.1.0/24")))
	// A new space and a new subnet set, one subnet outside the space: the
	// whole PUT is refused and nothing of it is applied.
	_, err := l.putVNet(nil, "rg", "vnet1", vnetBody("westeurope", []string{"10.0.0.0/16", "10.9.0.0/16"},
		subnet("b", "10.9.1.0/24"), subnet("c", "10.7.0.0/24")))
	wantError(t, err, http.StatusBadRequest, "NetcfgSubnetRangeOutsideVnet")
	got, err := l.net.NewVirtualNetworksClient().Get(t.Context(), "rg", "vnet1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if p := prefixes(got.Properties.AddressSpace); strings.Join(p, ",") != "10.0.0.0/16" {
		t.Errorf("address space changed to %v", p)
	}
	if s := subnetNames(got.VirtualNetwork); s != "a" {
		t.Errorf("subnets changed to %s", s)
	}
	if *got.Etag != *before.Etag {
		t.Errorf("etag changed from %s to %s", *before.Etag, *got.Etag)
	}
}

func TestVirtualNetwork_CaseInsensitivePaths(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.group(nil, "PeerLab-RG", "westeurope")
	l.mustVNet(nil, "PeerLab-RG", "VNet-One", vnetBody("westeurope", []string{"10.0.0.0/16"}, subnet("Web", "10.0.1.0/24")))
	want := vnetID(sub, "PeerLab-RG", "VNet-One")

	odd := "/subscriptions/" + sub + "/resourcegroups/peerlab-rg/providers/MICROSOFT.NETWORK/VIRTUALNETWORKS/vnet-one"
	resp, b := l.do(http.MethodGet, odd+"?api-version="+networkAPI, nil, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", odd, resp.StatusCode, b)
	}
	var v armnetwork.VirtualNetwork
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if *v.ID != want || *v.Name != "VNet-One" || *v.Properties.Subnets[0].ID != want+"/subnets/Web" {
		t.Errorf("GET answered %s named %s with subnet %s, want the canonical %s", *v.ID, *v.Name, *v.Properties.Subnets[0].ID, want)
	}

	// An update through the odd path keeps the canonical casing too.
	resp, b = l.do(http.MethodPut, odd+"?api-version="+networkAPI, vnetBody("westeurope", []string{"10.0.0.0/16"}, subnet("WEB", "10.0.1.0/24")), nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PUT %s: %d %s", odd, resp.StatusCode, b)
	}
	got, err := l.net.NewVirtualNetworksClient().Get(t.Context(), "peerlab-rg", "vnet-one", nil)
	if err != nil {
		t.Fatal(err)
	}
	if *got.ID != want || *got.Name != "VNet-One" || *got.Properties.Subnets[0].ID != want+"/subnets/Web" || *got.Properties.Subnets[0].Name != "Web" {
		t.Errorf("after an update through %s: %s named %s, subnet %s named %s", odd, *got.ID, *got.Name, *got.Properties.Subnets[0].ID, *got.Properties.Subnets[0].Name)
	}
}

func TestVirtualNetwork_LongRunningHeaders(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.group(nil, "rg", "westeurope")
	path := "/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet1?api-version=" + networkAPI
	body := vnetBody("westeurope", []string{"10.0.0.0/16"})

	resp, b := l.do(http.MethodPut, path, body, nil)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("first PUT: %d %s, want 201", resp.StatusCode, b)
	}
	async := resp.Header.Get("Azure-AsyncOperation")
	if !strings.HasPrefix(async, l.emu.URL+"/subscriptions/"+sub+"/providers/Microsoft.Network/locations/westeurope/operations/") {
		t.Errorf("Azure-AsyncOperation %q", async)
	}
	if resp.Header.Get("Retry-After") == "" || resp.Header.Get("x-ms-request-id") == "" {
		t.Errorf("headers %v", resp.Header)
	}
	if got := l.pollStatus(async); strings.Join(got, ",") != "Succeeded" {
		t.Errorf("operation statuses %v", got)
	}

	resp, b = l.do(http.MethodPut, path, body, nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Azure-AsyncOperation") == "" {
		t.Errorf("second PUT: %d, Azure-AsyncOperation %q: %s", resp.StatusCode, resp.Header.Get("Azure-AsyncOperation"), b)
	}
}

func TestVirtualNetwork_IfMatch(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.group(nil, "rg", "westeurope")
	v := l.mustVNet(nil, "rg", "vnet1", vnetBody("westeurope", []string{"10.0.0.0/16"}))
	path := "/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet1?api-version=" + networkAPI
	body := vnetBody("westeurope", []string{"10.0.0.0/16", "10.1.0.0/16"})

	resp, b := l.do(http.MethodPut, path, body, http.Header{"If-Match": {`W/"00000000-0000-0000-0000-000000000000"`}})
	if resp.StatusCode != http.StatusPreconditionFailed || !strings.Contains(string(b), `"PreconditionFailed"`) {
		t.Fatalf("PUT with a stale If-Match: %d %s, want 412 PreconditionFailed", resp.StatusCode, b)
	}
	resp, b = l.do(http.MethodPut, path, body, http.Header{"If-Match": {*v.Etag}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PUT with the current etag: %d %s", resp.StatusCode, b)
	}
	resp, _ = l.do(http.MethodPut, path, body, http.Header{"If-None-Match": {"*"}})
	if resp.StatusCode != http.StatusPreconditionFailed {
		t.Errorf("PUT with If-None-Match * on an existing VNet: %d, want 412", resp.StatusCode)
	}
}

func TestVirtualNetwork_NotFound(t *testing.T) {
	l := newLab(t, emulator.Options{})
	_, err := l.net.NewVirtualNetworksClient().Get(t.Context(), "nogroup", "vnet1", nil)
	wantError(t, err, http.StatusNotFound, "ResourceGroupNotFound")
	l.group(nil, "rg", "westeurope")
	_, err = l.net.NewVirtualNetworksClient().Get(t.Context(), "rg", "vnet1", nil)
	wantError(t, err, http.StatusNotFound, "ResourceNotFound")
	_, err = l.putVNet(nil, "rg", "vnet1", armnetwork.VirtualNetwork{Location: to.Ptr("westeurope")})
	wantError(t, err, http.StatusBadRequest, "AddressSpaceMissing")
}
