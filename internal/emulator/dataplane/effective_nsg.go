package dataplane

import (
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// SecurityGroups are a NIC's effective network security groups as Azure
// shows them: the NIC's NSG, then its subnet's (one entry with both
// associations when they are the same NSG), each with its rules in
// effective form — names prefixed securityRules/ or defaultSecurityRules/,
// protocols Tcp, Udp, Icmp or All, ports as ranges, "*" as 0.0.0.0/0, and
// service tags with their expanded prefixes. The tagMap is left out: the
// Azure SDK for Go models it as a string while Azure sends an object.
func SecurityGroups(w *World, n *NIC) *armnetwork.EffectiveNetworkSecurityGroupListResult {
	out := &armnetwork.EffectiveNetworkSecurityGroupListResult{Value: []*armnetwork.EffectiveNetworkSecurityGroup{}}
	t := w.TagsFor(n.VNet)
	subnetNSG := ""
	if s := w.Subnet(n.Subnet); s != nil {
		subnetNSG = s.NSG
	}
	add := func(nsgID string, assoc *armnetwork.EffectiveNetworkSecurityGroupAssociation) {
		g := w.NSG(nsgID)
		if g == nil {
			return
		}
		out.Value = append(out.Value, &armnetwork.EffectiveNetworkSecurityGroup{
			NetworkSecurityGroup:   &armnetwork.SubResource{ID: to.Ptr(g.ID)},
			Association:            assoc,
			EffectiveSecurityRules: effectiveRules(w, g, t),
		})
	}
	switch {
	case n.NSG != "" && store.Key(n.NSG) == store.Key(subnetNSG):
		add(n.NSG, &armnetwork.EffectiveNetworkSecurityGroupAssociation{
			NetworkInterface: &armnetwork.SubResource{ID: to.Ptr(n.ID)}, Subnet: &armnetwork.SubResource{ID: to.Ptr(n.Subnet)}})
	default:
		if n.NSG != "" {
			add(n.NSG, &armnetwork.EffectiveNetworkSecurityGroupAssociation{NetworkInterface: &armnetwork.SubResource{ID: to.Ptr(n.ID)}})
		}
		if subnetNSG != "" {
			add(subnetNSG, &armnetwork.EffectiveNetworkSecurityGroupAssociation{Subnet: &armnetwork.SubResource{ID: to.Ptr(n.Subnet)}})
		}
	}
	return out
}

// effectiveRules lists an NSG's rules in effective form: its own rules by
// priority (inbound first at equal priority), then the default rules.
func effectiveRules(w *World, g *NSG, t Tags) []*armnetwork.EffectiveNetworkSecurityRule {
	var own, defaults []*Rule
	for _, r := range g.Rules {
		if r.Default {
			defaults = append(defaults, r)
		} else {
			own = append(own, r)
		}
	}
	sort.SliceStable(own, func(i, j int) bool {
		if own[i].Priority != own[j].Priority {
			return own[i].Priority < own[j].Priority
		}
		return own[i].Inbound && !own[j].Inbound
	})
	out := []*armnetwork.EffectiveNetworkSecurityRule{}
	for _, r := range append(own, defaults...) {
		prefix := "securityRules/"
		if r.Default {
			prefix = "defaultSecurityRules/"
		}
		e := &armnetwork.EffectiveNetworkSecurityRule{
			Name: to.Ptr(prefix + r.Name), Protocol: to.Ptr(effectiveProtocol(r.Protocol)), Priority: to.Ptr(r.Priority),
			Access: to.Ptr(armnetwork.SecurityRuleAccessDeny), Direction: to.Ptr(armnetwork.SecurityRuleDirectionOutbound),
		}
		if r.Allow {
			e.Access = to.Ptr(armnetwork.SecurityRuleAccessAllow)
		}
		if r.Inbound {
			e.Direction = to.Ptr(armnetwork.SecurityRuleDirectionInbound)
		}
		e.SourcePortRange, e.SourcePortRanges = effectivePorts(r.SrcPorts)
		e.DestinationPortRange, e.DestinationPortRanges = effectivePorts(r.DstPorts)
		e.SourceAddressPrefix, e.SourceAddressPrefixes, e.ExpandedSourceAddressPrefix = effectiveAddresses(w, r.Src, r.SrcASGs, t)
		e.DestinationAddressPrefix, e.DestinationAddressPrefixes, e.ExpandedDestinationAddressPrefix = effectiveAddresses(w, r.Dst, r.DstASGs, t)
		out = append(out, e)
	}
	return out
}

func effectiveProtocol(p string) armnetwork.EffectiveSecurityRuleProtocol {
	switch strings.ToLower(p) {
	case "*":
		return armnetwork.EffectiveSecurityRuleProtocolAll
	case "tcp":
		return armnetwork.EffectiveSecurityRuleProtocolTCP
	case "udp":
		return armnetwork.EffectiveSecurityRuleProtocolUDP
	case "icmp":
		return "Icmp" // not among the SDK's values; Azure's spelling (unconfirmed)
	}
	return armnetwork.EffectiveSecurityRuleProtocol(p)
}

// effectivePorts writes port specs as ranges: "*" as 0-65535, 22 as 22-22.
func effectivePorts(specs []string) (*string, []*string) {
	var ranges []*string
	for _, s := range specs {
		if lo, hi, ok := portRange(s); ok {
			ranges = append(ranges, to.Ptr(strconv.Itoa(lo)+"-"+strconv.Itoa(hi)))
		}
	}
	if len(ranges) == 1 {
		return ranges[0], nil
	}
	return nil, ranges
}

// effectiveAddresses writes address specs as Azure's effective rules do
// ("*" as 0.0.0.0/0, an address as /32, tags by name) and expands the
// tags, and application security groups to their members' addresses.
func effectiveAddresses(w *World, specs, asgs []string, t Tags) (*string, []*string, []*string) {
	var names, expanded []*string
	for _, s := range specs {
		switch strings.ToLower(s) {
		case "*", "any":
			names = append(names, to.Ptr("0.0.0.0/0"))
			continue
		case "virtualnetwork":
			expanded = append(expanded, prefixStrings(t.VirtualNetwork)...)
		case "azureloadbalancer":
			expanded = append(expanded, to.Ptr(AzurePlatform.String()))
		case "internet":
			expanded = append(expanded, prefixStrings(Complement(notInternet))...)
		default:
			if a, err := netip.ParseAddr(s); err == nil {
				names = append(names, to.Ptr(netip.PrefixFrom(a, a.BitLen()).String()))
				continue
			}
		}
		names = append(names, to.Ptr(s))
	}
	for _, g := range asgs {
		for _, n := range w.sortedNICs() {
			for _, m := range n.ASGs {
				if store.Key(m) == store.Key(g) && n.IP.IsValid() {
					expanded = append(expanded, to.Ptr(netip.PrefixFrom(n.IP, 32).String()))
				}
			}
		}
	}
	if len(names) == 1 {
		return names[0], nil, expanded
	}
	return nil, names, expanded
}

func prefixStrings(ps []netip.Prefix) []*string {
	out := make([]*string, 0, len(ps))
	for _, p := range ps {
		out = append(out, to.Ptr(p.String()))
	}
	return out
}
