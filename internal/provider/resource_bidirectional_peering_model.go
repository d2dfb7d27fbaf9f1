package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/peerlab/terraform-provider-peerlab/internal/peering"
)

// pairModel is the resource's state and plan.
type pairModel struct {
	ID               types.String   `tfsdk:"id"`
	A                types.Object   `tfsdk:"a"`
	B                types.Object   `tfsdk:"b"`
	OnlyIPv6         types.Bool     `tfsdk:"only_ipv6"`
	SyncAddressSpace types.Bool     `tfsdk:"sync_address_space"`
	Connected        types.Bool     `tfsdk:"connected"`
	Timeouts         timeouts.Value `tfsdk:"timeouts"`
}

// sideModel is one side, a or b.
type sideModel struct {
	VirtualNetworkID          types.String `tfsdk:"virtual_network_id"`
	Name                      types.String `tfsdk:"name"`
	AllowVirtualNetworkAccess types.Bool   `tfsdk:"allow_virtual_network_access"`
	AllowForwardedTraffic     types.Bool   `tfsdk:"allow_forwarded_traffic"`
	AllowGatewayTransit       types.Bool   `tfsdk:"allow_gateway_transit"`
	UseRemoteGateways         types.Bool   `tfsdk:"use_remote_gateways"`
	SubnetNames               types.Set    `tfsdk:"subnet_names"`
	ID                        types.String `tfsdk:"id"`
	PeeringState              types.String `tfsdk:"peering_state"`
	SyncLevel                 types.String `tfsdk:"sync_level"`
	RemoteAddressSpace        types.List   `tfsdk:"remote_address_space"`
}

var sideAttrTypes = map[string]attr.Type{
	"virtual_network_id":           types.StringType,
	"name":                         types.StringType,
	"allow_virtual_network_access": types.BoolType,
	"allow_forwarded_traffic":      types.BoolType,
	"allow_gateway_transit":        types.BoolType,
	"use_remote_gateways":          types.BoolType,
	"subnet_names":                 types.SetType{ElemType: types.StringType},
	"id":                           types.StringType,
	"peering_state":                types.StringType,
	"sync_level":                   types.StringType,
	"remote_address_space":         types.ListType{ElemType: types.StringType},
}

// side reads one side's object; ok is false when it is null or unknown.
func (m pairModel) side(ctx context.Context, n peering.SideName) (sideModel, bool, diag.Diagnostics) {
	obj := m.A
	if n == peering.SideB {
		obj = m.B
	}
	var s sideModel
	if obj.IsNull() || obj.IsUnknown() {
		return s, false, nil
	}
	d := obj.As(ctx, &s, basetypes.ObjectAsOptions{})
	return s, !d.HasError(), d
}

func (m *pairModel) setSide(ctx context.Context, n peering.SideName, s sideModel) diag.Diagnostics {
	obj, d := types.ObjectValueFrom(ctx, sideAttrTypes, s)
	if n == peering.SideB {
		m.B = obj
	} else {
		m.A = obj
	}
	return d
}

// strings reads a known set or list of strings.
func stringsOf(ctx context.Context, v interface {
	IsNull() bool
	IsUnknown() bool
	ElementsAs(context.Context, any, bool) diag.Diagnostics
}) []string {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	var out []string
	v.ElementsAs(ctx, &out, false)
	return out
}

// sideSpec converts a side whose settings are all known. Defaults stand in
// for values not known, so callers check what they rely on.
func sideSpec(ctx context.Context, s sideModel, other sideModel) peering.SideSpec {
	vnet, _ := peering.ParseVirtualNetworkID(s.VirtualNetworkID.ValueString())
	otherVNet, _ := peering.ParseVirtualNetworkID(other.VirtualNetworkID.ValueString())
	name := s.Name.ValueString()
	if s.Name.IsNull() || s.Name.IsUnknown() {
		name = peering.DefaultLinkName(vnet, otherVNet)
	}
	return peering.SideSpec{
		VirtualNetwork:            vnet,
		Name:                      name,
		AllowVirtualNetworkAccess: boolOr(s.AllowVirtualNetworkAccess, defaultAllowVirtualNetworkAccess),
		AllowForwardedTraffic:     boolOr(s.AllowForwardedTraffic, defaultAllowForwardedTraffic),
		AllowGatewayTransit:       boolOr(s.AllowGatewayTransit, defaultAllowGatewayTransit),
		UseRemoteGateways:         boolOr(s.UseRemoteGateways, defaultUseRemoteGateways),
		SubnetNames:               stringsOf(ctx, s.SubnetNames),
	}
}

