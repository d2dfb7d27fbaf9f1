package network

import (
	"encoding/json"
	"net/http"
	"net/netip"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
	"github.com/google/uuid"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// Virtual network gateways, as far as peering sees them: a gateway sits in
// its VNet's GatewaySubnet (the subnet lists its IP configurations, as
// Azure shows them) and makes gateway transit possible. Connections, BGP
// sessions and the traffic through a gateway are not modelled.

const gatewayPath = netPath + "/virtualNetworkGateways/{virtualNetworkGatewayName}"

// gatewaySubnetName is the name Azure requires of a gateway's subnet.
const gatewaySubnetName = "GatewaySubnet"

// defaultGatewayASN is the ASN Azure gives a VPN gateway when none is set.
const defaultGatewayASN = 65515

func registerGateways(s *arm.Server) {
	r := s.Router
	const read, write = "Microsoft.Network/virtualNetworkGateways/read", "Microsoft.Network/virtualNetworkGateways/write"
	r.Handle(http.MethodGet, netPath+"/virtualNetworkGateways", read, listTop(TypeGateway, gatewayView))
	r.Handle(http.MethodGet, gatewayPath, read, getTop(TypeGateway, gatewayView))
	r.Handle(http.MethodPut, gatewayPath, write, putGateway)
	r.Handle(http.MethodPatch, gatewayPath, write, patchTags(TypeGateway, gatewayView))
	r.Handle(http.MethodDelete, gatewayPath, "Microsoft.Network/virtualNetworkGateways/delete", deleteHandler("DeleteVirtualNetworkGatewayOperation", false, nil))
	// A deleted gateway gives back the addresses of its Dynamic public IPs.
	s.OnDelete(TypeGateway, func(tx *store.Tx, r *store.Resource) {
		var g armnetwork.VirtualNetworkGateway
		if json.Unmarshal(r.Body, &g) == nil {
			for _, pip := range gatewayPublicIPs(&g) {
				detachPublicIP(tx, pip, r.ID)
			}
		}
	})
}

// gatewayPublicIPs lists the public IPs a gateway holds.
func gatewayPublicIPs(g *armnetwork.VirtualNetworkGateway) []string {
	var out []string
	if g.Properties == nil {
		return nil
	}
	for _, ipc := range g.Properties.IPConfigurations {
		if ipc != nil && ipc.Properties != nil && ipc.Properties.PublicIPAddress != nil && ipc.Properties.PublicIPAddress.ID != nil {
			out = append(out, *ipc.Properties.PublicIPAddress.ID)
		}
	}
	return out
}

func gatewayView(tx *store.Tx, id string) (*armnetwork.VirtualNetworkGateway, bool) {
	return decoded[armnetwork.VirtualNetworkGateway](tx, id)
}

// gatewayTypes and vpnTypes are the SDK's values by folded name.
var (
	gatewayTypes = enumOf(armnetwork.PossibleVirtualNetworkGatewayTypeValues())
	vpnTypes     = enumOf(armnetwork.PossibleVPNTypeValues())
)

// putGateway creates or updates a virtual network gateway. Its IP
// configurations must name the GatewaySubnet of one VNet in the gateway's
// region; a VNet holds one gateway of each type, and none while one of its
// links uses the remote VNet's gateways.
func putGateway(c *arm.Context) (*arm.Response, error) {
	var in armnetwork.VirtualNetworkGateway
	name, err := decodeTop(c, &in, TypeGateway, "virtualNetworkGatewayName", "1-80 characters", func() *string { return in.Location })
	if err != nil {
		return nil, err
	}
	if in.Properties == nil {
		in.Properties = &armnetwork.VirtualNetworkGatewayPropertiesFormat{}
	}
	p := in.Properties
	gwType := gatewayTypes[strings.ToLower(string(deref(p.GatewayType)))]
	if gwType == "" {
		gwType = armnetwork.VirtualNetworkGatewayTypeVPN
	}
	vpnType := vpnTypes[strings.ToLower(string(deref(p.VPNType)))]
	if vpnType == "" {
		vpnType = armnetwork.VPNTypeRouteBased
	}
	var out *armnetwork.VirtualNetworkGateway
	var op *arm.Operation
	created := false
	err = c.Store().Write(func(tx *store.Tx) error {
		id, aerr := parse(c, tx)
		if aerr != nil {
			return aerr
		}
		gid := id.String()
		location := arm.NormalizeLocation(*in.Location)
		var old armnetwork.VirtualNetworkGateway
		exists, aerr := priorOf(c, tx, id, *in.Location, &old)
		if aerr != nil {
			return aerr
		}
		ipcs, vid, aerr := gatewayIPConfigurations(c, tx, gid, location, p.IPConfigurations)
		if aerr != nil {
			return aerr
		}
		if exists && old.Properties != nil && len(old.Properties.IPConfigurations) > 0 {
			if was := vnetOfSubnet(*old.Properties.IPConfigurations[0].Properties.Subnet.ID); !arm.SameID(was, vid) {
				return errGatewayMoved(gid, was, vid)
			}
		}
		for _, g := range gatewaysOf(tx, vid) {
			if !arm.SameID(*g.ID, gid) && deref(g.Properties.GatewayType) == gwType {
				return errSecondGateway(gid, vid, *g.ID)
			}
		}
		for _, l := range linksOf(tx, vid) {
			if deref(l.P.Properties.UseRemoteGateways) {
				return errGatewayWithRemoteGateways(gid, vid, l.ID)
			}
		}

		created = !exists
		kind := "PutVirtualNetworkGatewayOperation"
		sku := p.SKU
		if sku == nil || sku.Name == nil {
			sku = &armnetwork.VirtualNetworkGatewaySKU{Name: to.Ptr(armnetwork.VirtualNetworkGatewaySKUNameVPNGw1), Tier: to.Ptr(armnetwork.VirtualNetworkGatewaySKUTierVPNGw1)}
			if gwType == armnetwork.VirtualNetworkGatewayTypeExpressRoute {
				sku = &armnetwork.VirtualNetworkGatewaySKU{Name: to.Ptr(armnetwork.VirtualNetworkGatewaySKUNameStandard), Tier: to.Ptr(armnetwork.VirtualNetworkGatewaySKUTierStandard)}
			}
		}
		g := armnetwork.VirtualNetworkGateway{
			ID: to.Ptr(gid), Name: to.Ptr(name), Type: to.Ptr(TypeGateway), Location: to.Ptr(location),
			Tags: in.Tags, Etag: to.Ptr(arm.NewETag()), ExtendedLocation: in.ExtendedLocation,
			Properties: &armnetwork.VirtualNetworkGatewayPropertiesFormat{
				GatewayType: to.Ptr(gwType), VPNType: to.Ptr(vpnType), SKU: sku,
				VPNGatewayGeneration: p.VPNGatewayGeneration,
				Active:               orDefault(p.Active, false), EnableBgp: orDefault(p.EnableBgp, false),
				EnablePrivateIPAddress: orDefault(p.EnablePrivateIPAddress, false),
				IPConfigurations:       ipcs,
				BgpSettings:            gatewayBGP(p.BgpSettings, ipcs, tx),
				ProvisioningState:      to.Ptr(armnetwork.ProvisioningState(startState(c, kind))),
				ResourceGUID:           to.Ptr(uuid.NewString()),
			},
		}
		if exists && old.Properties != nil {
			g.Properties.ResourceGUID = old.Properties.ResourceGUID
		}
		if err := tx.Put(gid, TypeGateway, &g); err != nil {
			return err
		}
		// A Dynamic public IP gets its address as the gateway takes it, and
		// gives it back when the gateway lets it go.
		for _, pip := range gatewayPublicIPs(&old) {
			detachPublicIP(tx, pip, "")
		}
		for _, pip := range gatewayPublicIPs(&g) {
			attachPublicIP(tx, pip)
		}
		op = beginPut(c, tx, kind, gid, location, nil, nil)
		out, _ = gatewayView(tx, gid)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return putAnswer(c, created, out, op), nil
}

// gatewayIPConfigurations checks a gateway's IP configurations and returns
// them as stored, with the VNet whose GatewaySubnet they all sit in.
func gatewayIPConfigurations(c *arm.Context, tx *store.Tx, gid, location string, in []*armnetwork.VirtualNetworkGatewayIPConfiguration) ([]*armnetwork.VirtualNetworkGatewayIPConfiguration, string, *arm.Error) {
	if len(in) == 0 {
		return nil, "", errGatewayNoIPConfigurations(gid)
	}
	var out []*armnetwork.VirtualNetworkGatewayIPConfiguration
	vid := ""
	for i, ipc := range in {
		if ipc == nil || ipc.Properties == nil || ipc.Properties.Subnet == nil || ipc.Properties.Subnet.ID == nil {
			return nil, "", errGatewayNoSubnet(gid, i)
		}
		name := deref(ipc.Name)
		if name == "" {
			name = "default"
		}
		sid, aerr := checkReference(c, tx, *ipc.Properties.Subnet.ID, gid, location)
		if aerr != nil {
			return nil, "", aerr
		}
		if !strings.EqualFold(sid[strings.LastIndex(sid, "/")+1:], gatewaySubnetName) {
			return nil, "", errNotGatewaySubnet(gid, sid)
		}
		if v := vnetOfSubnet(sid); vid == "" {
			vid = v
		} else if !arm.SameID(v, vid) {
			return nil, "", errGatewayInTwoVNets(gid, vid, v)
		}
		props := &armnetwork.VirtualNetworkGatewayIPConfigurationPropertiesFormat{
			PrivateIPAllocationMethod: to.Ptr(armnetwork.IPAllocationMethodDynamic),
			Subnet:                    &armnetwork.SubResource{ID: to.Ptr(sid)},
			ProvisioningState:         to.Ptr(armnetwork.ProvisioningStateSucceeded),
		}
		if pip := ipc.Properties.PublicIPAddress; pip != nil && pip.ID != nil && *pip.ID != "" {
			pid, aerr := checkReference(c, tx, *pip.ID, gid, location)
			if aerr != nil {
				return nil, "", aerr
			}
			props.PublicIPAddress = &armnetwork.SubResource{ID: to.Ptr(pid)}
		}
		out = append(out, &armnetwork.VirtualNetworkGatewayIPConfiguration{
			ID: to.Ptr(gid + "/ipConfigurations/" + name), Name: to.Ptr(name), Etag: to.Ptr(arm.NewETag()), Properties: props,
		})
	}
	return out, vid, nil
}

// gatewayBGP is the BGP settings Azure shows: the ASN asked for (65515 by
// default), and a peering address at the top of the GatewaySubnet.
func gatewayBGP(in *armnetwork.BgpSettings, ipcs []*armnetwork.VirtualNetworkGatewayIPConfiguration, tx *store.Tx) *armnetwork.BgpSettings {
	out := &armnetwork.BgpSettings{Asn: to.Ptr[int64](defaultGatewayASN), PeerWeight: to.Ptr[int32](0)}
	if in != nil && in.Asn != nil {
		out.Asn = in.Asn
	}
	var s armnetwork.Subnet
	if tx.Decode(*ipcs[0].Properties.Subnet.ID, &s) == nil {
		for _, p := range prefixesOf(derefs(subnetPrefixes(&s))) {
			if p.Addr().Is4() {
				out.BgpPeeringAddress = to.Ptr(lastUsable(p).String())
				break
			}
		}
	}
	return out
}

// lastUsable is the address before a subnet's broadcast address.
func lastUsable(p netip.Prefix) netip.Addr {
	a := p.Masked().Addr().As4()
	n := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	n |= 1<<(32-p.Bits()) - 1
	n--
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
}

// vnetOfSubnet is the VNet ID of a subnet ID.
func vnetOfSubnet(sid string) string {
	return sid[:strings.LastIndex(strings.ToLower(sid), "/subnets/")]
}

// gateways lists the gateways of a subscription.
func gateways(tx *store.Tx, sub string) []*armnetwork.VirtualNetworkGateway {
	var out []*armnetwork.VirtualNetworkGateway
	for _, r := range tx.Under(sub, TypeGateway) {
		var g armnetwork.VirtualNetworkGateway
		if json.Unmarshal(r.Body, &g) == nil && g.Properties != nil {
			out = append(out, &g)
		}
	}
	return out
}

// gatewaysOf lists the gateways whose IP configurations sit in a VNet.
func gatewaysOf(tx *store.Tx, vid string) []*armnetwork.VirtualNetworkGateway {
	var out []*armnetwork.VirtualNetworkGateway
	for _, g := range gateways(tx, subscriptionOf(vid)) {
		for _, ipc := range g.Properties.IPConfigurations {
			if ipc != nil && ipc.Properties != nil && ipc.Properties.Subnet != nil && ipc.Properties.Subnet.ID != nil &&
				arm.SameID(vnetOfSubnet(*ipc.Properties.Subnet.ID), vid) {
				out = append(out, g)
				break
			}
		}
	}
	return out
}

// gatewayUsers lists the gateway IP configurations placed in a subnet.
func gatewayUsers(tx *store.Tx, subnetID string) []string {
	var out []string
	for _, g := range gatewaysOf(tx, vnetOfSubnet(subnetID)) {
		for _, ipc := range g.Properties.IPConfigurations {
			if ipc != nil && ipc.Properties != nil && ipc.Properties.Subnet != nil && ipc.Properties.Subnet.ID != nil && arm.SameID(*ipc.Properties.Subnet.ID, subnetID) {
				out = append(out, *ipc.ID)
			}
		}
	}
	return out
}

// gatewayPublicIPUsers lists the gateway IP configurations that hold a
// public IP.
func gatewayPublicIPUsers(tx *store.Tx, pipID string) []string {
	var out []string
	for _, g := range gateways(tx, subscriptionOf(pipID)) {
		for _, ipc := range g.Properties.IPConfigurations {
			if ipc != nil && ipc.Properties != nil && ipc.Properties.PublicIPAddress != nil && ipc.Properties.PublicIPAddress.ID != nil &&
				arm.SameID(*ipc.Properties.PublicIPAddress.ID, pipID) {
				out = append(out, *ipc.ID)
			}
		}
	}
	return out
}

// hasGateway reports whether a VNet holds a virtual network gateway.
func hasGateway(tx *store.Tx, vid string) bool { return len(gatewaysOf(tx, vid)) > 0 }
