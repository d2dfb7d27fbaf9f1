package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/peerlab/terraform-provider-peerlab/internal/peering"
)

const (
	testVNetA = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/main"
	testVNetB = "/subscriptions/s2/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/remote"
)

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

func TestResourceConfigure(t *testing.T) {
	r := NewBidirectionalPeeringResource().(*bidirectionalPeeringResource)
	var resp resource.ConfigureResponse
	r.Configure(context.Background(), resource.ConfigureRequest{ProviderData: "not provider data"}, &resp)
	if !resp.Diagnostics.HasError() || resp.Diagnostics[0].Summary() != "Unexpected Resource Configure Type" || !strings.Contains(resp.Diagnostics[0].Detail(), "string") {
		t.Errorf("diagnostics %v", resp.Diagnostics)
	}
	resp = resource.ConfigureResponse{}
	r.Configure(context.Background(), resource.ConfigureRequest{}, &resp)
	if resp.Diagnostics.HasError() || r.data != nil {
		t.Error("an unconfigured provider (validate) is not an error")
	}
	data := &providerData{}
	r.Configure(context.Background(), resource.ConfigureRequest{ProviderData: data}, &resp)
	if r.data != data {
		t.Error("provider data not kept")
	}
	var md resource.MetadataResponse
	r.Metadata(context.Background(), resource.MetadataRequest{ProviderTypeName: "peerlab"}, &md)
	if md.TypeName != bidirectionalPeeringTypeName {
		t.Errorf("type name %q", md.TypeName)
	}
}
