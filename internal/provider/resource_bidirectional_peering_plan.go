package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/peerlab/terraform-provider-peerlab/internal/peering"
)

// knownStrings reads a set whose elements are all known; ok is false when
// the set or an element is unknown. A null set is known and empty.
func knownStrings(ctx context.Context, s types.Set) ([]string, bool) {
	if s.IsUnknown() {
		return nil, false
	}
	if s.IsNull() {
		return nil, true
	}
	for _, e := range s.Elements() {
		if e.IsUnknown() {
			return nil, false
		}
	}
	return stringsOf(ctx, s), true
}

func knownBool(v types.Bool) (bool, bool) {
	if v.IsUnknown() {
		return false, false
	}
	return v.ValueBool(), true
}

// validatePair runs the engine's configuration checks on whatever parts of
// the configuration are known.
func validatePair(ctx context.Context, cfg pairModel) []peering.Problem {
	a, aok, _ := cfg.side(ctx, peering.SideA)
	b, bok, _ := cfg.side(ctx, peering.SideB)
	if !aok || !bok {
		return nil
	}
	var out []peering.Problem
	if !a.VirtualNetworkID.IsUnknown() && !b.VirtualNetworkID.IsUnknown() {
		va, errA := peering.ParseVirtualNetworkID(a.VirtualNetworkID.ValueString())
		vb, errB := peering.ParseVirtualNetworkID(b.VirtualNetworkID.ValueString())
		if errA == nil && errB == nil {
			out = append(out, peering.CheckDistinct(va, vb)...)
		}
	}
	sa, okA := knownStrings(ctx, a.SubnetNames)
	sb, okB := knownStrings(ctx, b.SubnetNames)
	ipv6, okV6 := knownBool(cfg.OnlyIPv6)
	if okA && okB && okV6 {
		out = append(out, peering.CheckSubnetMode(sa, sb, ipv6)...)
	}
	flags := []types.Bool{a.AllowGatewayTransit, a.UseRemoteGateways, b.AllowGatewayTransit, b.UseRemoteGateways}
	known := true
	for _, f := range flags {
		known = known && !f.IsUnknown()
	}
	if known {
		out = append(out, peering.CheckGateways(
			peering.GatewayFlags{AllowGatewayTransit: a.AllowGatewayTransit.ValueBool(), UseRemoteGateways: a.UseRemoteGateways.ValueBool()},
			peering.GatewayFlags{AllowGatewayTransit: b.AllowGatewayTransit.ValueBool(), UseRemoteGateways: b.UseRemoteGateways.ValueBool()})...)
	}
	return out
}

// sidesSwapped reports whether a configuration names the same two links as
// the state, with sides a and b the other way round: as after importing the
// link of the side that the configuration calls b, or the pair ID in b|a
// order. Such a plan only re-orders the state and changes nothing in Azure,
// so it must not replace the peering. A name the configuration leaves out
// matches; one not known yet does not.
func sidesSwapped(ctx context.Context, prior, cfg pairModel) bool {
	pa, okPA, _ := prior.side(ctx, peering.SideA)
	pb, okPB, _ := prior.side(ctx, peering.SideB)
	ca, okCA, _ := cfg.side(ctx, peering.SideA)
	cb, okCB, _ := cfg.side(ctx, peering.SideB)
	if !okPA || !okPB || !okCA || !okCB {
		return false
	}
	same := func(c, s types.String) bool {
		return !c.IsUnknown() && !c.IsNull() && strings.EqualFold(c.ValueString(), s.ValueString())
	}
	name := func(c, s types.String) bool { return c.IsNull() || same(c, s) }
	return same(ca.VirtualNetworkID, pb.VirtualNetworkID) && same(cb.VirtualNetworkID, pa.VirtualNetworkID) &&
		!strings.EqualFold(pa.VirtualNetworkID.ValueString(), pb.VirtualNetworkID.ValueString()) &&
		name(ca.Name, pb.Name) && name(cb.Name, pa.Name)
}

// replaceUnlessSwapped is RequiresReplace for a side's virtual network and
// link name, except when the configuration only swaps the two sides.
func replaceUnlessSwapped(ctx context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
	var prior, cfg pairModel
	if req.State.Get(ctx, &prior).HasError() || req.Config.Get(ctx, &cfg).HasError() {
		resp.RequiresReplace = true
		return
	}
	resp.RequiresReplace = !sidesSwapped(ctx, prior, cfg)
}

