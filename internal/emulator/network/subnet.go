package network

import (
	"encoding/json"
	"net/http"
	"net/netip"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

func registerSubnets(s *arm.Server) {
	r := s.Router
	r.Handle(http.MethodGet, vnetPath+"/subnets", "Microsoft.Network/virtualNetworks/subnets/read", listChildren(TypeVirtualNetwork, TypeSubnet, byResource(subnetView)))
	r.Handle(http.MethodGet, subnetPath, "Microsoft.Network/virtualNetworks/subnets/read", getChild(byResource(subnetView)))
	r.Handle(http.MethodPut, subnetPath, "Microsoft.Network/virtualNetworks/subnets/write", putSubnet)
	r.Handle(http.MethodDelete, subnetPath, "Microsoft.Network/virtualNetworks/subnets/delete", deleteHandler("DeleteSubnetOperation", true, subnetInUse))
}

// subnetView is a subnet as GET shows it, with the IP configurations that
// use it.
func subnetView(tx *store.Tx, r *store.Resource) *armnetwork.Subnet {
	var s armnetwork.Subnet
	_ = json.Unmarshal(r.Body, &s)
	if s.Properties == nil {
		s.Properties = &armnetwork.SubnetPropertiesFormat{}
	}
	if users := subnetUsers(tx, r.ID); len(users) > 0 {
		s.Properties.IPConfigurations = nil
		for _, u := range users {
			s.Properties.IPConfigurations = append(s.Properties.IPConfigurations, &armnetwork.IPConfiguration{ID: to.Ptr(u)})
		}
	}
	return &s
}

// subnetPrefixes returns a subnet's address prefixes (addressPrefixes, or
// the single addressPrefix).
func subnetPrefixes(s *armnetwork.Subnet) []*string {
	if s == nil || s.Properties == nil {
		return nil
	}
	if len(s.Properties.AddressPrefixes) > 0 {
		return s.Properties.AddressPrefixes
	}
	if s.Properties.AddressPrefix != nil {
		return []*string{s.Properties.AddressPrefix}
	}
	return nil
}

// subnetUsers lists the IP configurations placed in a subnet: those of
// NICs, then those of virtual network gateways.
func subnetUsers(tx *store.Tx, subnetID string) []string {
	var out []string
	id, err := arm.ParseID(subnetID)
	if err != nil {
		return nil
	}
	for _, r := range tx.Under("/subscriptions/"+id.Subscription, TypeNIC) {
		var nic armnetwork.Interface
		if json.Unmarshal(r.Body, &nic) != nil || nic.Properties == nil {
			continue
		}
		for _, ipc := range nic.Properties.IPConfigurations {
			if ipc != nil && ipc.Properties != nil && ipc.Properties.Subnet != nil && ipc.Properties.Subnet.ID != nil && arm.SameID(*ipc.Properties.Subnet.ID, subnetID) {
				out = append(out, *ipc.ID)
			}
		}
	}
	return append(out, gatewayUsers(tx, subnetID)...)
}

func inUseSubnet(subnetID, user string) *arm.Error {
	name := subnetID[strings.LastIndex(subnetID, "/")+1:]
	return arm.BadRequest("InUseSubnetCannotBeDeleted", "Subnet %s is in use by %s and cannot be deleted. In order to delete the subnet, delete all the resources within the subnet. See aka.ms/deletesubnet.", name, user)
}

// checkSubnet validates one subnet's prefixes against the VNet's address
// space and the other subnets.
func checkSubnet(vnetName, subnetID string, prefixes []netip.Prefix, space []netip.Prefix, siblings map[string][]netip.Prefix) *arm.Error {
	name := subnetID[strings.LastIndex(subnetID, "/")+1:]
	if len(prefixes) == 0 {
		return arm.BadRequest("NoAddressPrefixOrPoolProvided", "No address prefix or IPAM pool is provided for subnet %s.", subnetID)
	}
	for _, p := range prefixes {
		if !within(p, space) {
			return arm.BadRequest("NetcfgSubnetRangeOutsideVnet", "Subnet '%s' is not valid because its IP address range is outside the IP address range of virtual network '%s'.", name, vnetName)
		}
		for _, ops := range siblings {
			for _, op := range ops {
				if p.Overlaps(op) {
					// Azure's message does not name the other subnet.
					return arm.BadRequest("NetcfgSubnetRangesOverlap", "Subnet '%s' is not valid because its IP address range overlaps with that of an existing subnet in virtual network '%s'.", name, vnetName)
				}
			}
		}
	}
	return nil
}

// reconcileSubnets makes a VNet's subnets those of a VNet PUT: listed ones
// are created or updated, unlisted ones deleted (refused while in use), as
// Azure treats the subnets of a VNet PUT as the whole set.
func reconcileSubnets(c *arm.Context, tx *store.Tx, vid, vnetName string, space []netip.Prefix, desired []*armnetwork.Subnet) *arm.Error {
	want := map[string]*armnetwork.Subnet{}
	for _, s := range desired {
		if s == nil || s.Name == nil {
			return arm.BadRequest("InvalidRequestFormat", "Every subnet of virtual network %s needs a name.", vnetName)
		}
		want[strings.ToLower(*s.Name)] = s
	}
	for _, r := range tx.Children(vid, TypeSubnet) {
		name := r.ID[strings.LastIndex(r.ID, "/")+1:]
		if _, keep := want[strings.ToLower(name)]; keep {
			continue
		}
		if users := subnetUsers(tx, r.ID); len(users) > 0 {
			return inUseSubnet(r.ID, users[0])
		}
	}
	siblings := map[string][]netip.Prefix{}
	for _, s := range desired {
		sid := vid + "/subnets/" + *s.Name
		ps, aerr := parsePrefixes(subnetPrefixes(s), sid)
		if aerr != nil {
			return aerr
		}
		if aerr := checkSubnet(vnetName, sid, ps, space, siblings); aerr != nil {
			return aerr
		}
		siblings[*s.Name] = ps
	}
	// Valid: apply.
	for _, r := range tx.Children(vid, TypeSubnet) {
		name := r.ID[strings.LastIndex(r.ID, "/")+1:]
		if _, keep := want[strings.ToLower(name)]; !keep {
			c.DeleteTree(tx, r.ID)
		}
	}
	for _, s := range desired {
		sid, name := vid+"/subnets/"+*s.Name, *s.Name
		var old armnetwork.Subnet
		if r, ok := tx.Get(sid); ok {
			// An existing subnet keeps the casing it was created with.
			sid, name = r.ID, r.ID[strings.LastIndex(r.ID, "/")+1:]
			_ = json.Unmarshal(r.Body, &old)
		}
		if err := tx.Put(sid, TypeSubnet, newSubnet(sid, name, s, &old, stateSucceeded)); err != nil {
			return arm.Internal(err)
		}
	}
	return nil
}

// newSubnet builds the stored subnet from a request, keeping nothing of the
// old one but what Azure keeps (its etag changes, its name stays).
func newSubnet(id, name string, in, old *armnetwork.Subnet, state string) *armnetwork.Subnet {
	p := in.Properties
	if p == nil {
		p = &armnetwork.SubnetPropertiesFormat{}
	}
	out := &armnetwork.Subnet{ID: to.Ptr(id), Name: to.Ptr(name), Type: to.Ptr(TypeSubnet), Etag: to.Ptr(arm.NewETag()),
		Properties: &armnetwork.SubnetPropertiesFormat{
			AddressPrefix: p.AddressPrefix, AddressPrefixes: p.AddressPrefixes, NetworkSecurityGroup: idOnlyNSG(p.NetworkSecurityGroup),
			RouteTable: p.RouteTable, ServiceEndpoints: p.ServiceEndpoints, Delegations: p.Delegations, NatGateway: p.NatGateway,
			DefaultOutboundAccess:             p.DefaultOutboundAccess,
			PrivateEndpointNetworkPolicies:    orDefault(p.PrivateEndpointNetworkPolicies, armnetwork.VirtualNetworkPrivateEndpointNetworkPoliciesDisabled),
			PrivateLinkServiceNetworkPolicies: orDefault(p.PrivateLinkServiceNetworkPolicies, armnetwork.VirtualNetworkPrivateLinkServiceNetworkPoliciesEnabled),
			SharingScope:                      p.SharingScope,
			ProvisioningState:                 to.Ptr(armnetwork.ProvisioningState(state)),
		}}
	return out
}

func idOnlyNSG(n *armnetwork.SecurityGroup) *armnetwork.SecurityGroup {
	if n == nil || n.ID == nil {
		return nil
	}
	return &armnetwork.SecurityGroup{ID: n.ID}
}

func putSubnet(c *arm.Context) (*arm.Response, error) {
	var in armnetwork.Subnet
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	if name := c.Var("subnetName"); !arm.ValidNetworkName(name) {
		return nil, arm.InvalidName(TypeSubnet, name, "1-80 characters")
	}
	var out *armnetwork.Subnet
	var op *arm.Operation
	created := false
	err := c.Store().Write(func(tx *store.Tx) error {
		id, aerr := parse(c, tx)
		if aerr != nil {
			return aerr
		}
		sid, vid, name := id.String(), id.Parent().String(), id.Name()
		var v armnetwork.VirtualNetwork
		if tx.Decode(vid, &v) != nil {
			return arm.ResourceNotFound(TypeVirtualNetwork, id.Parent().Name(), id.ResourceGroup)
		}
		var old armnetwork.Subnet
		exists := tx.Decode(sid, &old) == nil
		if aerr := c.CheckIfMatch(exists, etagOf(old.Etag)); aerr != nil {
			return aerr
		}
		if aerr := checkBusy(c, sid, vid); aerr != nil {
			return aerr
		}
		ps, aerr := parsePrefixes(subnetPrefixes(&in), sid)
		if aerr != nil {
			return aerr
		}
		siblings := map[string][]netip.Prefix{}
		for _, r := range tx.Children(vid, TypeSubnet) {
			if arm.SameID(r.ID, sid) {
				continue
			}
			var s armnetwork.Subnet
			_ = json.Unmarshal(r.Body, &s)
			sp, _ := parsePrefixes(subnetPrefixes(&s), r.ID)
			siblings[*s.Name] = sp
		}
		if aerr := checkSubnet(*v.Name, sid, ps, vnetSpace(&v), siblings); aerr != nil {
			return aerr
		}
		if exists && !sameSet(derefs(subnetPrefixes(&old)), derefs(subnetPrefixes(&in))) {
			if users := subnetUsers(tx, sid); len(users) > 0 {
				return arm.BadRequest("InUseSubnetCannotBeUpdated", "Subnet %s is in use and cannot be updated.", sid)
			}
		}
		if in.Properties != nil && in.Properties.NetworkSecurityGroup != nil && in.Properties.NetworkSecurityGroup.ID != nil {
			nsgID := *in.Properties.NetworkSecurityGroup.ID
			if _, ok := tx.Get(nsgID); !ok {
				return arm.BadRequest("InvalidResourceReference", "Resource %s referenced by resource %s was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.", nsgID, sid)
			}
			if aerr := checkProvisioned(c, nsgID, sid); aerr != nil {
				return aerr
			}
		}
		created = !exists
		kind := "PutSubnetOperation"
		s := newSubnet(sid, name, &in, &old, startState(c, kind))
		if err := tx.Put(sid, TypeSubnet, s); err != nil {
			return err
		}
		op = beginPut(c, tx, kind, sid, *v.Location, []string{vid}, nil)
		r, _ := tx.Get(sid)
		out = subnetView(tx, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return putAnswer(c, created, out, op), nil
}

// subnetInUse refuses to delete a subnet while a NIC or a gateway sits in it.
func subnetInUse(tx *store.Tx, sid string) *arm.Error {
	if users := subnetUsers(tx, sid); len(users) > 0 {
		return inUseSubnet(sid, users[0])
	}
	return nil
}
