package network_test

import (
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
)

const (
	initiated    = armnetwork.VirtualNetworkPeeringStateInitiated
	connected    = armnetwork.VirtualNetworkPeeringStateConnected
	disconnected = armnetwork.VirtualNetworkPeeringStateDisconnected
)

// pair creates group rg with vnet1 (10.0.0.0/16) and vnet2 (10.1.0.0/16)
// and returns their IDs.
func (l *lab) pair() (string, string) {
	l.t.Helper()
	l.fixture("rg", "vnet1", "westeurope", "10.0.0.0/16")
	l.mustVNet(nil, "rg", "vnet2", vnetBody("northeurope", []string{"10.1.0.0/16"}))
	return vnetID(sub, "rg", "vnet1"), vnetID(sub, "rg", "vnet2")
}

// wantStates checks the states of links 1→2 and 2→1 (skipping "" ones).
func (l *lab) wantStates(step string, one, two armnetwork.VirtualNetworkPeeringState) {
	l.t.Helper()
	if one != "" {
		if got := state(l.getPeering(nil, "rg", "vnet1", "to-vnet2")); got != one {
			l.t.Errorf("%s: link vnet1→vnet2 is %s, want %s", step, got, one)
		}
	}
	if two != "" {
		if got := state(l.getPeering(nil, "rg", "vnet2", "to-vnet1")); got != two {
			l.t.Errorf("%s: link vnet2→vnet1 is %s, want %s", step, got, two)
		}
	}
}

func TestPeering_Lifecycle(t *testing.T) {
	l := newLab(t, emulator.Options{})
	v1, v2 := l.pair()

	p := l.mustPeering(nil, "rg", "vnet1", "to-vnet2", link(v2))
	if state(p) != initiated || syncLevel(p) != armnetwork.VirtualNetworkPeeringLevelFullyInSync {
		t.Errorf("first link: %s %s, want Initiated FullyInSync", state(p), syncLevel(p))
	}
	if *p.Properties.ProvisioningState != armnetwork.ProvisioningStateSucceeded || strings.Join(prefixes(p.Properties.RemoteAddressSpace), ",") != "10.1.0.0/16" {
		t.Errorf("first link: %s, remote space %v", *p.Properties.ProvisioningState, prefixes(p.Properties.RemoteAddressSpace))
	}
	l.mustPeering(nil, "rg", "vnet2", "to-vnet1", link(v1))
	l.wantStates("after the reverse link", connected, connected)

	// The VNet GET embeds its links.
	v, err := l.net.NewVirtualNetworksClient().Get(t.Context(), "rg", "vnet1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if ps := v.Properties.VirtualNetworkPeerings; len(ps) != 1 || *ps[0].Name != "to-vnet2" || state(*ps[0]) != connected {
		t.Errorf("vnet1 embeds %d peerings", len(ps))
	}

	l.deletePeering(nil, "rg", "vnet1", "to-vnet2")
	l.wantStates("after deleting vnet1→vnet2", "", disconnected)

	_, err = l.putPeering(nil, "rg", "vnet1", "to-vnet2", link(v2), false)
	e := wantError(t, err, http.StatusBadRequest, "RemotePeeringIsDisconnected")
	want := "Cannot create or update peering " + v1 + "/virtualNetworkPeerings/to-vnet2 because remote peering " + v2 +
		"/virtualNetworkPeerings/to-vnet1 referencing parent virtual network " + v1 + " is in Disconnected state. Update or re-create the remote peering to get it back to Initiated state. Peering gets Disconnected when remote vnet or remote peering is deleted and re-created."
	if e.Message != want {
		t.Errorf("message\n %s\nwant\n %s", e.Message, want)
	}

	// Updating the Disconnected side brings it back to Initiated; then the
	// other side can be created and both connect.
	l.mustPeering(nil, "rg", "vnet2", "to-vnet1", link(v1))
	l.wantStates("after updating the Disconnected link", "", initiated)
	l.mustPeering(nil, "rg", "vnet1", "to-vnet2", link(v2))
	l.wantStates("after re-creating vnet1→vnet2", connected, connected)
}

