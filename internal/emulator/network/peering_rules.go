package network

import (
	"net/netip"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// snapshot records the address spaces a link peers as of now.
func snapshot(tx *store.Tx, p *armnetwork.VirtualNetworkPeering, local, remote string) {
	l := &link{Local: local, Remote: remote, P: *p}
	pp := p.Properties
	pp.LocalAddressSpace = space(localSpace(tx, l))
	pp.LocalVirtualNetworkAddressSpace = pp.LocalAddressSpace
	pp.RemoteAddressSpace = space(remoteSpace(tx, l))
	pp.RemoteVirtualNetworkAddressSpace = pp.RemoteAddressSpace
}

// connect runs when a link's PUT completes: with a live reverse link both
// become Connected; without one the link is Initiated. When the link was
// created or synced, the reverse link's record of its own side (which this
// link's remote address space mirrors) is brought up to date too: that is
// how a sync on the link whose remote was resized puts both links in sync.
func connect(tx *store.Tx, pid string, refreshReverse bool) {
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
	var r armnetwork.VirtualNetworkPeering
	if tx.Decode(rev.ID, &r) != nil || r.Properties == nil {
		return
	}
	r.Properties.PeeringState = to.Ptr(armnetwork.VirtualNetworkPeeringStateConnected)
	if refreshReverse {
		r.Properties.LocalAddressSpace = space(localSpace(tx, rev))
		r.Properties.LocalVirtualNetworkAddressSpace = r.Properties.LocalAddressSpace
	}
	r.Etag = to.Ptr(arm.NewETag())
	_ = tx.Put(rev.ID, TypePeering, &r)
}

// overlapsMessage is Azure's message for VnetAddressSpacesOverlap: the
// overlapping prefixes of the first VNet, then those of the second.
const overlapsMessage = "Cannot create or update peering %s. Virtual networks %s and %s cannot be peered because their address spaces overlap. Overlapping address prefixes: %s"

// alreadyPeeredMessage is Azure's message for
// VnetAddressSpaceOverlapsWithAlreadyPeeredVnet; which and other are
// "first" and "second", or the other way round.
const alreadyPeeredMessage = "Cannot create or update peering %s. Virtual networks %s and %s cannot be peered because address space of the %s virtual network overlaps with address space of virtual network %s already peered with the %s virtual network. Overlapping address prefixes: %s. For more information please refer to https://aka.ms/VnetPeeringInfo"

// checkPeeringSpaces applies the address-space rules of both kinds of link.
func checkPeeringSpaces(tx *store.Tx, pid string, local, remote *armnetwork.VirtualNetwork, k linkKind) *arm.Error {
	lid, rid := *local.ID, *remote.ID
	if !k.whole {
		return checkSubnetPeering(tx, pid, local, remote, k)
	}
	ls, rs := vnetSpace(local), vnetSpace(remote)
	if ov := overlapping(ls, rs); len(ov) > 0 {
		return arm.BadRequest("VnetAddressSpacesOverlap", overlapsMessage, pid, lid, rid, describe(append(ov, overlapping(rs, ls)...)))
	}
	// A VNet may not be peered with one whose space clashes with a third
	// VNet already peered with it, seen from either side.
	third := func(of string, space []netip.Prefix, skip string) (string, []string) {
		for _, l := range linksOf(tx, of) {
			if arm.SameID(l.Remote, skip) || arm.SameID(l.ID, pid) || !wholeVNet(&l.P) || stateOf(&l.P) == armnetwork.VirtualNetworkPeeringStateDisconnected {
				continue
			}
			if ov := overlapping(space, prefixesOf(peeredSpace(tx, l.Remote, true, false, nil))); len(ov) > 0 {
				return l.Remote, ov
			}
		}
		return "", nil
	}
	if other, ov := third(rid, ls, lid); other != "" {
		return arm.BadRequest("VnetAddressSpaceOverlapsWithAlreadyPeeredVnet", alreadyPeeredMessage, pid, lid, rid, "first", other, "second", describe(ov))
	}
	if other, ov := third(lid, rs, rid); other != "" {
		return arm.BadRequest("VnetAddressSpaceOverlapsWithAlreadyPeeredVnet", alreadyPeeredMessage, pid, lid, rid, "second", other, "first", describe(ov))
	}
	return nil
}

// checkSubnetPeering: the named subnets must exist, and the address block of
// each peered subnet must not exist in the other VNet (the VNets' spaces may
// overlap elsewhere).
func checkSubnetPeering(tx *store.Tx, pid string, local, remote *armnetwork.VirtualNetwork, k linkKind) *arm.Error {
	if len(k.localNames) == 0 || len(k.remoteNames) == 0 {
		return arm.BadRequest("SubnetNamesRequiredForSubnetPeering", "Peering %s sets peerCompleteVnets to false, so it needs both localSubnetNames and remoteSubnetNames.", pid)
	}
	peered := func(vnet *armnetwork.VirtualNetwork, names []*string) ([]netip.Prefix, *arm.Error) {
		var out []netip.Prefix
		for _, n := range derefs(names) {
			var s armnetwork.Subnet
			if tx.Decode(*vnet.ID+"/subnets/"+n, &s) != nil {
				return nil, arm.BadRequest("SubnetNotFoundForSubnetPeering", "Peering %s names subnet %s, which does not exist in virtual network %s.", pid, n, *vnet.ID)
			}
			ps := prefixesOf(derefs(subnetPrefixes(&s)))
			if k.ipv6Only {
				ps = onlyIPv6(ps)
			}
			out = append(out, ps...)
		}
		return out, nil
	}
	lp, aerr := peered(local, k.localNames)
	if aerr != nil {
		return aerr
	}
	rp, aerr := peered(remote, k.remoteNames)
	if aerr != nil {
		return aerr
	}
	if ov := append(overlapping(lp, vnetSpace(remote)), overlapping(rp, vnetSpace(local))...); len(ov) > 0 {
		return arm.BadRequest("VnetAddressSpacesOverlap", overlapsMessage, pid, *local.ID, *remote.ID, describe(ov))
	}
	return nil
}

// checkGateways applies the gateway-transit rules to a link of VNet vid
// that sets useRemoteGateways: the remote VNet has a gateway and the local
// one none; the reverse link (rev, nil when there is none yet) exists and
// allows gateway transit; no other link of the VNet uses remote gateways.
// doNotVerifyRemoteGateways changes none of this here: the emulator always
// sees the remote VNet.
func checkGateways(tx *store.Tx, pid, vid string, remote *armnetwork.VirtualNetwork, rev *link, in *armnetwork.VirtualNetworkPeeringPropertiesFormat) *arm.Error {
	if !deref(in.UseRemoteGateways) {
		return nil
	}
	if deref(in.AllowGatewayTransit) {
		return errBothTransitFlags(pid)
	}
	if !hasGateway(tx, *remote.ID) {
		return errRemoteNoGateways(pid, *remote.ID)
	}
	if hasGateway(tx, vid) {
		return errLocalGatewayExists(pid, vid)
	}
	if rev == nil || !deref(rev.P.Properties.AllowGatewayTransit) {
		return errRemoteNoTransit(pid)
	}
	for _, l := range linksOf(tx, vid) {
		if !arm.SameID(l.ID, pid) && deref(l.P.Properties.UseRemoteGateways) {
			return errSecondRemoteGateways(pid, l.ID)
		}
	}
	return nil
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
