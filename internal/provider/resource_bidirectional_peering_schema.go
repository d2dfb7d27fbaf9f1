package provider

import (
	"context"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/peerlab/terraform-provider-peerlab/internal/peering"
)

// Defaults of the optional settings, used by the schema and by import.
const (
	defaultAllowVirtualNetworkAccess = true
	defaultAllowForwardedTraffic     = false
	defaultAllowGatewayTransit       = false
	defaultUseRemoteGateways         = false
	defaultOnlyIPv6                  = false
	defaultSyncAddressSpace          = true
)

// stateNames are the documented values of peering_state, from the engine's list.
func stateNames() string {
	names := make([]string, len(peering.States))
	for i, s := range peering.States {
		names[i] = "`" + string(s) + "`"
	}
	return strings.Join(names, ", ")
}

// replaceNote describes replaceUnlessSwapped.
const replaceNote = "Changing it replaces the peering, unless the configuration only swaps sides a and b."

func sideSchema(side string) schema.SingleNestedAttribute {
	other := "b"
	if side == "b" {
		other = "a"
	}
	return schema.SingleNestedAttribute{
		Required: true,
		MarkdownDescription: "Side `" + side + "`: the link that lives on this side's virtual network and points at side `" + other + "`'s. " +
			"Both sides are created, updated and deleted together.",
		Attributes: map[string]schema.Attribute{
			"virtual_network_id": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The ID of this side's virtual network, such as `azurerm_virtual_network.main.id`. " +
					"Subnet, peering and resource group IDs are refused with a message saying what to pass. It may be in any subscription the provider can reach, " +
					"or in another tenant listed in `auxiliary_tenant_ids`. Changing it replaces the peering; swapping sides `a` and `b` of the same two links does not (the state is re-ordered, nothing changes in Azure).",
				Validators:    []validator.String{virtualNetworkIDValidator{}},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(replaceUnlessSwapped, replaceNote, replaceNote)},
			},
			"name": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "The name of this side's link. Defaults to `<this side's virtual network>-to-<the other side's virtual network>`. " +
					"Azure's rule: " + peering.NameRule + ". Changing it replaces the peering.",
				Validators: []validator.String{azureNameValidator{what: "link name"}},
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.UseStateForUnknown(),
					stringplanmodifier.RequiresReplaceIf(replaceUnlessSwapped, replaceNote, replaceNote),
				},
			},
			"allow_virtual_network_access": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(defaultAllowVirtualNetworkAccess),
				MarkdownDescription: "Whether machines in this side's virtual network may reach the other side's. Defaults to `true`.",
			},
			"allow_forwarded_traffic": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(defaultAllowForwardedTraffic),
				MarkdownDescription: "Whether traffic forwarded into this side's virtual network (not originating in it, for example through a network virtual appliance) is allowed from the other side. Defaults to `false`.",
			},
			"allow_gateway_transit": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(defaultAllowGatewayTransit),
				MarkdownDescription: "Whether the other side may use this side's virtual network gateway. The link with this set is created first. Defaults to `false`.",
			},
			"use_remote_gateways": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(defaultUseRemoteGateways),
				MarkdownDescription: "Whether this side uses the other side's virtual network gateway. Needs `allow_gateway_transit` on the other side, a gateway there, and none in this side's virtual network. Defaults to `false`.",
			},
			"subnet_names": schema.SetAttribute{
				Optional:    true,
				ElementType: types.StringType,
				MarkdownDescription: "Subnet peering: the subnets of this side's virtual network that are peered. Set it on both sides or on neither (whole virtual networks). " +
					"With subnet peering, virtual networks whose address spaces overlap can be peered as long as no peered subnet's range exists in the other virtual network. " +
					"The list changes in place; switching between whole and subnet peering replaces the peering.",
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(azureNameValidator{what: "subnet name"}),
				},
				PlanModifiers: []planmodifier.Set{
					setplanmodifier.RequiresReplaceIf(peeringKindChanges, "Switching between whole and subnet peering replaces the peering.",
						"Switching between whole and subnet peering replaces the peering."),
				},
			},
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The ARM ID of this side's link.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"peering_state": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "This side's state: one of " + stateNames() + ". `Initiated` means the other side's link does not exist yet; " +
					"`Disconnected` that it was deleted or its virtual network recreated; `Missing` that this link itself is gone. Anything but `Connected` makes the next plan show an update that repairs this side.",
			},
			"sync_level": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Azure's `peeringSyncLevel` for this link: `FullyInSync`, or `LocalNotInSync`, `RemoteNotInSync` or `LocalAndRemoteNotInSync` after a virtual network was resized. " +
					"With `sync_address_space`, anything but `FullyInSync` makes the next plan show an update that resyncs both links.",
			},
			"remote_address_space": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "The address prefixes of the other side's virtual network as this link peers them.",
			},
		},
	}
}

func bidirectionalPeeringSchema(ctx context.Context) schema.Schema {
	return schema.Schema{
		MarkdownDescription: "A virtual network peering in both directions, as one resource: the two links (`a` → `b` and `b` → `a`) are created together, " +
			"and when the second fails the first is deleted again. Each side's state is read on every refresh, so a link deleted or Disconnected " +
			"outside Terraform, or a virtual network resized, shows up as an update in the next plan, and applying it repairs only the side that is broken. " +
			"Plans read both virtual networks when their IDs are known, and stop on overlapping address spaces, unknown subnets and missing gateways before anything is created.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The pair ID: `<a link ID>|<b link ID>`.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"a": sideSchema("a"),
			"b": sideSchema("b"),
			"only_ipv6": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(defaultOnlyIPv6),
				MarkdownDescription: "Subnet peering only: peer just the IPv6 ranges of the subnets. Defaults to `false`. Changing it replaces the peering.",
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
			},
			"sync_address_space": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(defaultSyncAddressSpace),
				MarkdownDescription: "Whether to resync both links (`syncRemoteAddressSpace`) when a virtual network's address space changed after peering. Defaults to `true`.",
			},
			"connected": schema.BoolAttribute{
				Computed:            true,
				MarkdownDescription: "`true` when both links are `Connected`.",
			},
			"timeouts": timeoutsAttribute(ctx),
		},
	}
}

// timeoutsAttribute is the framework's timeouts attribute, documented.
func timeoutsAttribute(ctx context.Context) schema.Attribute {
	a := timeouts.Attributes(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}).(schema.SingleNestedAttribute)
	a.MarkdownDescription = "How long each operation may take, retries and waits included, as durations such as `30m` or `1h30m`."
	defaults := map[string]string{
		"create": shortDuration(defaultCreateTimeout), "read": shortDuration(defaultReadTimeout),
		"update": shortDuration(defaultUpdateTimeout), "delete": shortDuration(defaultDeleteTimeout),
	}
	for name, at := range a.Attributes {
		if s, ok := at.(schema.StringAttribute); ok {
			s.MarkdownDescription = "The limit for " + name + " (default `" + defaults[name] + "`)."
			a.Attributes[name] = s
		}
	}
	return a
}

// shortDuration writes 30m rather than Go's 30m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
