package peering

import (
	"slices"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
)

// observed builds what a GET of spec's link n returns, then lets change edit it.
func observed(spec Spec, n SideName, state armnetwork.VirtualNetworkPeeringState, change func(p *armnetwork.VirtualNetworkPeeringPropertiesFormat)) Side {
	l := spec.DesiredLink(n)
	l.Properties.PeeringState = to.Ptr(state)
	l.Properties.PeeringSyncLevel = to.Ptr(armnetwork.VirtualNetworkPeeringLevelFullyInSync)
	l.Properties.ProvisioningState = to.Ptr(armnetwork.ProvisioningStateSucceeded)
	if !spec.SubnetPeering() {
		l.Properties.PeerCompleteVnets = to.Ptr(true)
	}
	if change != nil {
		change(l.Properties)
	}
	return Side{ID: spec.LinkID(n), Link: &l}
}

func TestSideState(t *testing.T) {
	s := testSpec()
	cases := []struct {
		side Side
		want State
	}{
		{Side{ID: s.LinkID(SideA)}, StateMissing},
		{observed(s, SideA, armnetwork.VirtualNetworkPeeringStateConnected, nil), StateConnected},
		{observed(s, SideA, armnetwork.VirtualNetworkPeeringStateInitiated, nil), StateInitiated},
		{observed(s, SideA, armnetwork.VirtualNetworkPeeringStateDisconnected, nil), StateDisconnected},
		{observed(s, SideA, "connected", nil), StateConnected},
		{observed(s, SideA, "", func(p *armnetwork.VirtualNetworkPeeringPropertiesFormat) { p.PeeringState = nil }), StateInitiated},
	}
	for i, tc := range cases {
		if got := tc.side.State(); got != tc.want {
			t.Errorf("case %d: %s, want %s", i, got, tc.want)
		}
	}
	if !slices.Contains(States, StateMissing) || len(States) != 4 {
		t.Errorf("States %v", States)
	}
}

func TestSyncAndFlags(t *testing.T) {
	s := testSpec()
	in := observed(s, SideA, armnetwork.VirtualNetworkPeeringStateConnected, nil)
	out := observed(s, SideA, armnetwork.VirtualNetworkPeeringStateConnected, func(p *armnetwork.VirtualNetworkPeeringPropertiesFormat) {
		p.PeeringSyncLevel = to.Ptr(armnetwork.VirtualNetworkPeeringLevelLocalAndRemoteNotInSync)
	})
	unknown := observed(s, SideA, armnetwork.VirtualNetworkPeeringStateConnected, func(p *armnetwork.VirtualNetworkPeeringPropertiesFormat) {
		p.PeeringSyncLevel = nil
	})
	if !in.InSync() || out.InSync() || !unknown.InSync() {
		t.Errorf("in sync: %v %v %v", in.InSync(), out.InSync(), unknown.InSync())
	}
	if NeedsSync(in) || !NeedsSync(out) || NeedsSync(Side{}) {
		t.Error("NeedsSync")
	}
	if out.SyncLevel() != "LocalAndRemoteNotInSync" {
		t.Errorf("sync level %q", out.SyncLevel())
	}
	bare := Side{Link: &armnetwork.VirtualNetworkPeering{Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{}}}
	if !bare.AllowVirtualNetworkAccess() || bare.AllowForwardedTraffic() || !bare.PeerCompleteVnets() {
		t.Error("absent flags do not default as Azure's do")
	}
	p := Pair{A: in, B: observed(s, SideB, armnetwork.VirtualNetworkPeeringStateConnected, nil)}
	if !p.Connected() || !p.Healthy() {
		t.Error("healthy pair")
	}
	p.B = out
	if !p.Connected() || p.Healthy() {
		t.Error("an out-of-sync pair is connected but not healthy")
	}
}

