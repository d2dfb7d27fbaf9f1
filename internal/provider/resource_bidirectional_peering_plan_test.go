package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/peerlab/terraform-provider-peerlab/internal/peering"
)

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
	changing, d := planPair(context.Background(), &m, nil, false)
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
	planPair(context.Background(), &m, nil, false)
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
			changing, d := planPair(ctx, &plan, &prior, false)
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

func TestSidesSwapped(t *testing.T) {
	ctx := context.Background()
	prior := pair(t, stateSide(testVNetA, "main-to-remote", "Connected", "FullyInSync"), stateSide(testVNetB, "remote-to-main", "Connected", "FullyInSync"))
	named := func(vnet, name string) sideModel {
		s := side(vnet, "", nil)
		s.Name = types.StringNull()
		if name != "" {
			s.Name = types.StringValue(name)
		}
		return s
	}
	cases := []struct {
		name string
		a, b sideModel
		want bool
	}{
		{"the same orientation", named(testVNetA, ""), named(testVNetB, ""), false},
		{"swapped, names left out", named(testVNetB, ""), named(testVNetA, ""), true},
		{"swapped, names given in another case", named(strings.ToLower(testVNetB), "Remote-To-Main"), named(testVNetA, "main-to-remote"), true},
		{"swapped VNets, other link names", named(testVNetB, "other"), named(testVNetA, ""), false},
		{"swapped, a name not known yet", func() sideModel { s := named(testVNetB, ""); s.Name = types.StringUnknown(); return s }(), named(testVNetA, ""), false},
		{"one VNet changed", named(testVNetB, ""), named(testVNetA+"2", ""), false},
	}
	for _, tc := range cases {
		if got := sidesSwapped(ctx, prior, pair(t, tc.a, tc.b)); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}

	// Planned from the swapped state, each side keeps its own link's name,
	// ID and state, and the pair ID follows the configuration.
	plan := pair(t, named(testVNetB, ""), named(testVNetA, ""))
	plan.SyncAddressSpace = types.BoolValue(true)
	changing, d := planPair(ctx, &plan, &prior, true)
	if d.HasError() {
		t.Fatal(d)
	}
	a, _, _ := plan.side(ctx, peering.SideA)
	b, _, _ := plan.side(ctx, peering.SideB)
	if changing || a.Name.ValueString() != "remote-to-main" || b.Name.ValueString() != "main-to-remote" ||
		a.ID.ValueString() != testVNetB+"/virtualNetworkPeerings/remote-to-main" || a.PeeringState.ValueString() != "Connected" ||
		plan.ID.ValueString() != testVNetB+"/virtualNetworkPeerings/remote-to-main|"+testVNetA+"/virtualNetworkPeerings/main-to-remote" {
		t.Errorf("changing %v; a %s %s %s; b %s; id %s", changing, a.Name, a.ID, a.PeeringState, b.Name, plan.ID)
	}
}
