package network

import (
	"net/netip"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
	"github.com/google/uuid"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// putPeering creates or updates one link. The rules, in Azure's order:
// the remote must be another VNet the caller may peer with; neither VNet
// may be mid-operation; one link per VNet pair and side; a Disconnected
// reverse link blocks the write; whole-VNet links need address spaces that
// do not overlap (each other, or VNets already peered); subnet links need
// existing subnets whose blocks do not exist in the other VNet; gateway
// flags need gateways. The kind of a link (whole or subnet, IPv6-only)
// cannot change: Azure accepts such a PUT and keeps the old kind.
func putPeering(c *arm.Context) (*arm.Response, error) {
	var in armnetwork.VirtualNetworkPeering
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	name := c.Var("virtualNetworkPeeringName")
	if !arm.ValidNetworkName(name) {
		return nil, arm.InvalidName(TypePeering, name, "1-80 characters")
	}
	sync := c.Query("syncRemoteAddressSpace")
	if sync != "" && !strings.EqualFold(sync, "true") {
		return nil, arm.BadRequest("InvalidQueryParameterValue", "Query parameter syncRemoteAddressSpace has the value '%s'; the only allowed value is 'true'.", sync)
	}
	if in.Properties == nil {
		in.Properties = &armnetwork.VirtualNetworkPeeringPropertiesFormat{}
	}
	var out *armnetwork.VirtualNetworkPeering
	var op *arm.Operation
	created := false
	err := c.Store().Write(func(tx *store.Tx) error {
		id, aerr := parse(c, tx)
		if aerr != nil {
			return aerr
		}
		pid, vid := id.String(), id.Parent().String()
		var local armnetwork.VirtualNetwork
		if tx.Decode(vid, &local) != nil {
			return arm.NotFound("ParentResourceNotFound", "Failed to perform 'write' on resource(s) of type 'virtualNetworks/virtualNetworkPeerings', because the parent resource '%s' could not be found.", vid)
		}
		var old armnetwork.VirtualNetworkPeering
		exists := tx.Decode(pid, &old) == nil
		if aerr := c.CheckIfMatch(exists, etagOf(old.Etag)); aerr != nil {
			return aerr
		}
		remoteID, aerr := remoteOf(pid, &in)
		if aerr != nil {
			return aerr
		}
		if arm.SameID(remoteID, vid) {
			return arm.BadRequest("CannotPeerVirtualNetworkWithItself", "Peering %s cannot reference its own virtual network %s as the remote virtual network.", pid, vid)
		}
		if exists && !arm.SameID(*old.Properties.RemoteVirtualNetwork.ID, remoteID) {
			return arm.BadRequest("CannotChangeRemoteVirtualNetworkOfPeering", "Peering %s references remote virtual network %s; it cannot be changed to %s. Delete the peering and create it again.", pid, *old.Properties.RemoteVirtualNetwork.ID, remoteID)
		}
		if aerr := c.AuthorizeLinked(remoteID, peerAction); aerr != nil {
			return aerr
		}
		var remote armnetwork.VirtualNetwork
		if tx.Decode(remoteID, &remote) != nil {
			return arm.BadRequest("InvalidResourceReference", "Resource %s referenced by resource %s was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.", remoteID, pid)
		}
		remoteID = *remote.ID
		if aerr := checkBusy(c, pid, vid); aerr != nil {
			return aerr
		}
		if aerr := checkProvisioned(c, remoteID, pid); aerr != nil {
			return aerr
		}
		for _, l := range linksOf(tx, vid) {
			if !arm.SameID(l.ID, pid) && arm.SameID(l.Remote, remoteID) {
				return arm.BadRequest("AnotherPeeringAlreadyReferencesRemoteVnet", "Cannot create peering %s because another peering %s already references remote virtual network %s.", pid, l.ID, remoteID)
			}
		}
		// The kind of an existing link is kept whatever the request says.
		kind := in.Properties
		if exists {
			kind = old.Properties
		}
		whole := kind.PeerCompleteVnets == nil || *kind.PeerCompleteVnets
		ipv6Only := kind.EnableOnlyIPv6Peering != nil && *kind.EnableOnlyIPv6Peering
		if ipv6Only && whole {
			return arm.BadRequest("InvalidPeeringConfiguration", "Peering %s sets enableOnlyIPv6Peering, which is allowed only for subnet peering (peerCompleteVnets false with localSubnetNames and remoteSubnetNames).", pid)
		}
		rev := reverseLink(tx, pid, &armnetwork.VirtualNetworkPeering{Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{RemoteVirtualNetwork: &armnetwork.SubResource{ID: to.Ptr(remoteID)}}})
		if rev != nil && stateOf(&rev.P) == armnetwork.VirtualNetworkPeeringStateDisconnected {
			return arm.BadRequest("RemotePeeringIsDisconnected",
				"Cannot create or update peering %s because remote peering %s referencing parent virtual network %s is in Disconnected state. Update or re-create the remote peering to get it back to Initiated state. Peering gets Disconnected when remote vnet or remote peering is deleted and re-created.",
				pid, rev.ID, vid)
		}
		localNames, remoteNames := in.Properties.LocalSubnetNames, in.Properties.RemoteSubnetNames
		if aerr := checkPeeringSpaces(tx, pid, &local, &remote, whole, ipv6Only, localNames, remoteNames); aerr != nil {
			return aerr
		}
		if aerr := checkGateways(pid, &remote, rev, in.Properties); aerr != nil {
			return aerr
		}

		created = !exists
		opKind := "PutVirtualNetworkPeeringOperation"
		p := armnetwork.VirtualNetworkPeering{
			ID: to.Ptr(pid), Name: to.Ptr(name), Type: to.Ptr(TypePeering), Etag: to.Ptr(arm.NewETag()),
			Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{
				AllowVirtualNetworkAccess: orDefault(in.Properties.AllowVirtualNetworkAccess, true),
				AllowForwardedTraffic:     orDefault(in.Properties.AllowForwardedTraffic, false),
				AllowGatewayTransit:       orDefault(in.Properties.AllowGatewayTransit, false),
				UseRemoteGateways:         orDefault(in.Properties.UseRemoteGateways, false),
				DoNotVerifyRemoteGateways: orDefault(in.Properties.DoNotVerifyRemoteGateways, false),
				RemoteVirtualNetwork:      &armnetwork.SubResource{ID: to.Ptr(remoteID)},
				PeerCompleteVnets:         to.Ptr(whole),
				EnableOnlyIPv6Peering:     to.Ptr(ipv6Only),
				PeeringState:              to.Ptr(armnetwork.VirtualNetworkPeeringStateInitiated),
				PeeringSyncLevel:          to.Ptr(armnetwork.VirtualNetworkPeeringLevelFullyInSync),
				RemoteBgpCommunities:      remote.Properties.BgpCommunities,
				ProvisioningState:         to.Ptr(armnetwork.ProvisioningState(startState(c, opKind))),
				ResourceGUID:              to.Ptr(uuid.NewString()),
			},
		}
		if !whole {
			p.Properties.LocalSubnetNames, p.Properties.RemoteSubnetNames = localNames, remoteNames
		}
		if exists {
			p.Properties.ResourceGUID = old.Properties.ResourceGUID
			p.Properties.PeeringState = old.Properties.PeeringState
			// Address spaces stay as last synced, unless this PUT syncs.
			p.Properties.LocalAddressSpace, p.Properties.LocalVirtualNetworkAddressSpace = old.Properties.LocalAddressSpace, old.Properties.LocalVirtualNetworkAddressSpace
			p.Properties.RemoteAddressSpace, p.Properties.RemoteVirtualNetworkAddressSpace = old.Properties.RemoteAddressSpace, old.Properties.RemoteVirtualNetworkAddressSpace
			if !whole && (!sameSet(derefs(old.Properties.LocalSubnetNames), derefs(localNames)) || !sameSet(derefs(old.Properties.RemoteSubnetNames), derefs(remoteNames))) {
				snapshot(tx, &p, vid, remoteID) // changing the peered subnets re-reads them
			}
		} else {
			snapshot(tx, &p, vid, remoteID)
		}
		if sync != "" {
			snapshot(tx, &p, vid, remoteID)
		}
		if err := tx.Put(pid, TypePeering, &p); err != nil {
			return err
		}
		syncReverse := sync != ""
		op = beginPut(c, tx, opKind, pid, *local.Location, []string{vid}, func(tx *store.Tx) { connect(tx, pid, syncReverse) })
		r, _ := tx.Get(pid)
		out = peeringView(tx, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return putAnswer(c, created, out, op), nil
}

// remoteOf returns the remote VNet ID of a request, checked to be a VNet ID.
func remoteOf(pid string, in *armnetwork.VirtualNetworkPeering) (string, *arm.Error) {
	if in.Properties.RemoteVirtualNetwork == nil || in.Properties.RemoteVirtualNetwork.ID == nil || *in.Properties.RemoteVirtualNetwork.ID == "" {
		return "", arm.BadRequest("RemoteVirtualNetworkReferenceMissing", "Peering %s must reference a remote virtual network in properties.remoteVirtualNetwork.id.", pid)
	}
	rid := *in.Properties.RemoteVirtualNetwork.ID
	id, err := arm.ParseID(rid)
	if err != nil || !strings.EqualFold(id.FullType(), TypeVirtualNetwork) {
		return "", arm.BadRequest("InvalidRemoteVirtualNetworkReference", "Peering %s references %s as its remote virtual network, which is not a virtual network ID (/subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.Network/virtualNetworks/{name}).", pid, rid)
	}
	return id.String(), nil
}

// snapshot records the address spaces a link peers as of now.
func snapshot(tx *store.Tx, p *armnetwork.VirtualNetworkPeering, local, remote string) {
	whole := wholeVNet(p)
	pp := p.Properties
	pp.LocalVirtualNetworkAddressSpace = space(peeredSpace(tx, local, true, nil))
	pp.LocalAddressSpace = space(peeredSpace(tx, local, whole, pp.LocalSubnetNames))
	pp.RemoteVirtualNetworkAddressSpace = space(peeredSpace(tx, remote, true, nil))
	pp.RemoteAddressSpace = space(peeredSpace(tx, remote, whole, pp.RemoteSubnetNames))
}

// connect runs when a link's PUT completes: with a live reverse link both
// become Connected; without one the link is Initiated. A sync also brings
// the reverse link's view of its own VNet up to date.
func connect(tx *store.Tx, pid string, sync bool) {
	var p armnetwork.VirtualNetworkPeering
	if tx.Decode(pid, &p) != nil {
		return
	}
	rev := reverseLink(tx, pid, &p)
	if rev == nil || stateOf(&rev.P) == armnetwork.VirtualNetworkPeeringStateDisconnected {
		if stateOf(&p) != armnetwork.VirtualNetworkPeeringStateInitiated {
			setPeeringState(tx, pid, armnetwork.VirtualNetworkPeeringStateInitiated)
		}
		return
	}
	if stateOf(&p) != armnetwork.VirtualNetworkPeeringStateConnected {
		setPeeringState(tx, pid, armnetwork.VirtualNetworkPeeringStateConnected)
	}
	if stateOf(&rev.P) != armnetwork.VirtualNetworkPeeringStateConnected {
		setPeeringState(tx, rev.ID, armnetwork.VirtualNetworkPeeringStateConnected)
	}
	if sync {
		var r armnetwork.VirtualNetworkPeering
		if tx.Decode(rev.ID, &r) == nil {
			snapshot(tx, &r, rev.Local, rev.Remote)
			r.Etag = to.Ptr(arm.NewETag())
			_ = tx.Put(rev.ID, TypePeering, &r)
		}
	}
}

// checkPeeringSpaces applies the address-space rules of both kinds of link.
func checkPeeringSpaces(tx *store.Tx, pid string, local, remote *armnetwork.VirtualNetwork, whole, ipv6Only bool, localNames, remoteNames []*string) *arm.Error {
	lid, rid := *local.ID, *remote.ID
	if whole {
		if ov := overlapping(vnetSpace(local), vnetSpace(remote)); len(ov) > 0 {
			return arm.BadRequest("VnetAddressSpacesOverlap",
				"Cannot create or update peering %s. Virtual networks %s and %s cannot be peered because their address spaces overlap. Overlapping address prefixes: %s",
				pid, lid, rid, describe(ov))
		}
		for _, l := range linksOf(tx, lid) {
			if arm.SameID(l.Remote, rid) || arm.SameID(l.ID, pid) || !wholeVNet(&l.P) || stateOf(&l.P) == armnetwork.VirtualNetworkPeeringStateDisconnected {
				continue
			}
			if ov := overlapping(vnetSpace(remote), prefixesOf(peeredSpace(tx, l.Remote, true, nil))); len(ov) > 0 {
				return arm.BadRequest("VnetAddressSpaceOverlapsWithAlreadyPeeredVnet",
					"Cannot create or update peering %s because address space of the remote virtual network %s overlaps with address space of virtual network %s already peered with virtual network %s. Overlapping address prefixes: %s",
					pid, rid, l.Remote, lid, describe(ov))
			}
		}
		return nil
	}
	if len(localNames) == 0 || len(remoteNames) == 0 {
		return arm.BadRequest("SubnetNamesRequiredForSubnetPeering", "Peering %s sets peerCompleteVnets to false, so it needs both localSubnetNames and remoteSubnetNames.", pid)
	}
	side := func(vnet *armnetwork.VirtualNetwork, names []*string, other *armnetwork.VirtualNetwork) *arm.Error {
		for _, n := range derefs(names) {
			var s armnetwork.Subnet
			if tx.Decode(*vnet.ID+"/subnets/"+n, &s) != nil {
				return arm.BadRequest("SubnetNotFoundForSubnetPeering", "Peering %s names subnet %s, which does not exist in virtual network %s.", pid, n, *vnet.ID)
			}
			ps := prefixesOf(derefs(subnetPrefixes(&s)))
			if ipv6Only {
				ps = onlyIPv6(ps)
			}
			if ov := overlapping(ps, vnetSpace(other)); len(ov) > 0 {
				return arm.BadRequest("VnetAddressSpacesOverlap",
					"Cannot create or update peering %s. Subnet %s of virtual network %s cannot be peered because its address prefixes exist in virtual network %s. Overlapping address prefixes: %s",
					pid, n, *vnet.ID, *other.ID, describe(ov))
			}
		}
		return nil
	}
	if err := side(local, localNames, remote); err != nil {
		return err
	}
	return side(remote, remoteNames, local)
}

// checkGateways applies the gateway-transit rules. The emulator models no
// virtual network gateways, so useRemoteGateways is refused unless the
// caller asks Azure not to verify them.
func checkGateways(pid string, remote *armnetwork.VirtualNetwork, rev *link, in *armnetwork.VirtualNetworkPeeringPropertiesFormat) *arm.Error {
	if in.UseRemoteGateways == nil || !*in.UseRemoteGateways {
		return nil
	}
	if in.AllowGatewayTransit != nil && *in.AllowGatewayTransit {
		return arm.BadRequest("PeeringCannotHaveBothUseRemoteGatewaysAndAllowGatewayTransit", "Peering %s cannot set both useRemoteGateways and allowGatewayTransit.", pid)
	}
	if in.DoNotVerifyRemoteGateways != nil && *in.DoNotVerifyRemoteGateways {
		return nil
	}
	if rev == nil || rev.P.Properties.AllowGatewayTransit == nil || !*rev.P.Properties.AllowGatewayTransit {
		return arm.BadRequest("RemotePeeringDoesNotAllowGatewayTransit", "Peering %s cannot set useRemoteGateways because the remote peering on virtual network %s does not exist yet or does not set allowGatewayTransit. Create the remote peering with allowGatewayTransit first.", pid, *remote.ID)
	}
	return arm.BadRequest("RemoteVnetHasNoGateways", "Peering %s cannot have UseRemoteGateways flag set to true because remote virtual network %s referenced by the peering does not have any gateways.", pid, *remote.ID)
}

func onlyIPv6(ps []netip.Prefix) []netip.Prefix {
	var out []netip.Prefix
	for _, p := range ps {
		if p.Addr().Is6() {
			out = append(out, p)
		}
	}
	return out
}