func TestPeering_DeletedVNetDisconnectsRemote(t *testing.T) {
	l := newLab(t, emulator.Options{})
	v1, v2 := l.pair()
	l.mustPeering(nil, "rg", "vnet1", "to-vnet2", link(v2))
	l.mustPeering(nil, "rg", "vnet2", "to-vnet1", link(v1))

	p, err := l.net.NewVirtualNetworksClient().BeginDelete(t.Context(), "rg", "vnet1", nil)
	if err == nil {
		_, err = p.PollUntilDone(t.Context(), poll)
	}
	if err != nil {
		t.Fatal(err)
	}
	l.wantStates("after deleting vnet1", "", disconnected)
	l.mustVNet(nil, "rg", "vnet1", vnetBody("westeurope", []string{"10.0.0.0/16"}))
	l.wantStates("after re-creating vnet1", "", disconnected)
	_, err = l.putPeering(nil, "rg", "vnet1", "to-vnet2", link(v2), false)
	wantError(t, err, http.StatusBadRequest, "RemotePeeringIsDisconnected")
}

func TestPeering_OneLinkPerVNetPair(t *testing.T) {
	l := newLab(t, emulator.Options{})
	_, v2 := l.pair()
	l.mustPeering(nil, "rg", "vnet1", "to-vnet2", link(v2))
	_, err := l.putPeering(nil, "rg", "vnet1", "again", link(v2), false)
	e := wantError(t, err, http.StatusBadRequest, "AnotherPeeringAlreadyReferencesRemoteVnet")
	if !strings.Contains(e.Message, "/virtualNetworkPeerings/to-vnet2 already references remote virtual network "+v2) {
		t.Errorf("message does not name the existing link and the remote VNet: %s", e.Message)
	}
	// A link cannot be pointed at another VNet, nor at its own.
	l.mustVNet(nil, "rg", "vnet3", vnetBody("westeurope", []string{"10.3.0.0/16"}))
	_, err = l.putPeering(nil, "rg", "vnet1", "to-vnet2", link(vnetID(sub, "rg", "vnet3")), false)
	wantError(t, err, http.StatusBadRequest, "ChangingRemoteVirtualNetworkNotAllowed")
	_, err = l.putPeering(nil, "rg", "vnet1", "self", link(vnetID(sub, "rg", "vnet1")), false)
	wantError(t, err, http.StatusBadRequest, "CannotPeerVirtualNetworkWithItself")
}

func TestPeering_AddressSpacesOverlap(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.fixture("rg", "vnet1", "westeurope", "10.0.0.0/16", "192.168.0.0/24")
	l.mustVNet(nil, "rg", "vnet3", vnetBody("westeurope", []string{"10.0.128.0/17", "172.16.0.0/16"}))
	v1, v3 := vnetID(sub, "rg", "vnet1"), vnetID(sub, "rg", "vnet3")
	_, err := l.putPeering(nil, "rg", "vnet1", "to-vnet3", link(v3), false)
	e := wantError(t, err, http.StatusBadRequest, "VnetAddressSpacesOverlap")
	want := "Cannot create or update peering " + v1 + "/virtualNetworkPeerings/to-vnet3. Virtual networks " + v1 + " and " + v3 +
		" cannot be peered because their address spaces overlap. Overlapping address prefixes: 10.0.0.0/16, 10.0.128.0/17"
	if e.Message != want {
		t.Errorf("message\n %s\nwant\n %s", e.Message, want)
	}
	// Nothing was created.
	_, err = l.net.NewVirtualNetworkPeeringsClient().Get(t.Context(), "rg", "vnet1", "to-vnet3", nil)
	wantError(t, err, http.StatusNotFound, "NotFound")
}

func TestPeering_OverlapsWithAlreadyPeeredVNet(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.fixture("rg", "hub", "westeurope", "10.0.0.0/16")
	l.mustVNet(nil, "rg", "spoke1", vnetBody("westeurope", []string{"10.1.0.0/16"}))
	l.mustVNet(nil, "rg", "spoke2", vnetBody("westeurope", []string{"10.1.0.0/24"}))
	hub, spoke1, spoke2 := vnetID(sub, "rg", "hub"), vnetID(sub, "rg", "spoke1"), vnetID(sub, "rg", "spoke2")
	l.mustPeering(nil, "rg", "hub", "to-spoke1", link(spoke1))
	l.mustPeering(nil, "rg", "spoke1", "to-hub", link(hub))

	// spoke2 → hub: the first VNet clashes with spoke1, peered with the second.
	_, err := l.putPeering(nil, "rg", "spoke2", "to-hub", link(hub), false)
	e := wantError(t, err, http.StatusBadRequest, "VnetAddressSpaceOverlapsWithAlreadyPeeredVnet")
	want := "Cannot create or update peering " + spoke2 + "/virtualNetworkPeerings/to-hub. Virtual networks " + spoke2 + " and " + hub +
		" cannot be peered because address space of the first virtual network overlaps with address space of virtual network " + spoke1 +
		" already peered with the second virtual network. Overlapping address prefixes: 10.1.0.0/24. For more information please refer to https://aka.ms/VnetPeeringInfo"
	if e.Message != want {
		t.Errorf("message\n %s\nwant\n %s", e.Message, want)
	}
	// hub → spoke2: the same clash seen from the other side.
	_, err = l.putPeering(nil, "rg", "hub", "to-spoke2", link(spoke2), false)
	e = wantError(t, err, http.StatusBadRequest, "VnetAddressSpaceOverlapsWithAlreadyPeeredVnet")
	if !strings.Contains(e.Message, "address space of the second virtual network overlaps with address space of virtual network "+spoke1) {
		t.Errorf("message %s", e.Message)
	}
	// Growing a peered VNet into its peer's space is refused too.
	_, err = l.putVNet(nil, "rg", "hub", vnetBody("westeurope", []string{"10.0.0.0/16", "10.1.128.0/17"}))
	wantError(t, err, http.StatusBadRequest, "VnetAddressSpaceOverlapsWithAlreadyPeeredVnet")
}

