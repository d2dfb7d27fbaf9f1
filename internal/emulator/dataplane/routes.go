package dataplane

import (
	"net/netip"
	"sort"
	"strings"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// Next-hop types of Azure's system routes.
const (
	HopVnetLocal   = "VnetLocal"
	HopVNetPeering = "VNetPeering"
	HopInternet    = "Internet"
	HopNone        = "None"
)

// Route is one effective route of a NIC.
type Route struct {
	Prefix  netip.Prefix
	NextHop string
	// Link is the peering link behind a VNetPeering route.
	Link *Link
}

// dropped are the prefixes Azure's default system routes send nowhere
// (next hop None): RFC 1918's private ranges and RFC 6598's shared space,
// in the order Azure lists them.
var dropped = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

var everywhere = netip.MustParsePrefix("0.0.0.0/0")

// Routes are the effective routes of a NIC, as Azure's documented system
// route table builds them: the VNet's address space (VnetLocal); for each
// Connected peering link the remote space it last synced (VNetPeering) —
// for a subnet peering only in the local subnets it peers; 0.0.0.0/0 to
// the Internet; and None for the private ranges, except where a VNet or
// peering route replaces one (same or shorter prefix covering it). A more
// specific route inside a private range leaves the None route in place:
// the longest prefix wins at lookup.
func (w *World) Routes(n *NIC) []Route {
	v := w.VNet(n.VNet)
	if v == nil {
		return nil
	}
	var out []Route
	for _, p := range v.Space {
		out = append(out, Route{Prefix: p, NextHop: HopVnetLocal})
	}
	sub := w.Subnet(n.Subnet)
	links := append([]*Link(nil), v.Links...)
	sort.Slice(links, func(i, j int) bool { return store.Key(links[i].ID) < store.Key(links[j].ID) })
	for _, l := range links {
		if !l.Connected || (!l.Whole && !peersSubnet(l, sub)) {
			continue
		}
		for _, p := range l.RemoteSpace {
			out = append(out, Route{Prefix: p, NextHop: HopVNetPeering, Link: l})
		}
	}
	out = append(out, Route{Prefix: everywhere, NextHop: HopInternet})
	for _, d := range dropped {
		covered := false
		for _, r := range out {
			if r.NextHop != HopInternet && r.Prefix.Bits() <= d.Bits() && r.Prefix.Contains(d.Addr()) {
				covered = true
			}
		}
		if !covered {
			out = append(out, Route{Prefix: d, NextHop: HopNone})
		}
	}
	return out
}

// peersSubnet reports whether a subnet peering link includes the subnet.
func peersSubnet(l *Link, s *Subnet) bool {
	if s == nil {
		return false
	}
	for _, name := range l.LocalSubnets {
		if strings.EqualFold(name, s.Name) {
			return true
		}
	}
	return false
}

// Lookup picks the route for an address: the longest matching prefix; of
// equal prefixes the first listed.
func Lookup(routes []Route, a netip.Addr) (Route, bool) {
	best, found := Route{}, false
	for _, r := range routes {
		if r.Prefix.Contains(a) && (!found || r.Prefix.Bits() > best.Prefix.Bits()) {
			best, found = r, true
		}
	}
	return best, found
}
