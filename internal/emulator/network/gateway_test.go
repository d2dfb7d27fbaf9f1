package network_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
)

// gatewayBody is a route-based VPN gateway in subnetID.
func gatewayBody(location, subnetID, publicIPID string) armnetwork.VirtualNetworkGateway {
	ipc := &armnetwork.VirtualNetworkGatewayIPConfiguration{
		Name:       to.Ptr("vnetGatewayConfig"),
		Properties: &armnetwork.VirtualNetworkGatewayIPConfigurationPropertiesFormat{Subnet: &armnetwork.SubResource{ID: to.Ptr(subnetID)}},
	}
	if publicIPID != "" {
		ipc.Properties.PublicIPAddress = &armnetwork.SubResource{ID: to.Ptr(publicIPID)}
	}
	return armnetwork.VirtualNetworkGateway{
		Location: to.Ptr(location),
		Properties: &armnetwork.VirtualNetworkGatewayPropertiesFormat{
			GatewayType: to.Ptr(armnetwork.VirtualNetworkGatewayTypeVPN), VPNType: to.Ptr(armnetwork.VPNTypeRouteBased),
			SKU:              &armnetwork.VirtualNetworkGatewaySKU{Name: to.Ptr(armnetwork.VirtualNetworkGatewaySKUNameVPNGw1AZ), Tier: to.Ptr(armnetwork.VirtualNetworkGatewaySKUTierVPNGw1AZ)},
			IPConfigurations: []*armnetwork.VirtualNetworkGatewayIPConfiguration{ipc},
		},
	}
}

// pip makes a Standard static public IP and returns its ID.
func (l *lab) pip(group, name, location string) string {
	l.t.Helper()
	p, err := l.net.NewPublicIPAddressesClient().BeginCreateOrUpdate(l.t.Context(), group, name, armnetwork.PublicIPAddress{
		Location: to.Ptr(location), SKU: &armnetwork.PublicIPAddressSKU{Name: to.Ptr(armnetwork.PublicIPAddressSKUNameStandard)},
		Properties: &armnetwork.PublicIPAddressPropertiesFormat{PublicIPAllocationMethod: to.Ptr(armnetwork.IPAllocationMethodStatic)},
	}, nil)
	if err != nil {
		l.t.Fatal(err)
	}
	r, err := p.PollUntilDone(l.t.Context(), poll)
	if err != nil {
		l.t.Fatal(err)
	}
	return *r.ID
}

func (l *lab) pipID(name string) *string {
	return to.Ptr("/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/" + name)
}

func (l *lab) putGateway(group, name string, body armnetwork.VirtualNetworkGateway) (armnetwork.VirtualNetworkGateway, error) {
	p, err := l.net.NewVirtualNetworkGatewaysClient().BeginCreateOrUpdate(l.t.Context(), group, name, body, nil)
	if err != nil {
		return armnetwork.VirtualNetworkGateway{}, err
	}
	r, err := p.PollUntilDone(l.t.Context(), poll)
	return r.VirtualNetworkGateway, err
}

// gatewayVNet makes a VNet with a workload subnet and a GatewaySubnet, and
// returns the GatewaySubnet's ID.
func (l *lab) gatewayVNet(name, location, space, workload, gateway string) string {
	l.t.Helper()
	l.mustVNet(nil, "rg", name, vnetBody(location, []string{space}, subnet("default", workload), subnet("GatewaySubnet", gateway)))
	return vnetID(sub, "rg", name) + "/subnets/GatewaySubnet"
}

// hubGateway makes VNet name with a gateway in it, as Azure's hub-spoke
// reference networks have.
func (l *lab) hubGateway(name, location, space, workload, gateway string) string {
	l.t.Helper()
	gs := l.gatewayVNet(name, location, space, workload, gateway)
	if _, err := l.putGateway("rg", name+"-gw", gatewayBody(location, gs, "")); err != nil {
		l.t.Fatalf("creating the gateway of %s: %v", name, err)
	}
	return vnetID(sub, "rg", name)
}

