package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/peerlab/terraform-provider-peerlab/internal/peering"
)

func link(id peering.LinkID, remote string, state armnetwork.VirtualNetworkPeeringState, subnets ...string) peering.Side {
	p := &armnetwork.VirtualNetworkPeeringPropertiesFormat{
		RemoteVirtualNetwork:      &armnetwork.SubResource{ID: to.Ptr(remote)},
		PeeringState:              to.Ptr(state),
		PeeringSyncLevel:          to.Ptr(armnetwork.VirtualNetworkPeeringLevelFullyInSync),
		AllowVirtualNetworkAccess: to.Ptr(true), AllowForwardedTraffic: to.Ptr(true),
		AllowGatewayTransit: to.Ptr(false), UseRemoteGateways: to.Ptr(false),
		RemoteAddressSpace: &armnetwork.AddressSpace{AddressPrefixes: to.SliceOfPtrs("10.9.0.0/16")},
		PeerCompleteVnets:  to.Ptr(len(subnets) == 0),
	}
	if len(subnets) > 0 {
		p.LocalSubnetNames = to.SliceOfPtrs(subnets[0])
		p.RemoteSubnetNames = to.SliceOfPtrs(subnets[1])
	}
	return peering.Side{ID: id, Link: &armnetwork.VirtualNetworkPeering{ID: to.Ptr(id.String()), Name: to.Ptr(id.Name), Properties: p}}
}

func TestObserveForImport(t *testing.T) {
	ctx := context.Background()
	va, _ := peering.ParseVirtualNetworkID(testVNetA)
	vb, _ := peering.ParseVirtualNetworkID(testVNetB)
	p := peering.Pair{
		A: link(va.Link("Main-to-Remote"), testVNetB, armnetwork.VirtualNetworkPeeringStateConnected, "app", "web"),
		B: peering.Side{ID: vb.Link("Remote-to-Main")},
	}
	empty := pairModel{ID: types.StringNull(), A: types.ObjectNull(sideAttrTypes), B: types.ObjectNull(sideAttrTypes),
		OnlyIPv6: types.BoolNull(), SyncAddressSpace: types.BoolNull(), Connected: types.BoolNull()}
	empty.Timeouts.Object = types.ObjectNull(empty.Timeouts.AttributeTypes(ctx))
	m, d := empty.observe(ctx, p)
	if d.HasError() {
		t.Fatal(d)
	}
	a, _, _ := m.side(ctx, peering.SideA)
	b, _, _ := m.side(ctx, peering.SideB)
	if m.ID.ValueString() != p.ID() || m.Connected.ValueBool() || !m.SyncAddressSpace.ValueBool() || m.OnlyIPv6.ValueBool() {
		t.Errorf("pair %+v", m)
	}
	if a.Name.ValueString() != "Main-to-Remote" || a.VirtualNetworkID.ValueString() != testVNetA || !a.AllowForwardedTraffic.ValueBool() || a.PeeringState.ValueString() != "Connected" {
		t.Errorf("a %+v", a)
	}
	if got := stringsOf(ctx, a.SubnetNames); len(got) != 1 || got[0] != "app" {
		t.Errorf("a subnets %v", got)
	}
	// b is missing: its settings are the defaults, its subnets those a names.
	if b.PeeringState.ValueString() != "Missing" || !b.AllowVirtualNetworkAccess.ValueBool() || b.AllowForwardedTraffic.ValueBool() || !b.SyncLevel.IsNull() {
		t.Errorf("b %+v", b)
	}
	if got := stringsOf(ctx, b.SubnetNames); len(got) != 1 || got[0] != "web" {
		t.Errorf("b subnets %v", got)
	}
}

func TestObserveKeepsTheConfiguredSpelling(t *testing.T) {
	ctx := context.Background()
	prior := pair(t, side(strings.Replace(testVNetA, "resourceGroups/rg", "resourcegroups/RG", 1), "main-to-remote", []string{"App"}), side(testVNetB, "remote-to-main", []string{"web"}))
	va, _ := peering.ParseVirtualNetworkID(testVNetA)
	vb, _ := peering.ParseVirtualNetworkID(testVNetB)
	p := peering.Pair{
		A: link(va.Link("main-to-remote"), testVNetB, armnetwork.VirtualNetworkPeeringStateConnected, "app", "web"),
		B: link(vb.Link("remote-to-main"), testVNetA, armnetwork.VirtualNetworkPeeringStateConnected, "web", "app"),
	}
	m, d := prior.observe(ctx, p)
	if d.HasError() {
		t.Fatal(d)
	}
	a, _, _ := m.side(ctx, peering.SideA)
	pa, _, _ := prior.side(ctx, peering.SideA)
	if !a.VirtualNetworkID.Equal(pa.VirtualNetworkID) {
		t.Errorf("the ID changed spelling: %s", a.VirtualNetworkID)
	}
	if got := stringsOf(ctx, a.SubnetNames); got[0] != "App" {
		t.Errorf("subnet spelling %v", got)
	}
	if !m.Connected.ValueBool() {
		t.Error("not connected")
	}
}