// planPair fills in what the plan can know: default link names, and for an
// existing pair the computed values, so that a side that is not Connected
// or a link out of sync shows as an update. swapped says the state holds
// the sides the other way round (see sidesSwapped): each side is then
// planned from the prior state of the same link. changing reports whether
// the apply will create or change links (and the VNets are worth checking).
func planPair(ctx context.Context, plan *pairModel, prior *pairModel, swapped bool) (changing bool, diags diag.Diagnostics) {
	a, aok, d := plan.side(ctx, peering.SideA)
	diags.Append(d...)
	b, bok, d := plan.side(ctx, peering.SideB)
	diags.Append(d...)
	if !aok || !bok || diags.HasError() {
		return prior == nil, diags
	}
	// Default names need both VNet names.
	if !a.VirtualNetworkID.IsUnknown() && !b.VirtualNetworkID.IsUnknown() {
		va, errA := peering.ParseVirtualNetworkID(a.VirtualNetworkID.ValueString())
		vb, errB := peering.ParseVirtualNetworkID(b.VirtualNetworkID.ValueString())
		if errA == nil && errB == nil {
			if a.Name.IsUnknown() {
				a.Name = types.StringValue(peering.DefaultLinkName(va, vb))
			}
			if b.Name.IsUnknown() {
				b.Name = types.StringValue(peering.DefaultLinkName(vb, va))
			}
		}
	}
	if prior == nil {
		diags.Append(plan.setSide(ctx, peering.SideA, a)...)
		diags.Append(plan.setSide(ctx, peering.SideB, b)...)
		return true, diags
	}
	pa, _, d := prior.side(ctx, peering.SideA)
	diags.Append(d...)
	pb, _, d := prior.side(ctx, peering.SideB)
	diags.Append(d...)
	if swapped {
		pa, pb = pb, pa
		// Names and IDs the plan took from the state's other side.
		for _, s := range []struct {
			plan  *sideModel
			prior sideModel
		}{{&a, pa}, {&b, pb}} {
			if !strings.EqualFold(s.plan.Name.ValueString(), s.prior.Name.ValueString()) {
				s.plan.Name = s.prior.Name
			}
			s.plan.ID = s.prior.ID
		}
		plan.ID = types.StringValue(pa.ID.ValueString() + peering.PairSeparator + pb.ID.ValueString())
	}
	sync := boolOr(plan.SyncAddressSpace, defaultSyncAddressSpace)
	repair := false
	for _, s := range []sideModel{pa, pb} {
		if s.PeeringState.ValueString() != string(peering.StateConnected) {
			repair = true
		}
		if lvl := s.SyncLevel.ValueString(); sync && lvl != "" && !strings.EqualFold(lvl, peering.SyncFullyInSync) {
			repair = true
		}
	}
	// Any PUT may change what each link peers of the other (subnet lists do),
	// so those values are known only after apply; the states are known: the
	// apply fails unless both sides end Connected.
	changing = repair || settingsDiffer(a, pa) || settingsDiffer(b, pb)
	settle := func(p, s sideModel) sideModel {
		if changing {
			p.PeeringState = types.StringValue(string(peering.StateConnected))
			p.SyncLevel = types.StringUnknown()
			p.RemoteAddressSpace = types.ListUnknown(types.StringType)
			return p
		}
		p.PeeringState, p.SyncLevel, p.RemoteAddressSpace = s.PeeringState, s.SyncLevel, s.RemoteAddressSpace
		return p
	}
	a, b = settle(a, pa), settle(b, pb)
	if changing {
		plan.Connected = types.BoolValue(true)
		if repair {
			tflog.Info(ctx, "the plan repairs or resyncs the peering", map[string]any{"a_state": pa.PeeringState.ValueString(), "b_state": pb.PeeringState.ValueString()})
		}
	} else {
		plan.Connected = prior.Connected
	}
	diags.Append(plan.setSide(ctx, peering.SideA, a)...)
	diags.Append(plan.setSide(ctx, peering.SideB, b)...)
	return changing, diags
}

// settingsDiffer reports a change to what a PUT of the link would send.
func settingsDiffer(p, s sideModel) bool {
	return !p.AllowVirtualNetworkAccess.Equal(s.AllowVirtualNetworkAccess) ||
		!p.AllowForwardedTraffic.Equal(s.AllowForwardedTraffic) ||
		!p.AllowGatewayTransit.Equal(s.AllowGatewayTransit) ||
		!p.UseRemoteGateways.Equal(s.UseRemoteGateways) ||
		!p.SubnetNames.Equal(s.SubnetNames)
}

// checkNetworks reads the two VNets, when the plan names them, and stops the
// plan on what Azure would refuse. A failed read is only a warning: the
// apply will meet the same problem and report it.
func (r *bidirectionalPeeringResource) checkNetworks(ctx context.Context, plan pairModel, resp *resource.ModifyPlanResponse) {
	a, _, _ := plan.side(ctx, peering.SideA)
	b, _, _ := plan.side(ctx, peering.SideB)
	if a.VirtualNetworkID.IsUnknown() || b.VirtualNetworkID.IsUnknown() || plan.OnlyIPv6.IsUnknown() {
		return
	}
	if _, ok := knownStrings(ctx, a.SubnetNames); !ok {
		return
	}
	if _, ok := knownStrings(ctx, b.SubnetNames); !ok {
		return
	}
	spec, d := plan.spec(ctx)
	if d.HasError() || len(validatePair(ctx, plan)) > 0 || spec.A.VirtualNetwork.Name == "" || spec.B.VirtualNetwork.Name == "" {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, planCheckTimeout)
	defer cancel()
	problems, err := r.data.engine.CheckNetworks(ctx, spec)
	if err != nil {
		resp.Diagnostics.AddWarning("Could not check the virtual networks",
			fmt.Sprintf("The plan could not read virtual networks %q and %q to check their address spaces, subnets and gateways; the apply will still check them. %s",
				spec.A.VirtualNetwork.String(), spec.B.VirtualNetwork.String(), err))
		return
	}
	addProblems(&resp.Diagnostics, problems)
}