func TestGateway_SitsInTheGatewaySubnet(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.group(nil, "rg", "westeurope")
	gs := l.gatewayVNet("hub", "westeurope", "10.0.0.0/16", "10.0.0.0/24", "10.0.255.0/27")
	pip := l.pip("rg", "hub-gw-ip", "westeurope")

	_, err := l.putGateway("rg", "wrong", gatewayBody("westeurope", vnetID(sub, "rg", "hub")+"/subnets/default", ""))
	wantError(t, err, http.StatusBadRequest, "GatewaySubnetRequired")
	_, err = l.putGateway("rg", "elsewhere", gatewayBody("northeurope", gs, ""))
	wantError(t, err, http.StatusBadRequest, "InvalidResourceReference")

	g, err := l.putGateway("rg", "hub-gw", gatewayBody("westeurope", gs, pip))
	if err != nil {
		t.Fatal(err)
	}
	gid := "/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.Network/virtualNetworkGateways/hub-gw"
	p := g.Properties
	if *g.ID != gid || *p.ProvisioningState != armnetwork.ProvisioningStateSucceeded || *p.GatewayType != armnetwork.VirtualNetworkGatewayTypeVPN {
		t.Errorf("gateway %s: state %s, type %s", *g.ID, *p.ProvisioningState, *p.GatewayType)
	}
	ipcID := gid + "/ipConfigurations/vnetGatewayConfig"
	if *p.IPConfigurations[0].ID != ipcID || !strings.EqualFold(*p.IPConfigurations[0].Properties.PublicIPAddress.ID, pip) {
		t.Errorf("IP configuration %s with public IP %v", *p.IPConfigurations[0].ID, p.IPConfigurations[0].Properties.PublicIPAddress)
	}
	if *p.BgpSettings.Asn != 65515 || *p.BgpSettings.BgpPeeringAddress != "10.0.255.30" {
		t.Errorf("BGP settings: ASN %d, peering address %s; want 65515 and the GatewaySubnet's last usable address 10.0.255.30", *p.BgpSettings.Asn, *p.BgpSettings.BgpPeeringAddress)
	}

	// The subnet and the VNet show the gateway as Azure shows it, and keep
	// what it stands on from being deleted.
	s, err := l.net.NewSubnetsClient().Get(t.Context(), "rg", "hub", "GatewaySubnet", nil)
	if err != nil || len(s.Properties.IPConfigurations) != 1 || *s.Properties.IPConfigurations[0].ID != ipcID {
		t.Fatalf("GatewaySubnet: %v %+v, want the gateway's IP configuration", err, s.Properties)
	}
	if _, err := l.net.NewSubnetsClient().BeginDelete(t.Context(), "rg", "hub", "GatewaySubnet", nil); err == nil {
		t.Error("the GatewaySubnet of a gateway was deleted")
	} else {
		wantError(t, err, http.StatusBadRequest, "InUseSubnetCannotBeDeleted")
	}
	if _, err := l.net.NewPublicIPAddressesClient().BeginDelete(t.Context(), "rg", "hub-gw-ip", nil); err == nil {
		t.Error("the public IP of a gateway was deleted")
	}
	// A Basic Dynamic public IP gets its address with the gateway, and
	// gives it back when the gateway lets it go.
	dyn := func() *string {
		r, err := l.net.NewPublicIPAddressesClient().Get(t.Context(), "rg", "hub-gw-dynamic", nil)
		if err != nil {
			t.Fatal(err)
		}
		return r.Properties.IPAddress
	}
	pp, err := l.net.NewPublicIPAddressesClient().BeginCreateOrUpdate(t.Context(), "rg", "hub-gw-dynamic", armnetwork.PublicIPAddress{Location: to.Ptr("westeurope")}, nil)
	if err == nil {
		_, err = pp.PollUntilDone(t.Context(), poll)
	}
	if err != nil || dyn() != nil {
		t.Fatalf("a new Dynamic public IP: %v, address %v; want none yet", err, dyn())
	}
	if _, err := l.putGateway("rg", "hub-gw", gatewayBody("westeurope", gs, *l.pipID("hub-gw-dynamic"))); err != nil {
		t.Fatal(err)
	}
	if dyn() == nil {
		t.Error("the Dynamic public IP has no address although the gateway holds it")
	}
	if _, err := l.putGateway("rg", "hub-gw", gatewayBody("westeurope", gs, pip)); err != nil {
		t.Fatal(err)
	}
	if a := dyn(); a != nil {
		t.Errorf("the released Dynamic public IP still has address %s", *a)
	}
	second := gatewayBody("westeurope", gs, "")
	_, err = l.putGateway("rg", "hub-gw2", second)
	wantError(t, err, http.StatusBadRequest, "VirtualNetworkAlreadyHasGatewayOfThisType")

	// Once the gateway is gone, its subnet and public IP are free, and a
	// Dynamic public IP it held has no address any more.
	if _, err := l.putGateway("rg", "hub-gw", gatewayBody("westeurope", gs, *l.pipID("hub-gw-dynamic"))); err != nil || dyn() == nil {
		t.Fatalf("the gateway with the Dynamic public IP again: %v, address %v", err, dyn())
	}
	dp, err := l.net.NewVirtualNetworkGatewaysClient().BeginDelete(t.Context(), "rg", "hub-gw", nil)
	if err == nil {
		_, err = dp.PollUntilDone(t.Context(), poll)
	}
	if err != nil {
		t.Fatal(err)
	}
	if a := dyn(); a != nil {
		t.Errorf("the Dynamic public IP of the deleted gateway still has address %s", *a)
	}
	if sp, err := l.net.NewSubnetsClient().BeginDelete(t.Context(), "rg", "hub", "GatewaySubnet", nil); err != nil {
		t.Errorf("deleting the freed GatewaySubnet: %v", err)
	} else if _, err := sp.PollUntilDone(t.Context(), poll); err != nil {
		t.Errorf("deleting the freed GatewaySubnet: %v", err)
	}
}

