package dataplane

import (
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// Flow is a packet as security rules see it.
type Flow struct {
	Protocol         string // Tcp, Udp or Icmp
	Src, Dst         netip.Addr
	SrcPort, DstPort int
	// SrcASGs and DstASGs are the application security groups of the NICs
	// at either end (none for an address outside the emulator's VNets).
	SrcASGs, DstASGs []string
}

// Tags resolves the service tags of an NSG for the VNet it protects.
type Tags struct {
	// VirtualNetwork is the VirtualNetwork tag: the VNet's address space,
	// the platform address 168.63.129.16, and the spaces of the Connected
	// peers the VNet allows access to.
	VirtualNetwork []netip.Prefix
}

// AzurePlatform is the virtual public address of Azure's host (DHCP, DNS,
// health probes): the AzureLoadBalancer tag, and part of VirtualNetwork.
var AzurePlatform = netip.MustParsePrefix("168.63.129.16/32")

// notInternet are the IPv4 ranges the Internet tag leaves out: "this"
// network, the private and shared ranges, loopback, link-local, and
// multicast and reserved space.
var notInternet = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"), netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("169.254.0.0/16"), netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("224.0.0.0/3"),
}

// TagsFor are the tags of NSGs applied in a VNet.
func (w *World) TagsFor(vnetID string) Tags {
	v := w.VNet(vnetID)
	if v == nil {
		return Tags{}
	}
	t := Tags{VirtualNetwork: append(append([]netip.Prefix(nil), v.Space...), AzurePlatform)}
	links := append([]*Link(nil), v.Links...)
	sort.Slice(links, func(i, j int) bool { return store.Key(links[i].ID) < store.Key(links[j].ID) })
	for _, l := range links {
		if l.Connected && l.AllowAccess {
			t.VirtualNetwork = append(t.VirtualNetwork, l.RemoteSpace...)
		}
	}
	return t
}

// Evaluate applies an NSG to a flow in one direction: its rules of that
// direction by priority, the first that matches decides. No NSG allows
// everything. It returns the verdict and the deciding rule.
func Evaluate(g *NSG, inbound bool, f Flow, t Tags) (bool, *Rule) {
	if g == nil {
		return true, nil
	}
	rules := make([]*Rule, 0, len(g.Rules))
	for _, r := range g.Rules {
		if r.Inbound == inbound {
			rules = append(rules, r)
		}
	}
	sort.SliceStable(rules, func(i, j int) bool { return rules[i].Priority < rules[j].Priority })
	for _, r := range rules {
		if r.Matches(f, t) {
			return r.Allow, r
		}
	}
	// Unreachable with Azure's default rules in place; deny as they would.
	return false, nil
}

// Matches reports whether a rule applies to a flow.
func (r *Rule) Matches(f Flow, t Tags) bool {
	if r.Protocol != "*" && !strings.EqualFold(r.Protocol, f.Protocol) {
		return false
	}
	icmp := strings.EqualFold(f.Protocol, "Icmp")
	return endMatches(r.Src, r.SrcASGs, f.Src, f.SrcASGs, t) && endMatches(r.Dst, r.DstASGs, f.Dst, f.DstASGs, t) &&
		portMatches(r.SrcPorts, f.SrcPort, icmp) && portMatches(r.DstPorts, f.DstPort, icmp)
}

func endMatches(specs, asgs []string, a netip.Addr, have []string, t Tags) bool {
	if len(asgs) > 0 {
		for _, g := range asgs {
			for _, h := range have {
				if store.Key(g) == store.Key(h) {
					return true
				}
			}
		}
		return false
	}
	for _, s := range specs {
		if t.AddressMatches(s, a) {
			return true
		}
	}
	return false
}

// AddressMatches reports whether an address falls in a rule's address
// spec: "*", a CIDR, an address, or one of the tags VirtualNetwork,
// AzureLoadBalancer and Internet. Other service tags (Storage, AzureCloud,
// …) name Azure services this emulator does not have, and match nothing.
func (t Tags) AddressMatches(spec string, a netip.Addr) bool {
	switch strings.ToLower(strings.TrimSpace(spec)) {
	case "*", "any":
		return true
	case "virtualnetwork":
		return inAny(t.VirtualNetwork, a)
	case "azureloadbalancer":
		return AzurePlatform.Contains(a)
	case "internet":
		return a.Is4() && !inAny(notInternet, a)
	}
	if p, err := netip.ParsePrefix(spec); err == nil {
		return p.Masked().Contains(a)
	}
	if b, err := netip.ParseAddr(spec); err == nil {
		return b == a
	}
	return false
}

// portMatches reports whether a port falls in a rule's port specs. ICMP
// has no ports: only a rule for all ports applies to it.
func portMatches(specs []string, port int, icmp bool) bool {
	for _, s := range specs {
		lo, hi, ok := portRange(s)
		if !ok {
			continue
		}
		if icmp {
			if lo == 0 && hi == 65535 {
				return true
			}
			continue
		}
		if port >= lo && port <= hi {
			return true
		}
	}
	return false
}

// portRange parses "*", "n" or "n-m".
func portRange(s string) (lo, hi int, ok bool) {
	s = strings.TrimSpace(s)
	if s == "*" {
		return 0, 65535, true
	}
	a, b, isRange := strings.Cut(s, "-")
	lo, err1 := strconv.Atoi(strings.TrimSpace(a))
	hi, err2 := lo, error(nil)
	if isRange {
		hi, err2 = strconv.Atoi(strings.TrimSpace(b))
	}
	return lo, hi, err1 == nil && err2 == nil && lo <= hi
}

func inAny(ps []netip.Prefix, a netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Complement is the IPv4 space outside the given prefixes, as the fewest
// CIDR blocks, in address order: how the Internet tag expands.
func Complement(excluded []netip.Prefix) []netip.Prefix {
	var out []netip.Prefix
	var walk func(p netip.Prefix)
	walk = func(p netip.Prefix) {
		for _, x := range excluded {
			if x.Bits() <= p.Bits() && x.Contains(p.Addr()) {
				return // p lies inside an excluded block
			}
		}
		overlaps := false
		for _, x := range excluded {
			if p.Overlaps(x) {
				overlaps = true
				break
			}
		}
		if !overlaps {
			out = append(out, p)
			return
		}
		lo := netip.PrefixFrom(p.Addr(), p.Bits()+1)
		hi := netip.PrefixFrom(lastOf(p), p.Bits()+1).Masked()
		walk(lo)
		walk(hi)
	}
	walk(netip.MustParsePrefix("0.0.0.0/0"))
	return out
}

// lastOf is the last address of a prefix.
func lastOf(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().As4()
	for i := p.Bits(); i < 32; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	return netip.AddrFrom4(b)
}
