package network

import (
	"encoding/json"
	"net/http"
	"net/netip"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// peerAction is the right a caller needs on the remote VNet.
const peerAction = "Microsoft.Network/virtualNetworks/peer/action"

func registerPeerings(s *arm.Server) {
	r := s.Router
	r.Handle(http.MethodGet, vnetPath+"/virtualNetworkPeerings", "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/read", listChildren(TypeVirtualNetwork, TypePeering, byResource(peeringView)))
	r.Handle(http.MethodGet, peeringPath, "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/read", getChild(byResource(peeringView)))
	r.Handle(http.MethodPut, peeringPath, "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write", putPeering)
	r.Handle(http.MethodDelete, peeringPath, "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/delete", deleteHandler("DeleteVirtualNetworkPeeringOperation", true, nil))
	s.OnDelete(TypePeering, func(tx *store.Tx, r *store.Resource) {
		var p armnetwork.VirtualNetworkPeering
		if json.Unmarshal(r.Body, &p) == nil {
			if rev := reverseLink(tx, r.ID, &p); rev != nil {
				setPeeringState(tx, rev.ID, armnetwork.VirtualNetworkPeeringStateDisconnected)
			}
		}
	})
}

// link is a stored peering with its parsed IDs.
type link struct {
	ID     string // the peering
	Local  string // its VNet
	Remote string // the VNet it points at
	P      armnetwork.VirtualNetworkPeering
}

func loadLink(tx *store.Tx, r *store.Resource) *link {
	l := &link{ID: r.ID}
	if json.Unmarshal(r.Body, &l.P) != nil {
		return nil
	}
	id, _ := arm.ParseID(r.ID)
	l.Local = id.Parent().String()
	if l.P.Properties != nil && l.P.Properties.RemoteVirtualNetwork != nil && l.P.Properties.RemoteVirtualNetwork.ID != nil {
		l.Remote = *l.P.Properties.RemoteVirtualNetwork.ID
	}
	return l
}

// linksOf lists the peerings of a VNet.
func linksOf(tx *store.Tx, vnetID string) []*link {
	var out []*link
	for _, r := range tx.Children(vnetID, TypePeering) {
		if l := loadLink(tx, r); l != nil {
			out = append(out, l)
		}
	}
	return out
}

// reverseLink finds the link on p's remote VNet that points back at p's
// VNet.
func reverseLink(tx *store.Tx, peeringID string, p *armnetwork.VirtualNetworkPeering) *link {
	if p.Properties == nil || p.Properties.RemoteVirtualNetwork == nil || p.Properties.RemoteVirtualNetwork.ID == nil {
		return nil
	}
	id, _ := arm.ParseID(peeringID)
	local := id.Parent().String()
	for _, l := range linksOf(tx, *p.Properties.RemoteVirtualNetwork.ID) {
		if arm.SameID(l.Remote, local) {
			return l
		}
	}
	return nil
}

func stateOf(p *armnetwork.VirtualNetworkPeering) armnetwork.VirtualNetworkPeeringState {
	if p.Properties == nil || p.Properties.PeeringState == nil {
		return ""
	}
	return *p.Properties.PeeringState
}

func setPeeringState(tx *store.Tx, id string, s armnetwork.VirtualNetworkPeeringState) {
	var p armnetwork.VirtualNetworkPeering
	if tx.Decode(id, &p) != nil || p.Properties == nil {
		return
	}
	p.Properties.PeeringState = to.Ptr(s)
	p.Etag = to.Ptr(arm.NewETag())
	_ = tx.Put(id, TypePeering, &p)
}

// disconnectRemotePeerings runs when a VNet is deleted: every link that
// points at it becomes Disconnected (and stays so if the VNet is created
// again).
func disconnectRemotePeerings(tx *store.Tx, r *store.Resource) {
	for _, p := range tx.Under("/subscriptions", TypePeering) {
		if l := loadLink(tx, p); l != nil && arm.SameID(l.Remote, r.ID) && !arm.SameID(l.Local, r.ID) {
			setPeeringState(tx, l.ID, armnetwork.VirtualNetworkPeeringStateDisconnected)
		}
	}
}

// wholeVNet reports whether a link peers complete VNets (the default).
func wholeVNet(p *armnetwork.VirtualNetworkPeering) bool {
	return p.Properties == nil || p.Properties.PeerCompleteVnets == nil || *p.Properties.PeerCompleteVnets
}

// onlyIPv6 reports whether a (subnet) link peers IPv6 prefixes only.
func onlyIPv6Link(p *armnetwork.VirtualNetworkPeering) bool {
	return p.Properties != nil && p.Properties.EnableOnlyIPv6Peering != nil && *p.Properties.EnableOnlyIPv6Peering
}

// peeredSpace is the part of a VNet a link peers: the whole address space,
// or the prefixes of the named subnets (their IPv6 prefixes only, for an
// IPv6-only link).
func peeredSpace(tx *store.Tx, vnetID string, whole, ipv6Only bool, subnetNames []*string) []string {
	var v armnetwork.VirtualNetwork
	if tx.Decode(vnetID, &v) != nil || v.Properties == nil {
		return nil
	}
	if whole {
		return derefs(addrs(v.Properties.AddressSpace))
	}
	var out []string
	for _, n := range derefs(subnetNames) {
		var s armnetwork.Subnet
		if tx.Decode(vnetID+"/subnets/"+n, &s) != nil {
			continue
		}
		for _, p := range derefs(subnetPrefixes(&s)) {
			if pp, err := netip.ParsePrefix(p); !ipv6Only || (err == nil && pp.Addr().Is6()) {
				out = append(out, p)
			}
		}
	}
	return out
}

// localSpace and remoteSpace are what a link peers on each side now.
func localSpace(tx *store.Tx, l *link) []string {
	return peeredSpace(tx, l.Local, wholeVNet(&l.P), onlyIPv6Link(&l.P), l.P.Properties.LocalSubnetNames)
}

func remoteSpace(tx *store.Tx, l *link) []string {
	return peeredSpace(tx, l.Remote, wholeVNet(&l.P), onlyIPv6Link(&l.P), l.P.Properties.RemoteSubnetNames)
}

// peeringView is a link as GET shows it. The stored link keeps the address
// spaces it last synced (localAddressSpace, remoteAddressSpace); the
// *VirtualNetworkAddressSpace fields show what each side peers now, and the
// sync level compares the two. Whole-VNet links do not show their local
// spaces (Azure's answers leave them out), and the remote VNet's BGP
// communities and encryption are read as they are now.
func peeringView(tx *store.Tx, r *store.Resource) *armnetwork.VirtualNetworkPeering {
	l := loadLink(tx, r)
	if l == nil {
		return &armnetwork.VirtualNetworkPeering{ID: to.Ptr(r.ID)}
	}
	if l.P.Properties == nil {
		return &l.P
	}
	p := l.P.Properties
	localNow := localSpace(tx, l)
	localStale := !sameSet(derefs(addrs(p.LocalAddressSpace)), localNow)
	p.LocalVirtualNetworkAddressSpace = space(localNow)
	remoteStale := false
	var remote armnetwork.VirtualNetwork
	if tx.Decode(l.Remote, &remote) == nil && remote.Properties != nil {
		remoteNow := remoteSpace(tx, l)
		remoteStale = !sameSet(derefs(addrs(p.RemoteAddressSpace)), remoteNow)
		p.RemoteVirtualNetworkAddressSpace = space(remoteNow)
		p.RemoteBgpCommunities = remoteCommunities(&remote)
		p.RemoteVirtualNetworkEncryption = remoteEncryption(&remote)
	}
	level := armnetwork.VirtualNetworkPeeringLevelFullyInSync
	switch {
	case localStale && remoteStale:
		level = armnetwork.VirtualNetworkPeeringLevelLocalAndRemoteNotInSync
	case localStale:
		level = armnetwork.VirtualNetworkPeeringLevelLocalNotInSync
	case remoteStale:
		level = armnetwork.VirtualNetworkPeeringLevelRemoteNotInSync
	}
	p.PeeringSyncLevel = to.Ptr(level)
	if wholeVNet(&l.P) {
		p.LocalAddressSpace, p.LocalVirtualNetworkAddressSpace = nil, nil
	}
	return &l.P
}

// remoteCommunities is what a link shows of its remote VNet's BGP
// communities: nothing when the VNet has none.
func remoteCommunities(v *armnetwork.VirtualNetwork) *armnetwork.VirtualNetworkBgpCommunities {
	c := v.Properties.BgpCommunities
	if c == nil || c.VirtualNetworkCommunity == nil {
		return nil
	}
	return &armnetwork.VirtualNetworkBgpCommunities{VirtualNetworkCommunity: c.VirtualNetworkCommunity, RegionalCommunity: c.RegionalCommunity}
}

// remoteEncryption is the remote VNet's encryption setting, which Azure
// shows on every link (disabled, AllowUnencrypted, when the VNet sets none).
func remoteEncryption(v *armnetwork.VirtualNetwork) *armnetwork.VirtualNetworkEncryption {
	if e := v.Properties.Encryption; e != nil && e.Enabled != nil {
		out := &armnetwork.VirtualNetworkEncryption{Enabled: e.Enabled, Enforcement: e.Enforcement}
		if out.Enforcement == nil {
			out.Enforcement = to.Ptr(armnetwork.VirtualNetworkEncryptionEnforcementAllowUnencrypted)
		}
		return out
	}
	return &armnetwork.VirtualNetworkEncryption{Enabled: to.Ptr(false), Enforcement: to.Ptr(armnetwork.VirtualNetworkEncryptionEnforcementAllowUnencrypted)}
}

func addrs(a *armnetwork.AddressSpace) []*string {
	if a == nil {
		return nil
	}
	return a.AddressPrefixes
}

func space(list []string) *armnetwork.AddressSpace {
	out := &armnetwork.AddressSpace{AddressPrefixes: []*string{}}
	for _, s := range list {
		out.AddressPrefixes = append(out.AddressPrefixes, to.Ptr(s))
	}
	return out
}

func prefixesOf(list []string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range list {
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// checkPeeredSpace refuses a VNet address space that would overlap a VNet
// it is peered with (whole-VNet links that are not Disconnected).
func checkPeeredSpace(tx *store.Tx, vnetID string, newSpace []netip.Prefix) *arm.Error {
	for _, l := range linksOf(tx, vnetID) {
		if !wholeVNet(&l.P) || stateOf(&l.P) == armnetwork.VirtualNetworkPeeringStateDisconnected {
			continue
		}
		if ov := overlapping(newSpace, prefixesOf(peeredSpace(tx, l.Remote, true, false, nil))); len(ov) > 0 {
			return arm.BadRequest("VnetAddressSpaceOverlapsWithAlreadyPeeredVnet",
				"Cannot update address space of virtual network %s because it overlaps with the address space of virtual network %s, which is peered with it through %s. Overlapping address prefixes: %s.",
				vnetID, l.Remote, l.ID, describe(ov))
		}
	}
	return nil
}
