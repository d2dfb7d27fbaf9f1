package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/peerlab/terraform-provider-peerlab/internal/peering"
)

var (
	_ datasource.DataSource              = (*virtualNetworkPeeringsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*virtualNetworkPeeringsDataSource)(nil)
)

// virtualNetworkPeeringsDataSource is peerlab_virtual_network_peerings.
type virtualNetworkPeeringsDataSource struct {
	data *providerData
}

// NewVirtualNetworkPeeringsDataSource returns the data source.
func NewVirtualNetworkPeeringsDataSource() datasource.DataSource {
	return &virtualNetworkPeeringsDataSource{}
}

type peeringsModel struct {
	VirtualNetworkID types.String `tfsdk:"virtual_network_id"`
	ID               types.String `tfsdk:"id"`
	Peerings         []linkModel  `tfsdk:"peerings"`
}

type linkModel struct {
	Name                      types.String `tfsdk:"name"`
	ID                        types.String `tfsdk:"id"`
	RemoteVirtualNetworkID    types.String `tfsdk:"remote_virtual_network_id"`
	PeeringState              types.String `tfsdk:"peering_state"`
	SyncLevel                 types.String `tfsdk:"sync_level"`
	ProvisioningState         types.String `tfsdk:"provisioning_state"`
	AllowVirtualNetworkAccess types.Bool   `tfsdk:"allow_virtual_network_access"`
	AllowForwardedTraffic     types.Bool   `tfsdk:"allow_forwarded_traffic"`
	AllowGatewayTransit       types.Bool   `tfsdk:"allow_gateway_transit"`
	UseRemoteGateways         types.Bool   `tfsdk:"use_remote_gateways"`
	PeerCompleteVnets         types.Bool   `tfsdk:"peer_complete_vnets"`
	OnlyIPv6                  types.Bool   `tfsdk:"only_ipv6"`
	LocalSubnetNames          []string     `tfsdk:"local_subnet_names"`
	RemoteSubnetNames         []string     `tfsdk:"remote_subnet_names"`
	RemoteAddressSpace        []string     `tfsdk:"remote_address_space"`
}

func (d *virtualNetworkPeeringsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_virtual_network_peerings"
}

func (d *virtualNetworkPeeringsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	boolean := func(desc string) schema.BoolAttribute {
		return schema.BoolAttribute{Computed: true, MarkdownDescription: desc}
	}
	list := func(desc string) schema.ListAttribute {
		return schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every peering link of one virtual network, with its remote, state and sync level: for audits, and for finding the IDs " +
			"to import into `peerlab_bidirectional_peering` (a link's `id` is enough; the reverse link is found on the remote virtual network).",
		Attributes: map[string]schema.Attribute{
			"virtual_network_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The ID of the virtual network whose links are listed.",
				Validators:          []validator.String{virtualNetworkIDValidator{}},
			},
			"id": str("The ID of the virtual network."),
			"peerings": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The links, sorted by name.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name":                         str("The link's name."),
					"id":                           str("The link's ARM ID, which `terraform import` of `peerlab_bidirectional_peering` accepts."),
					"remote_virtual_network_id":    str("The ID of the virtual network the link points at."),
					"peering_state":                str("Azure's peering state: `Initiated`, `Connected` or `Disconnected`."),
					"sync_level":                   str("Azure's `peeringSyncLevel`, such as `FullyInSync` or `RemoteNotInSync`; empty when not reported."),
					"provisioning_state":           str("The link's provisioning state, such as `Succeeded`."),
					"allow_virtual_network_access": boolean("Whether this virtual network may reach the remote one."),
					"allow_forwarded_traffic":      boolean("Whether forwarded traffic from the remote virtual network is allowed."),
					"allow_gateway_transit":        boolean("Whether the remote virtual network may use this one's gateway."),
					"use_remote_gateways":          boolean("Whether this virtual network uses the remote one's gateway."),
					"peer_complete_vnets":          boolean("`false` for a subnet peering."),
					"only_ipv6":                    boolean("Whether only IPv6 ranges are peered (subnet peering)."),
					"local_subnet_names":           list("The local subnets of a subnet peering."),
					"remote_subnet_names":          list("The remote subnets of a subnet peering."),
					"remote_address_space":         list("The remote address prefixes as the link peers them."),
				}},
			},
		},
	}
}

func (d *virtualNetworkPeeringsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected Data Source Configure Type",
			fmt.Sprintf("The data source %q expected provider data of type *providerData but got %T. This is a bug in the provider; please report it.", "peerlab_virtual_network_peerings", req.ProviderData))
		return
	}
	d.data = data
}

func (d *virtualNetworkPeeringsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m peeringsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	vnet, err := peering.ParseVirtualNetworkID(m.VirtualNetworkID.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("virtual_network_id"), "Not a virtual network ID", fmt.Sprintf("The value of virtual_network_id is not the ID of a virtual network: %s.", err))
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()
	links, err := d.data.engine.ListLinks(ctx, vnet)
	if err != nil {
		what := fmt.Sprintf("Listing the peering links of virtual network %q failed.", vnet.String())
		if peering.IsNotFound(err) {
			what = fmt.Sprintf("Virtual network %q does not exist; check the ID.", vnet.String())
		}
		addError(&resp.Diagnostics, "Could not list peerings", what, err)
		return
	}
	slices.SortFunc(links, func(x, y peering.Side) int { return strings.Compare(x.ID.Name, y.ID.Name) })
	m.ID = m.VirtualNetworkID
	m.Peerings = make([]linkModel, 0, len(links))
	for _, l := range links {
		m.Peerings = append(m.Peerings, linkFromSide(l))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func linkFromSide(s peering.Side) linkModel {
	state := ""
	if ps := s.Link.Properties; ps != nil && ps.PeeringState != nil {
		state = string(*ps.PeeringState)
	}
	provisioning := ""
	if ps := s.Link.Properties; ps != nil && ps.ProvisioningState != nil {
		provisioning = string(*ps.ProvisioningState)
	}
	id := s.ID.String()
	if s.Link.ID != nil {
		id = *s.Link.ID
	}
	return linkModel{
		Name:                      types.StringValue(s.ID.Name),
		ID:                        types.StringValue(id),
		RemoteVirtualNetworkID:    types.StringValue(s.RemoteVirtualNetworkID()),
		PeeringState:              types.StringValue(state),
		SyncLevel:                 types.StringValue(s.SyncLevel()),
		ProvisioningState:         types.StringValue(provisioning),
		AllowVirtualNetworkAccess: types.BoolValue(s.AllowVirtualNetworkAccess()),
		AllowForwardedTraffic:     types.BoolValue(s.AllowForwardedTraffic()),
		AllowGatewayTransit:       types.BoolValue(s.AllowGatewayTransit()),
		UseRemoteGateways:         types.BoolValue(s.UseRemoteGateways()),
		PeerCompleteVnets:         types.BoolValue(s.PeerCompleteVnets()),
		OnlyIPv6:                  types.BoolValue(s.OnlyIPv6()),
		LocalSubnetNames:          nonNilStrings(s.LocalSubnetNames()),
		RemoteSubnetNames:         nonNilStrings(s.RemoteSubnetNames()),
		RemoteAddressSpace:        nonNilStrings(s.RemoteAddressSpace()),
	}
}