func TestPeering_GatewayTransit(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.group(nil, "rg", "westeurope")
	hub := l.hubGateway("hub", "westeurope", "10.0.0.0/16", "10.0.0.0/24", "10.0.255.0/27")
	l.gatewayVNet("spoke", "westeurope", "10.1.0.0/16", "10.1.0.0/24", "10.1.255.0/27")
	spoke := vnetID(sub, "rg", "spoke")
	uses := link(hub)
	uses.Properties.UseRemoteGateways = to.Ptr(true)

	// The link that allows transit comes first, and must allow it.
	_, err := l.putPeering(nil, "rg", "spoke", "spoke-to-hub", uses, false)
	e := wantError(t, err, http.StatusBadRequest, "RemotePeeringDoesNotAllowGatewayTransit")
	if !strings.Contains(e.Message, "because corresponding remote peering has AllowGatewayTransit flag set to false") {
		t.Errorf("message %s", e.Message)
	}
	l.mustPeering(nil, "rg", "hub", "hub-to-spoke", link(spoke))
	_, err = l.putPeering(nil, "rg", "spoke", "spoke-to-hub", uses, false)
	wantError(t, err, http.StatusBadRequest, "RemotePeeringDoesNotAllowGatewayTransit")

	both := link(hub)
	both.Properties.UseRemoteGateways, both.Properties.AllowGatewayTransit = to.Ptr(true), to.Ptr(true)
	_, err = l.putPeering(nil, "rg", "spoke", "spoke-to-hub", both, false)
	wantError(t, err, http.StatusBadRequest, "PeeringCannotHaveBothUseRemoteGatewaysAndAllowGatewayTransit")

	offers := link(spoke)
	offers.Properties.AllowGatewayTransit = to.Ptr(true)
	l.mustPeering(nil, "rg", "hub", "hub-to-spoke", offers)
	p := l.mustPeering(nil, "rg", "spoke", "spoke-to-hub", uses)
	if !*p.Properties.UseRemoteGateways {
		t.Error("useRemoteGateways was not kept")
	}
	if a, b := state(l.getPeering(nil, "rg", "hub", "hub-to-spoke")), state(l.getPeering(nil, "rg", "spoke", "spoke-to-hub")); a != armnetwork.VirtualNetworkPeeringStateConnected || b != a {
		t.Errorf("links %s and %s, want both Connected", a, b)
	}

	// A VNet that uses its peer's gateway gets none of its own.
	_, err = l.putGateway("rg", "spoke-gw", gatewayBody("westeurope", spoke+"/subnets/GatewaySubnet", ""))
	wantError(t, err, http.StatusBadRequest, "VirtualNetworkUsesRemoteGateways")

	// A second hub: the spoke may use only one remote gateway, and a VNet
	// with a gateway of its own uses none.
	hub2 := l.hubGateway("hub2", "westeurope", "10.2.0.0/16", "10.2.0.0/24", "10.2.255.0/27")
	offers2 := link(spoke)
	offers2.Properties.AllowGatewayTransit = to.Ptr(true)
	l.mustPeering(nil, "rg", "hub2", "hub2-to-spoke", offers2)
	uses2 := link(hub2)
	uses2.Properties.UseRemoteGateways = to.Ptr(true)
	_, err = l.putPeering(nil, "rg", "spoke", "spoke-to-hub2", uses2, false)
	e = wantError(t, err, http.StatusBadRequest, "AnotherPeeringUsesRemoteGateways")
	if !strings.Contains(e.Message, "because another peering "+spoke+"/virtualNetworkPeerings/spoke-to-hub already has UseRemoteGateways flag set to true") {
		t.Errorf("message %s", e.Message)
	}
	hubs := link(hub2)
	hubs.Properties.UseRemoteGateways = to.Ptr(true)
	_, err = l.putPeering(nil, "rg", "hub", "hub-to-hub2", hubs, false)
	wantError(t, err, http.StatusBadRequest, "PeeringCannotUseRemoteGatewaysWithLocalGateway")
}

func TestPeering_UseRemoteGatewaysNeedsAGateway(t *testing.T) {
	l := newLab(t, emulator.Options{})
	v1, v2 := l.pair()
	hub := link(v2)
	hub.Properties.AllowGatewayTransit = to.Ptr(true)
	if p := l.mustPeering(nil, "rg", "vnet1", "to-vnet2", hub); !*p.Properties.AllowGatewayTransit {
		t.Error("allowGatewayTransit was not kept")
	}
	spoke := link(v1)
	spoke.Properties.UseRemoteGateways = to.Ptr(true)
	_, err := l.putPeering(nil, "rg", "vnet2", "to-vnet1", spoke, false)
	e := wantError(t, err, http.StatusBadRequest, "RemoteVnetHasNoGateways")
	if !strings.Contains(e.Message, "cannot have UseRemoteGateway flag set to true because remote virtual network "+v1) {
		t.Errorf("message %s", e.Message)
	}
	spoke.Properties.DoNotVerifyRemoteGateways = to.Ptr(true)
	_, err = l.putPeering(nil, "rg", "vnet2", "to-vnet1", spoke, false)
	wantError(t, err, http.StatusBadRequest, "RemoteVnetHasNoGateways")
}
