package provider

import (
	"context"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/peerlab/terraform-provider-peerlab/internal/peering"
)

func TestDataSourceSchema(t *testing.T) {
	var resp datasource.SchemaResponse
	NewVirtualNetworkPeeringsDataSource().Schema(context.Background(), datasource.SchemaRequest{}, &resp)
	if d := resp.Schema.ValidateImplementation(context.Background()); d.HasError() {
		t.Fatal(d)
	}
	nested := resp.Schema.Attributes["peerings"].(schema.ListNestedAttribute).NestedObject.Attributes
	for name, a := range nested {
		if a.GetMarkdownDescription() == "" {
			t.Errorf("peerings.%s undocumented", name)
		}
	}
	if len(nested) != 15 {
		t.Errorf("%d link attributes", len(nested))
	}
}

func TestLinkFromSide(t *testing.T) {
	va, _ := peering.ParseVirtualNetworkID(testVNetA)
	s := link(va.Link("main-to-remote"), testVNetB, armnetwork.VirtualNetworkPeeringStateDisconnected, "app", "web")
	m := linkFromSide(s)
	if m.ID.ValueString() != testVNetA+"/virtualNetworkPeerings/main-to-remote" || m.PeeringState.ValueString() != "Disconnected" ||
		m.RemoteVirtualNetworkID.ValueString() != testVNetB || m.PeerCompleteVnets.ValueBool() || m.LocalSubnetNames[0] != "app" ||
		m.SyncLevel.ValueString() != "FullyInSync" || m.RemoteAddressSpace[0] != "10.9.0.0/16" {
		t.Errorf("%+v", m)
	}
	whole := linkFromSide(link(va.Link("x"), testVNetB, armnetwork.VirtualNetworkPeeringStateConnected))
	if whole.LocalSubnetNames == nil || len(whole.LocalSubnetNames) != 0 || !whole.PeerCompleteVnets.ValueBool() {
		t.Errorf("whole %+v", whole)
	}
}

func TestDataSourceConfigure(t *testing.T) {
	d := NewVirtualNetworkPeeringsDataSource().(*virtualNetworkPeeringsDataSource)
	var resp datasource.ConfigureResponse
	d.Configure(context.Background(), datasource.ConfigureRequest{ProviderData: 42}, &resp)
	if !resp.Diagnostics.HasError() || resp.Diagnostics[0].Summary() != "Unexpected Data Source Configure Type" {
		t.Errorf("diagnostics %v", resp.Diagnostics)
	}
}