// overlappingPair creates VNets left and right whose spaces share
// 172.16.0.0/16: left has l1 (10.0.1.0/24) and l3 (172.16.3.0/24), right has
// r0 (10.1.0.0/24) and r3 (172.16.3.0/24).
func (l *lab) overlappingPair() (string, string) {
	l.t.Helper()
	l.group(nil, "rg", "westeurope")
	l.mustVNet(nil, "rg", "left", vnetBody("westeurope", []string{"10.0.0.0/16", "172.16.0.0/16"},
		subnet("l1", "10.0.1.0/24"), subnet("l3", "172.16.3.0/24")))
	l.mustVNet(nil, "rg", "right", vnetBody("westeurope", []string{"10.1.0.0/16", "172.16.0.0/16"},
		subnet("r0", "10.1.0.0/24"), subnet("r3", "172.16.3.0/24")))
	return vnetID(sub, "rg", "left"), vnetID(sub, "rg", "right")
}

func TestPeering_SubnetPeeringBetweenOverlappingVNets(t *testing.T) {
	l := newLab(t, emulator.Options{})
	left, right := l.overlappingPair()
	_, err := l.putPeering(nil, "rg", "left", "to-right", link(right), false)
	e := wantError(t, err, http.StatusBadRequest, "VnetAddressSpacesOverlap")
	if !strings.HasSuffix(e.Message, "Overlapping address prefixes: 172.16.0.0/16, 172.16.0.0/16") {
		t.Errorf("whole-VNet message %s", e.Message)
	}

	p := l.mustPeering(nil, "rg", "left", "to-right", subnetLink(right, []string{"l1"}, []string{"r0"}))
	if *p.Properties.PeerCompleteVnets || strings.Join(prefixes(p.Properties.LocalAddressSpace), ",") != "10.0.1.0/24" ||
		strings.Join(prefixes(p.Properties.RemoteAddressSpace), ",") != "10.1.0.0/24" {
		t.Errorf("subnet link: complete %v, local %v, remote %v", *p.Properties.PeerCompleteVnets, prefixes(p.Properties.LocalAddressSpace), prefixes(p.Properties.RemoteAddressSpace))
	}
	// The *VirtualNetworkAddressSpace fields show the peered subnets, not
	// the whole VNets.
	if got := strings.Join(prefixes(p.Properties.LocalVirtualNetworkAddressSpace), ","); got != "10.0.1.0/24" {
		t.Errorf("localVirtualNetworkAddressSpace %s", got)
	}
	l.mustPeering(nil, "rg", "right", "to-left", subnetLink(left, []string{"r0"}, []string{"l1"}))
	if got := state(l.getPeering(nil, "rg", "left", "to-right")); got != connected {
		t.Errorf("subnet links are %s, want Connected", got)
	}

	// l3's block exists in right (172.16.0.0/16): refused, naming it.
	_, err = l.putPeering(nil, "rg", "left", "to-right", subnetLink(right, []string{"l1", "l3"}, []string{"r0"}), false)
	e = wantError(t, err, http.StatusBadRequest, "VnetAddressSpacesOverlap")
	if !strings.HasSuffix(e.Message, "cannot be peered because their address spaces overlap. Overlapping address prefixes: 172.16.3.0/24") {
		t.Errorf("subnet message %s", e.Message)
	}
	_, err = l.putPeering(nil, "rg", "left", "to-right", subnetLink(right, []string{"nope"}, []string{"r0"}), false)
	wantError(t, err, http.StatusBadRequest, "SubnetNotFoundForSubnetPeering")
}