func knownOr(v types.Bool, def bool) types.Bool {
	if v.IsNull() || v.IsUnknown() {
		return types.BoolValue(def)
	}
	return v
}

func boolOr(v types.Bool, def bool) bool {
	if v.IsNull() || v.IsUnknown() {
		return def
	}
	return v.ValueBool()
}

// spec converts a plan or state to the engine's spec.
func (m pairModel) spec(ctx context.Context) (peering.Spec, diag.Diagnostics) {
	var diags diag.Diagnostics
	a, _, d := m.side(ctx, peering.SideA)
	diags.Append(d...)
	b, _, d := m.side(ctx, peering.SideB)
	diags.Append(d...)
	return peering.Spec{
		A:                sideSpec(ctx, a, b),
		B:                sideSpec(ctx, b, a),
		OnlyIPv6:         boolOr(m.OnlyIPv6, defaultOnlyIPv6),
		SyncAddressSpace: boolOr(m.SyncAddressSpace, defaultSyncAddressSpace),
	}, diags
}

// linkIDs are the IDs of the two links a state tracks.
func (m pairModel) linkIDs(ctx context.Context) (a, b peering.LinkID, err error) {
	if !m.ID.IsNull() && !m.ID.IsUnknown() && m.ID.ValueString() != "" {
		return peering.ParsePairID(m.ID.ValueString())
	}
	spec, _ := m.spec(ctx)
	return spec.LinkID(peering.SideA), spec.LinkID(peering.SideB), nil
}

// sameID keeps the prior spelling of an ID that Azure returns in another
// case, so a refresh never shows a case-only change.
func sameID(prior types.String, got string) types.String {
	if !prior.IsNull() && !prior.IsUnknown() && strings.EqualFold(prior.ValueString(), got) {
		return prior
	}
	return types.StringValue(got)
}

// observeSide writes what Azure reports of one side over the prior model.
// A missing link keeps the prior settings, so only the state shows it.
func observeSide(ctx context.Context, prior sideModel, s peering.Side, other peering.Side) (sideModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	out := prior
	out.VirtualNetworkID = sameID(prior.VirtualNetworkID, s.ID.VirtualNetwork.String())
	out.Name = sameID(prior.Name, s.ID.Name)
	out.ID = sameID(prior.ID, s.ID.String())
	out.PeeringState = types.StringValue(string(s.State()))
	out.SyncLevel = types.StringNull()
	out.RemoteAddressSpace = types.ListNull(types.StringType)
	if out.SubnetNames.IsUnknown() {
		out.SubnetNames = types.SetNull(types.StringType)
	}
	if !s.Exists() {
		out.AllowVirtualNetworkAccess = knownOr(prior.AllowVirtualNetworkAccess, defaultAllowVirtualNetworkAccess)
		out.AllowForwardedTraffic = knownOr(prior.AllowForwardedTraffic, defaultAllowForwardedTraffic)
		out.AllowGatewayTransit = knownOr(prior.AllowGatewayTransit, defaultAllowGatewayTransit)
		out.UseRemoteGateways = knownOr(prior.UseRemoteGateways, defaultUseRemoteGateways)
		if out.SubnetNames.IsNull() && other.Exists() && !other.PeerCompleteVnets() {
			set, d := types.SetValueFrom(ctx, types.StringType, other.RemoteSubnetNames())
			diags.Append(d...)
			out.SubnetNames = set
		}
		return out, diags
	}
	out.AllowVirtualNetworkAccess = types.BoolValue(s.AllowVirtualNetworkAccess())
	out.AllowForwardedTraffic = types.BoolValue(s.AllowForwardedTraffic())
	out.AllowGatewayTransit = types.BoolValue(s.AllowGatewayTransit())
	out.UseRemoteGateways = types.BoolValue(s.UseRemoteGateways())
	if lvl := s.SyncLevel(); lvl != "" {
		out.SyncLevel = types.StringValue(lvl)
	}
	list, d := types.ListValueFrom(ctx, types.StringType, nonNilStrings(s.RemoteAddressSpace()))
	diags.Append(d...)
	out.RemoteAddressSpace = list
	if s.PeerCompleteVnets() {
		out.SubnetNames = types.SetNull(types.StringType)
	} else {
		set, d := types.SetValueFrom(ctx, types.StringType, keepCase(stringsOf(ctx, prior.SubnetNames), s.LocalSubnetNames()))
		diags.Append(d...)
		out.SubnetNames = set
	}
	return out, diags
}

