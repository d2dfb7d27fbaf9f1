package network

import (
	"net/http"
	"net/netip"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
	"github.com/google/uuid"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

func registerVirtualNetworks(s *arm.Server) {
	r := s.Router
	r.Handle(http.MethodGet, netPath+"/virtualNetworks", "Microsoft.Network/virtualNetworks/read", listTop(TypeVirtualNetwork, vnetView))
	r.Handle(http.MethodGet, "/subscriptions/{subscriptionId}/providers/Microsoft.Network/virtualNetworks", "Microsoft.Network/virtualNetworks/read", listTop(TypeVirtualNetwork, vnetView))
	r.Handle(http.MethodGet, vnetPath, "Microsoft.Network/virtualNetworks/read", getTop(TypeVirtualNetwork, vnetView))
	r.Handle(http.MethodPut, vnetPath, "Microsoft.Network/virtualNetworks/write", putVirtualNetwork)
	r.Handle(http.MethodPatch, vnetPath, "Microsoft.Network/virtualNetworks/write", patchTags(TypeVirtualNetwork, vnetView))
	r.Handle(http.MethodDelete, vnetPath, "Microsoft.Network/virtualNetworks/delete", deleteHandler("DeleteVirtualNetworkOperation", false, vnetInUse))
	s.OnDelete(TypeVirtualNetwork, disconnectRemotePeerings)
}

// vnetView is a VNet as GET shows it: the stored VNet with its subnets and
// peerings embedded.
func vnetView(tx *store.Tx, id string) (*armnetwork.VirtualNetwork, bool) {
	var v armnetwork.VirtualNetwork
	if tx.Decode(id, &v) != nil {
		return nil, false
	}
	if v.Properties == nil {
		v.Properties = &armnetwork.VirtualNetworkPropertiesFormat{}
	}
	v.Properties.Subnets = []*armnetwork.Subnet{}
	for _, r := range tx.Children(*v.ID, TypeSubnet) {
		v.Properties.Subnets = append(v.Properties.Subnets, subnetView(tx, r))
	}
	v.Properties.VirtualNetworkPeerings = []*armnetwork.VirtualNetworkPeering{}
	for _, r := range tx.Children(*v.ID, TypePeering) {
		v.Properties.VirtualNetworkPeerings = append(v.Properties.VirtualNetworkPeerings, peeringView(tx, r))
	}
	return &v, true
}

// vnetSpace returns a VNet's address space.
func vnetSpace(v *armnetwork.VirtualNetwork) []netip.Prefix {
	if v == nil || v.Properties == nil || v.Properties.AddressSpace == nil {
		return nil
	}
	var out []netip.Prefix
	for _, s := range v.Properties.AddressSpace.AddressPrefixes {
		if s == nil {
			continue
		}
		if p, err := netip.ParsePrefix(*s); err == nil {
			out = append(out, p)
		}
	}
	return out
}

func putVirtualNetwork(c *arm.Context) (*arm.Response, error) {
	var in armnetwork.VirtualNetwork
	name, err := decodeTop(c, &in, TypeVirtualNetwork, "virtualNetworkName", "1-64 characters", func() *string { return in.Location })
	if err != nil {
		return nil, err
	}
	if in.Properties == nil || in.Properties.AddressSpace == nil || len(in.Properties.AddressSpace.AddressPrefixes) == 0 {
		return nil, arm.BadRequest("AddressSpaceMissing", "Virtual network %s must have at least one address prefix in its address space.", name)
	}
	var out *armnetwork.VirtualNetwork
	var op *arm.Operation
	created := false
	err = c.Store().Write(func(tx *store.Tx) error {
		id, aerr := parse(c, tx)
		if aerr != nil {
			return aerr
		}
		vid, name := id.String(), id.Name()
		space, aerr := parsePrefixes(in.Properties.AddressSpace.AddressPrefixes, vid)
		if aerr != nil {
			return aerr
		}
		var old armnetwork.VirtualNetwork
		exists, aerr := priorOf(c, tx, id, *in.Location, &old)
		if aerr != nil {
			return aerr
		}
		if aerr := checkPeeredSpace(tx, vid, space); aerr != nil {
			return aerr
		}
		if aerr := reconcileSubnets(c, tx, vid, name, space, in.Properties.Subnets); aerr != nil {
			return aerr
		}
		created = !exists
		kind := "PutVirtualNetworkOperation"
		v := armnetwork.VirtualNetwork{
			ID: to.Ptr(vid), Name: to.Ptr(name), Type: to.Ptr(TypeVirtualNetwork), Location: to.Ptr(arm.NormalizeLocation(*in.Location)),
			Tags: in.Tags, Etag: to.Ptr(arm.NewETag()), ExtendedLocation: in.ExtendedLocation,
			Properties: &armnetwork.VirtualNetworkPropertiesFormat{
				AddressSpace: &armnetwork.AddressSpace{AddressPrefixes: strs(space)},
				DhcpOptions:  in.Properties.DhcpOptions, EnableDdosProtection: to.Ptr(false), EnableVMProtection: in.Properties.EnableVMProtection,
				BgpCommunities: bgpCommunities(in.Properties.BgpCommunities), Encryption: in.Properties.Encryption, FlowTimeoutInMinutes: in.Properties.FlowTimeoutInMinutes,
				PrivateEndpointVNetPolicies: orDefault(in.Properties.PrivateEndpointVNetPolicies, armnetwork.PrivateEndpointVNetPoliciesDisabled),
				ProvisioningState:           to.Ptr(armnetwork.ProvisioningState(startState(c, kind))),
				ResourceGUID:                to.Ptr(uuid.NewString()),
			},
		}
		if in.Properties.EnableDdosProtection != nil {
			v.Properties.EnableDdosProtection = in.Properties.EnableDdosProtection
		}
		if exists && old.Properties != nil && old.Properties.ResourceGUID != nil {
			v.Properties.ResourceGUID = old.Properties.ResourceGUID
		}
		if err := tx.Put(vid, TypeVirtualNetwork, &v); err != nil {
			return err
		}
		op = beginPut(c, tx, kind, vid, *v.Location, nil, nil)
		out, _ = vnetView(tx, vid)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return putAnswer(c, created, out, op), nil
}

// bgpCommunities keeps what a client may set of a VNet's BGP communities:
// regionalCommunity is Azure's to assign (the emulator assigns none).
func bgpCommunities(c *armnetwork.VirtualNetworkBgpCommunities) *armnetwork.VirtualNetworkBgpCommunities {
	if c == nil || c.VirtualNetworkCommunity == nil {
		return nil
	}
	return &armnetwork.VirtualNetworkBgpCommunities{VirtualNetworkCommunity: c.VirtualNetworkCommunity}
}

func etagOf(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func orDefault[T any](p *T, def T) *T {
	if p != nil {
		return p
	}
	return &def
}

// vnetInUse refuses to delete a VNet while a NIC sits in one of its
// subnets.
func vnetInUse(tx *store.Tx, vid string) *arm.Error {
	for _, s := range tx.Children(vid, TypeSubnet) {
		if users := subnetUsers(tx, s.ID); len(users) > 0 {
			return inUseSubnet(s.ID, users[0])
		}
	}
	return nil
}