func TestDiagnose(t *testing.T) {
	whole := testSpec()
	subnet := testSpec()
	subnet.A.SubnetNames, subnet.B.SubnetNames = []string{"s1"}, []string{"t1"}
	connected := armnetwork.VirtualNetworkPeeringStateConnected
	cases := []struct {
		name string
		spec Spec
		side Side
		want Action
	}{
		{"missing", whole, Side{ID: whole.LinkID(SideA)}, Create},
		{"healthy", whole, observed(whole, SideA, connected, nil), Keep},
		{"initiated is fine", whole, observed(whole, SideA, armnetwork.VirtualNetworkPeeringStateInitiated, nil), Keep},
		{"disconnected", whole, observed(whole, SideA, armnetwork.VirtualNetworkPeeringStateDisconnected, nil), Reconnect},
		{"disconnected and of another kind", subnet, observed(whole, SideA, armnetwork.VirtualNetworkPeeringStateDisconnected, nil), Recreate},
		{"flag differs", whole, observed(whole, SideA, connected, func(p *armnetwork.VirtualNetworkPeeringPropertiesFormat) { p.AllowForwardedTraffic = to.Ptr(true) }), Update},
		{"failed provisioning", whole, observed(whole, SideA, connected, func(p *armnetwork.VirtualNetworkPeeringPropertiesFormat) {
			p.ProvisioningState = to.Ptr(armnetwork.ProvisioningStateFailed)
		}), Update},
		{"points elsewhere", whole, observed(whole, SideA, connected, func(p *armnetwork.VirtualNetworkPeeringPropertiesFormat) {
			p.RemoteVirtualNetwork.ID = to.Ptr("/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/virtualNetworks/z")
		}), Recreate},
		{"remote ID in other case", whole, observed(whole, SideA, connected, func(p *armnetwork.VirtualNetworkPeeringPropertiesFormat) {
			p.RemoteVirtualNetwork.ID = to.Ptr(spokeID.Key())
		}), Keep},
		{"subnet link wanted, whole found", subnet, observed(whole, SideA, connected, nil), Recreate},
		{"whole wanted, subnet found", whole, observed(subnet, SideA, connected, nil), Recreate},
		{"subnet healthy", subnet, observed(subnet, SideA, connected, nil), Keep},
		{"subnet list differs", subnet, observed(subnet, SideA, connected, func(p *armnetwork.VirtualNetworkPeeringPropertiesFormat) {
			p.LocalSubnetNames = to.SliceOfPtrs("s1", "s2")
		}), Update},
		{"subnet list in other case", subnet, observed(subnet, SideA, connected, func(p *armnetwork.VirtualNetworkPeeringPropertiesFormat) {
			p.RemoteSubnetNames = to.SliceOfPtrs("T1")
		}), Keep},
		{"ipv6 differs", subnet, observed(subnet, SideA, connected, func(p *armnetwork.VirtualNetworkPeeringPropertiesFormat) {
			p.EnableOnlyIPv6Peering = to.Ptr(true)
		}), Recreate},
	}
	for _, tc := range cases {
		if got := Diagnose(tc.spec, SideA, tc.side); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestPlanRepairOrder(t *testing.T) {
	s := testSpec()
	c := armnetwork.VirtualNetworkPeeringStateConnected
	// Turning gateway transit around: a stops using b's gateway first.
	s.B.AllowGatewayTransit = true // b offers its gateway (goes first when created)
	obsA := observed(s, SideA, c, func(p *armnetwork.VirtualNetworkPeeringPropertiesFormat) { p.UseRemoteGateways = to.Ptr(true) })
	obsB := observed(s, SideB, c, func(p *armnetwork.VirtualNetworkPeeringPropertiesFormat) { p.AllowGatewayTransit = to.Ptr(false) })
	pl := PlanRepair(s, Pair{A: obsA, B: obsB})
	if !slices.Equal(pl.Order, []SideName{SideA, SideB}) {
		t.Errorf("order %v: a, which gives up use_remote_gateways, goes first", pl.Order)
	}
	// Creating: the transit side first.
	s2 := testSpec()
	s2.B.AllowGatewayTransit, s2.A.UseRemoteGateways = true, true
	pl = PlanRepair(s2, Pair{A: Side{ID: s2.LinkID(SideA)}, B: Side{ID: s2.LinkID(SideB)}})
	if !slices.Equal(pl.Order, []SideName{SideB, SideA}) || pl.A != Create || pl.B != Create {
		t.Errorf("create plan %+v", pl)
	}
	// A healthy side is not in the order.
	pl = PlanRepair(testSpec(), Pair{A: observed(testSpec(), SideA, armnetwork.VirtualNetworkPeeringStateInitiated, nil), B: Side{ID: testSpec().LinkID(SideB)}})
	if !slices.Equal(pl.Order, []SideName{SideB}) || pl.A != Keep {
		t.Errorf("half pair plan %+v", pl)
	}
}