func TestPeering_KindChangeIsIgnored(t *testing.T) {
	l := newLab(t, emulator.Options{})
	_, right := l.overlappingPair()
	l.mustPeering(nil, "rg", "left", "to-right", subnetLink(right, []string{"l1"}, []string{"r0"}))

	// subnet → whole: 200, and the link stays a subnet link.
	body := link(right)
	body.Properties.PeerCompleteVnets = to.Ptr(true)
	p, err := l.putPeering(nil, "rg", "left", "to-right", body, false)
	if err != nil {
		t.Fatalf("a change of kind is accepted by Azure: %v", err)
	}
	if *p.Properties.PeerCompleteVnets || strings.Join(prefixes(p.Properties.RemoteAddressSpace), ",") != "10.1.0.0/24" || len(p.Properties.LocalSubnetNames) != 1 {
		t.Errorf("after a whole-VNet PUT the link is complete=%v, remote %v, local subnets %d", *p.Properties.PeerCompleteVnets, prefixes(p.Properties.RemoteAddressSpace), len(p.Properties.LocalSubnetNames))
	}

	// whole → subnet: 200, and the link stays whole.
	l.mustVNet(nil, "rg", "other", vnetBody("westeurope", []string{"10.9.0.0/16"}, subnet("o1", "10.9.1.0/24")))
	l.mustPeering(nil, "rg", "left", "to-other", link(vnetID(sub, "rg", "other")))
	p, err = l.putPeering(nil, "rg", "left", "to-other", subnetLink(vnetID(sub, "rg", "other"), []string{"l1"}, []string{"o1"}), false)
	if err != nil {
		t.Fatal(err)
	}
	if !*p.Properties.PeerCompleteVnets || p.Properties.RemoteSubnetNames != nil || strings.Join(prefixes(p.Properties.RemoteAddressSpace), ",") != "10.9.0.0/16" {
		t.Errorf("after a subnet PUT the whole link is complete=%v, remote subnets %v, remote %v", *p.Properties.PeerCompleteVnets, p.Properties.RemoteSubnetNames, prefixes(p.Properties.RemoteAddressSpace))
	}
}

func TestPeering_ResizeAndSync(t *testing.T) {
	l := newLab(t, emulator.Options{})
	v1, v2 := l.pair()
	l.mustPeering(nil, "rg", "vnet1", "to-vnet2", link(v2))
	l.mustPeering(nil, "rg", "vnet2", "to-vnet1", link(v1))

	l.mustVNet(nil, "rg", "vnet1", vnetBody("westeurope", []string{"10.0.0.0/16", "10.2.0.0/16"}))
	one, two := l.getPeering(nil, "rg", "vnet1", "to-vnet2"), l.getPeering(nil, "rg", "vnet2", "to-vnet1")
	if syncLevel(one) != armnetwork.VirtualNetworkPeeringLevelLocalNotInSync || syncLevel(two) != armnetwork.VirtualNetworkPeeringLevelRemoteNotInSync {
		t.Errorf("after resizing vnet1: vnet1→vnet2 %s, vnet2→vnet1 %s", syncLevel(one), syncLevel(two))
	}
	if state(one) != connected || state(two) != connected {
		t.Errorf("a resize does not disconnect: %s %s", state(one), state(two))
	}
	// The remote VNet's current space shows at once; the peered one only
	// after a sync.
	if got := strings.Join(prefixes(two.Properties.RemoteVirtualNetworkAddressSpace), ","); got != "10.0.0.0/16,10.2.0.0/16" {
		t.Errorf("remoteVirtualNetworkAddressSpace %s", got)
	}
	if got := strings.Join(prefixes(two.Properties.RemoteAddressSpace), ","); got != "10.0.0.0/16" {
		t.Errorf("remoteAddressSpace before the sync %s", got)
	}

	// A sync on the link whose remote did not change fixes nothing.
	if _, err := l.putPeering(nil, "rg", "vnet1", "to-vnet2", link(v2), true); err != nil {
		t.Fatal(err)
	}
	if got := syncLevel(l.getPeering(nil, "rg", "vnet1", "to-vnet2")); got != armnetwork.VirtualNetworkPeeringLevelLocalNotInSync {
		t.Errorf("after syncing vnet1→vnet2: %s, want still LocalNotInSync", got)
	}

	if _, err := l.putPeering(nil, "rg", "vnet2", "to-vnet1", link(v1), true); err != nil {
		t.Fatal(err)
	}
	one, two = l.getPeering(nil, "rg", "vnet1", "to-vnet2"), l.getPeering(nil, "rg", "vnet2", "to-vnet1")
	if syncLevel(one) != armnetwork.VirtualNetworkPeeringLevelFullyInSync || syncLevel(two) != armnetwork.VirtualNetworkPeeringLevelFullyInSync {
		t.Errorf("after syncing vnet2→vnet1: %s and %s, want FullyInSync", syncLevel(one), syncLevel(two))
	}
	got := prefixes(two.Properties.RemoteAddressSpace)
	sort.Strings(got)
	if strings.Join(got, ",") != "10.0.0.0/16,10.2.0.0/16" {
		t.Errorf("remoteAddressSpace after the sync %v", got)
	}

	// Only "true" is a valid sync value.
	resp, _ := l.do(http.MethodPut, v2+"/virtualNetworkPeerings/to-vnet1?syncRemoteAddressSpace=false&api-version="+networkAPI, link(v1), nil)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("syncRemoteAddressSpace=false: %d, want 400", resp.StatusCode)
	}
}

