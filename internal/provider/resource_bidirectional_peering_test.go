package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/peerlab/terraform-provider-peerlab/internal/peering"
)

const (
	testVNetA = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/main"
	testVNetB = "/subscriptions/s2/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/remote"
)

func resourceSchema(t *testing.T) schema.Schema {
	t.Helper()
	var resp resource.SchemaResponse
	NewBidirectionalPeeringResource().Schema(context.Background(), resource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	return resp.Schema
}

func TestResourceSchema(t *testing.T) {
	s := resourceSchema(t)
	if d := s.ValidateImplementation(context.Background()); d.HasError() {
		t.Fatal(d)
	}
	var walk func(prefix string, attrs map[string]schema.Attribute)
	walk = func(prefix string, attrs map[string]schema.Attribute) {
		for name, a := range attrs {
			if name != "timeouts" && a.GetMarkdownDescription() == "" {
				t.Errorf("%s%s has no MarkdownDescription", prefix, name)
			}
			if n, ok := a.(schema.SingleNestedAttribute); ok {
				walk(prefix+name+".", n.Attributes)
			}
		}
	}
	walk("", s.Attributes)
	for _, want := range []string{"virtual_network_id", "name", "allow_virtual_network_access", "allow_forwarded_traffic",
		"allow_gateway_transit", "use_remote_gateways", "subnet_names", "id", "peering_state", "sync_level", "remote_address_space"} {
		if _, ok := s.Attributes["a"].(schema.SingleNestedAttribute).Attributes[want]; !ok {
			t.Errorf("side attribute %s missing", want)
		}
	}
	for _, want := range []string{"id", "a", "b", "only_ipv6", "sync_address_space", "connected", "timeouts"} {
		if _, ok := s.Attributes[want]; !ok {
			t.Errorf("attribute %s missing", want)
		}
	}
	doc := s.Attributes["a"].(schema.SingleNestedAttribute).Attributes["peering_state"].GetMarkdownDescription()
	for _, st := range peering.States {
		if !strings.Contains(doc, "`"+string(st)+"`") {
			t.Errorf("peering_state documentation lacks %s", st)
		}
	}
}

// side builds a side with its settings; nil pointers stay null.
func side(vnet, name string, subnets []string) sideModel {
	s := emptySide()
	s.VirtualNetworkID = types.StringValue(vnet)
	if name != "" {
		s.Name = types.StringValue(name)
	} else {
		s.Name = types.StringUnknown()
	}
	s.AllowVirtualNetworkAccess, s.AllowForwardedTraffic = types.BoolValue(true), types.BoolValue(false)
	s.AllowGatewayTransit, s.UseRemoteGateways = types.BoolValue(false), types.BoolValue(false)
	if subnets != nil {
		s.SubnetNames, _ = types.SetValueFrom(context.Background(), types.StringType, subnets)
	}
	return s
}

func pair(t *testing.T, a, b sideModel) pairModel {
	t.Helper()
	m := pairModel{ID: types.StringUnknown(), OnlyIPv6: types.BoolValue(false), SyncAddressSpace: types.BoolValue(true), Connected: types.BoolUnknown()}
	m.Timeouts.Object = types.ObjectNull(m.Timeouts.AttributeTypes(context.Background()))
	if d := m.setSide(context.Background(), peering.SideA, a); d.HasError() {
		t.Fatal(d)
	}
	if d := m.setSide(context.Background(), peering.SideB, b); d.HasError() {
		t.Fatal(d)
	}
	return m
}

func problemList(ps []peering.Problem) string {
	var out []string
	for _, p := range ps {
		out = append(out, problemPath(p).String()+": "+p.Summary)
	}
	return strings.Join(out, "\n")
}

func TestValidatePair(t *testing.T) {
	ok := pair(t, side(testVNetA, "", nil), side(testVNetB, "", nil))
	if ps := validatePair(context.Background(), ok); len(ps) != 0 {
		t.Errorf("valid: %s", problemList(ps))
	}
	cases := []struct {
		name string
		m    func() pairModel
		want string
	}{
		{"same vnet", func() pairModel { return pair(t, side(testVNetA, "", nil), side(strings.ToLower(testVNetA), "", nil)) }, "b.virtual_network_id: Same virtual network on both sides"},
		{"subnets on one side", func() pairModel { return pair(t, side(testVNetA, "", []string{"s"}), side(testVNetB, "", nil)) }, "b.subnet_names: Subnet names on one side only"},
		{"ipv6 whole", func() pairModel { m := ok; m.OnlyIPv6 = types.BoolValue(true); return m }, "only_ipv6: only_ipv6 needs subnet peering"},
		{"remote gateway", func() pairModel {
			b := side(testVNetB, "", nil)
			b.UseRemoteGateways = types.BoolValue(true)
			return pair(t, side(testVNetA, "", nil), b)
		}, "b.use_remote_gateways: Remote gateway not offered"},
	}
	for _, tc := range cases {
		got := problemList(validatePair(context.Background(), tc.m()))
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
	// Unknown values are checked at plan time instead, not guessed at.
	a := side(testVNetA, "", nil)
	a.UseRemoteGateways = types.BoolUnknown()
	b := side(testVNetB, "", nil)
	b.SubnetNames = types.SetUnknown(types.StringType)
	b.VirtualNetworkID = types.StringUnknown()
	if ps := validatePair(context.Background(), pair(t, a, b)); len(ps) != 0 {
		t.Errorf("unknowns: %s", problemList(ps))
	}
}

func TestPlanPairDefaultsNames(t *testing.T) {
	m := pair(t, side(testVNetA, "", nil), side(testVNetB, "Remote-to-Main", nil))
	changing, d := planPair(context.Background(), &m, nil)
	if d.HasError() || !changing {
		t.Fatal(d, changing)
	}
	a, _, _ := m.side(context.Background(), peering.SideA)
	b, _, _ := m.side(context.Background(), peering.SideB)
	if a.Name.ValueString() != "main-to-remote" || b.Name.ValueString() != "Remote-to-Main" {
		t.Errorf("names %s, %s", a.Name, b.Name)
	}
	// Without both VNet IDs the default stays unknown.
	u := side(testVNetB, "", nil)
	u.VirtualNetworkID = types.StringUnknown()
	m = pair(t, side(testVNetA, "", nil), u)
	planPair(context.Background(), &m, nil)
	a, _, _ = m.side(context.Background(), peering.SideA)
	if !a.Name.IsUnknown() {
		t.Errorf("name %s with the other VNet unknown", a.Name)
	}
}

// stateSide is a side as Read records it.
func stateSide(vnet, name, state, sync string) sideModel {
	s := side(vnet, name, nil)
	s.ID = types.StringValue(vnet + "/virtualNetworkPeerings/" + name)
	s.PeeringState = types.StringValue(state)
	s.SyncLevel = types.StringValue(sync)
	s.RemoteAddressSpace, _ = types.ListValueFrom(context.Background(), types.StringType, []string{"10.1.0.0/16"})
	return s
}

func TestPlanPairShowsRepairs(t *testing.T) {
	ctx := context.Background()
	healthyA := stateSide(testVNetA, "main-to-remote", "Connected", "FullyInSync")
	healthyB := stateSide(testVNetB, "remote-to-main", "Connected", "FullyInSync")
	cases := []struct {
		name      string
		a, b      sideModel
		sync      bool
		edit      func(p *sideModel)
		changing  bool
		repairing bool
	}{
		{"healthy, no change", healthyA, healthyB, true, nil, false, false},
		{"healthy, flag change", healthyA, healthyB, true, func(p *sideModel) { p.AllowForwardedTraffic = types.BoolValue(true) }, true, false},
		{"b missing", stateSide(testVNetA, "main-to-remote", "Disconnected", "FullyInSync"), stateSide(testVNetB, "remote-to-main", "Missing", ""), true, nil, true, true},
		{"out of sync", healthyA, stateSide(testVNetB, "remote-to-main", "Connected", "RemoteNotInSync"), true, nil, true, true},
		{"out of sync, sync off", healthyA, stateSide(testVNetB, "remote-to-main", "Connected", "RemoteNotInSync"), false, nil, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			prior := pair(t, tc.a, tc.b)
			prior.Connected = types.BoolValue(!tc.repairing)
			prior.SyncAddressSpace = types.BoolValue(tc.sync)
			plan := prior
			pa := tc.a
			// The framework marks computed values unknown when anything changes.
			pa.PeeringState, pa.SyncLevel = types.StringUnknown(), types.StringUnknown()
			if tc.edit != nil {
				tc.edit(&pa)
			}
			plan.setSide(ctx, peering.SideA, pa)
			plan.Connected = types.BoolUnknown()
			changing, d := planPair(ctx, &plan, &prior)
			if d.HasError() {
				t.Fatal(d)
			}
			if changing != tc.changing {
				t.Errorf("changing %v, want %v", changing, tc.changing)
			}
			a, _, _ := plan.side(ctx, peering.SideA)
			b, _, _ := plan.side(ctx, peering.SideB)
			if tc.changing {
				if a.PeeringState.ValueString() != "Connected" || b.PeeringState.ValueString() != "Connected" || !plan.Connected.ValueBool() {
					t.Errorf("a change should plan Connected: %s %s %s", a.PeeringState, b.PeeringState, plan.Connected)
				}
				if !a.SyncLevel.IsUnknown() || !b.RemoteAddressSpace.IsUnknown() {
					t.Error("sync level and remote address space are known only after the apply")
				}
				return
			}
			if !a.PeeringState.Equal(tc.a.PeeringState) || !a.SyncLevel.Equal(tc.a.SyncLevel) || !plan.Connected.Equal(prior.Connected) || !b.RemoteAddressSpace.Equal(tc.b.RemoteAddressSpace) {
				t.Errorf("computed values of a healthy pair changed: %s %s %s", a.PeeringState, a.SyncLevel, plan.Connected)
			}
		})
	}
}

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

func TestShortDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{30 * time.Minute: "30m", 5 * time.Minute: "5m", 90 * time.Minute: "1h30m", 2 * time.Hour: "2h", 45 * time.Second: "45s"} {
		if got := shortDuration(d); got != want {
			t.Errorf("%s: %q, want %q", d, got, want)
		}
	}
}