// observe writes a pair as read from Azure over the prior model.
func (m pairModel) observe(ctx context.Context, p peering.Pair) (pairModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	out := m
	for _, n := range []peering.SideName{peering.SideA, peering.SideB} {
		prior, ok, d := m.side(ctx, n)
		diags.Append(d...)
		if !ok {
			prior = emptySide()
		}
		s, d := observeSide(ctx, prior, p.Side(n), p.Side(n.Other()))
		diags.Append(d...)
		diags.Append(out.setSide(ctx, n, s)...)
	}
	out.ID = sameID(m.ID, p.ID())
	out.Connected = types.BoolValue(p.Connected())
	for _, s := range []peering.Side{p.A, p.B} {
		if s.Exists() && !s.PeerCompleteVnets() {
			out.OnlyIPv6 = types.BoolValue(s.OnlyIPv6())
			break
		}
	}
	if out.OnlyIPv6.IsNull() || out.OnlyIPv6.IsUnknown() {
		out.OnlyIPv6 = types.BoolValue(defaultOnlyIPv6)
	}
	if out.SyncAddressSpace.IsNull() || out.SyncAddressSpace.IsUnknown() {
		out.SyncAddressSpace = types.BoolValue(defaultSyncAddressSpace)
	}
	if out.Timeouts.IsUnknown() {
		out.Timeouts = nullTimeouts()
	}
	return out, diags
}

// nullTimeouts is an unset timeouts attribute.
func nullTimeouts() timeouts.Value {
	return timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{
		"create": types.StringType, "read": types.StringType, "update": types.StringType, "delete": types.StringType,
	})}
}

// emptySide is a side with every value null, for import.
func emptySide() sideModel {
	return sideModel{
		VirtualNetworkID: types.StringNull(), Name: types.StringNull(),
		AllowVirtualNetworkAccess: types.BoolNull(), AllowForwardedTraffic: types.BoolNull(),
		AllowGatewayTransit: types.BoolNull(), UseRemoteGateways: types.BoolNull(),
		SubnetNames: types.SetNull(types.StringType), ID: types.StringNull(),
		PeeringState: types.StringNull(), SyncLevel: types.StringNull(),
		RemoteAddressSpace: types.ListNull(types.StringType),
	}
}

// keepCase spells names Azure returned as the configuration did when they
// differ only in case.
func keepCase(prior, got []string) []string {
	out := make([]string, 0, len(got))
	for _, g := range got {
		name := g
		for _, p := range prior {
			if strings.EqualFold(p, g) {
				name = p
				break
			}
		}
		out = append(out, name)
	}
	return out
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// peeringKindChanges: subnet_names set where it was null, or the reverse,
// switches between whole and subnet peering, which Azure cannot do in place.
func peeringKindChanges(_ context.Context, req planmodifier.SetRequest, resp *setplanmodifier.RequiresReplaceIfFuncResponse) {
	if req.PlanValue.IsUnknown() {
		return
	}
	resp.RequiresReplace = req.StateValue.IsNull() != req.PlanValue.IsNull()
}