func TestPeering_DeleteIsLongRunning(t *testing.T) {
	l := newLab(t, emulator.Options{})
	v1, v2 := l.pair()
	l.mustPeering(nil, "rg", "vnet1", "to-vnet2", link(v2))
	path := v1 + "/virtualNetworkPeerings/to-vnet2?api-version=" + networkAPI
	resp, b := l.do(http.MethodDelete, path, nil, nil)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("DELETE: %d %s, want 202", resp.StatusCode, b)
	}
	loc, async := resp.Header.Get("Location"), resp.Header.Get("Azure-AsyncOperation")
	if !strings.Contains(loc, "/providers/Microsoft.Network/locations/westeurope/operationResults/") || !strings.Contains(async, "/operations/") {
		t.Fatalf("Location %q, Azure-AsyncOperation %q", loc, async)
	}
	if r, _ := l.do(http.MethodGet, loc, nil, nil); r.StatusCode != http.StatusNoContent {
		t.Errorf("the Location URL of a finished delete answers %d, want 204", r.StatusCode)
	}
	if got := l.pollStatus(async); strings.Join(got, ",") != "Succeeded" {
		t.Errorf("operation statuses %v", got)
	}
	resp, _ = l.do(http.MethodDelete, path, nil, nil)
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("DELETE of a deleted link: %d, want 204", resp.StatusCode)
	}

	// The SDK's poller follows the same answers to the end.
	l.mustPeering(nil, "rg", "vnet2", "to-vnet1", link(v1))
	l.deletePeering(nil, "rg", "vnet2", "to-vnet1")
	_, err := l.net.NewVirtualNetworkPeeringsClient().Get(t.Context(), "rg", "vnet2", "to-vnet1", nil)
	wantError(t, err, http.StatusNotFound, "NotFound")
}

func TestPeering_PutAnswersAndIfMatch(t *testing.T) {
	l := newLab(t, emulator.Options{})
	v1, v2 := l.pair()
	path := v1 + "/virtualNetworkPeerings/to-vnet2?api-version=" + networkAPI
	resp, b := l.do(http.MethodPut, path, link(v2), nil)
	if resp.StatusCode != http.StatusCreated || !strings.Contains(resp.Header.Get("Azure-AsyncOperation"), "/providers/Microsoft.Network/locations/westeurope/operations/") {
		t.Fatalf("create: %d, Azure-AsyncOperation %q: %s", resp.StatusCode, resp.Header.Get("Azure-AsyncOperation"), b)
	}
	etag := *l.getPeering(nil, "rg", "vnet1", "to-vnet2").Etag

	resp, b = l.do(http.MethodPut, path, link(v2), http.Header{"If-Match": {`W/"stale"`}})
	if resp.StatusCode != http.StatusPreconditionFailed || !strings.Contains(string(b), `"PreconditionFailed"`) {
		t.Errorf("update with a stale If-Match: %d %s, want 412 PreconditionFailed", resp.StatusCode, b)
	}
	resp, b = l.do(http.MethodPut, path, link(v2), http.Header{"If-Match": {etag}})
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Azure-AsyncOperation") == "" {
		t.Errorf("update with the current etag: %d %s, want 200 with Azure-AsyncOperation", resp.StatusCode, b)
	}
	if got := *l.getPeering(nil, "rg", "vnet1", "to-vnet2").Etag; got == etag {
		t.Error("the etag did not change with the update")
	}
}
