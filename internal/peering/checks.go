package peering

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
)

// gatewaySubnet is the subnet name Azure reserves for virtual network gateways.
const gatewaySubnet = "GatewaySubnet"

// GetVirtualNetwork reads a VNet with its subnets; nil without error when it
// does not exist.
func (e *Engine) GetVirtualNetwork(ctx context.Context, id VirtualNetworkID) (*armnetwork.VirtualNetwork, error) {
	c, err := e.clients.VirtualNetworks(ctx, id.SubscriptionID)
	if err != nil {
		return nil, err
	}
	var vnet *armnetwork.VirtualNetwork
	err = e.retry(ctx, "reading virtual network "+id.String(), func(ctx context.Context) error {
		resp, err := c.Get(ctx, id.ResourceGroup, id.Name, nil)
		if err != nil {
			if IsNotFound(err) {
				vnet = nil
				return nil
			}
			return err
		}
		vnet = &resp.VirtualNetwork
		return nil
	})
	return vnet, err
}

// CheckNetworks reads both VNets and returns what would make Azure refuse
// the spec: overlapping address spaces, unknown subnets, and remote gateways
// that are not there. A VNet that does not exist yet (it may be created in
// the same apply) is not checked.
func (e *Engine) CheckNetworks(ctx context.Context, spec Spec) ([]Problem, error) {
	a, err := e.GetVirtualNetwork(ctx, spec.A.VirtualNetwork)
	if err != nil {
		return nil, fmt.Errorf("reading virtual network %q: %w", spec.A.VirtualNetwork.String(), err)
	}
	b, err := e.GetVirtualNetwork(ctx, spec.B.VirtualNetwork)
	if err != nil {
		return nil, fmt.Errorf("reading virtual network %q: %w", spec.B.VirtualNetwork.String(), err)
	}
	return CheckNetworkPair(spec, a, b), nil
}

// CheckNetworkPair is CheckNetworks on VNets already read; nil means the
// VNet does not exist.
func CheckNetworkPair(spec Spec, a, b *armnetwork.VirtualNetwork) []Problem {
	var out []Problem
	vnets := map[SideName]*armnetwork.VirtualNetwork{SideA: a, SideB: b}
	if spec.SubnetPeering() {
		for _, n := range []SideName{SideA, SideB} {
			if vnets[n] != nil {
				out = append(out, checkSubnetsExist(spec, n, vnets[n])...)
			}
		}
	}
	if a != nil && b != nil {
		if spec.SubnetPeering() {
			for _, n := range []SideName{SideA, SideB} {
				out = append(out, checkSubnetOverlap(spec, n, vnets[n], vnets[n.Other()])...)
			}
		} else {
			out = append(out, checkSpaceOverlap(spec, a, b)...)
		}
	}
	for _, n := range []SideName{SideA, SideB} {
		if !spec.Side(n).UseRemoteGateways {
			continue
		}
		if remote := vnets[n.Other()]; remote != nil && !HasGateway(remote) {
			out = append(out, Problem{Side: n, Field: FieldUseRemoteGateways, Summary: "No gateway in the remote virtual network",
				Detail: fmt.Sprintf("Side %s sets use_remote_gateways, but virtual network %q (side %s) has no virtual network gateway. Create the gateway in its %s first, or set use_remote_gateways = false.", n, spec.Side(n.Other()).VirtualNetwork.String(), n.Other(), gatewaySubnet)})
		}
		if local := vnets[n]; local != nil && HasGateway(local) {
			out = append(out, Problem{Side: n, Field: FieldUseRemoteGateways, Summary: "Local virtual network has its own gateway",
				Detail: fmt.Sprintf("Side %s sets use_remote_gateways, but its virtual network %q has a gateway of its own, and Azure allows remote gateways only for a virtual network without one. Set use_remote_gateways = false, or remove the local gateway.", n, spec.Side(n).VirtualNetwork.String())})
		}
	}
	return out
}

// AddressSpace is a VNet's address prefixes.
func AddressSpace(v *armnetwork.VirtualNetwork) []string {
	if v == nil || v.Properties == nil {
		return nil
	}
	return prefixes(v.Properties.AddressSpace)
}

// HasGateway reports whether a VNet's GatewaySubnet holds a virtual network
// gateway's IP configuration.
func HasGateway(v *armnetwork.VirtualNetwork) bool {
	for _, s := range subnets(v) {
		if s.Name == nil || !strings.EqualFold(*s.Name, gatewaySubnet) || s.Properties == nil {
			continue
		}
		for _, ipc := range s.Properties.IPConfigurations {
			if ipc != nil && ipc.ID != nil && strings.Contains(strings.ToLower(*ipc.ID), "/virtualnetworkgateways/") {
				return true
			}
		}
	}
	return false
}

func subnets(v *armnetwork.VirtualNetwork) []*armnetwork.Subnet {
	if v == nil || v.Properties == nil {
		return nil
	}
	var out []*armnetwork.Subnet
	for _, s := range v.Properties.Subnets {
		if s != nil {
			out = append(out, s)
		}
	}
	return out
}

func subnetNames(v *armnetwork.VirtualNetwork) []string {
	var out []string
	for _, s := range subnets(v) {
		if s.Name != nil {
			out = append(out, *s.Name)
		}
	}
	return out
}

func findSubnet(v *armnetwork.VirtualNetwork, name string) *armnetwork.Subnet {
	for _, s := range subnets(v) {
		if s.Name != nil && strings.EqualFold(*s.Name, name) {
			return s
		}
	}
	return nil
}

func subnetPrefixes(s *armnetwork.Subnet) []string {
	if s.Properties == nil {
		return nil
	}
	var out []string
	if p := s.Properties.AddressPrefix; p != nil && *p != "" {
		out = append(out, *p)
	}
	for _, p := range s.Properties.AddressPrefixes {
		if p != nil && *p != "" && !slices.Contains(out, *p) {
			out = append(out, *p)
		}
	}
	return out
}

func checkSubnetsExist(spec Spec, n SideName, v *armnetwork.VirtualNetwork) []Problem {
	var out []Problem
	for _, name := range spec.Side(n).SubnetNames {
		if findSubnet(v, name) != nil {
			continue
		}
		have := "no subnets"
		if names := subnetNames(v); len(names) > 0 {
			have = "subnets " + quoteList(names)
		}
		out = append(out, Problem{Side: n, Field: FieldSubnetNames, Summary: "Unknown subnet",
			Detail: fmt.Sprintf("Side %s lists subnet %q, but virtual network %q has %s. Name existing subnets in %s.subnet_names.", n, name, spec.Side(n).VirtualNetwork.String(), have, n)})
	}
	return out
}

// checkSpaceOverlap: whole-VNet peering needs disjoint address spaces.
func checkSpaceOverlap(spec Spec, a, b *armnetwork.VirtualNetwork) []Problem {
	pa, errA := ParsePrefixes(AddressSpace(a))
	pb, errB := ParsePrefixes(AddressSpace(b))
	if errA != nil || errB != nil {
		return nil // Azure owns these values; a parse failure is not the user's to fix.
	}
	ov := Overlaps(pa, pb)
	if len(ov) == 0 {
		return nil
	}
	pairs := make([]string, 0, len(ov))
	for _, o := range ov {
		pairs = append(pairs, o.String())
	}
	suggest := ""
	if free, ok := SuggestFreePrefix(ov[0].B, append(slices.Clone(pa), pb...)); ok {
		suggest = fmt.Sprintf(" such as %s", free)
	}
	return []Problem{{Side: SideB, Field: FieldVirtualNetworkID, Summary: "Address spaces overlap",
		Detail: fmt.Sprintf("Virtual network %q (side a, %s) and virtual network %q (side b, %s) have overlapping address spaces: %s. Azure peers whole virtual networks only when no prefixes overlap. Give one of them a range that does not overlap%s, or peer only some subnets by listing subnet_names on both sides (subnet peering), whose address ranges must not exist in the other virtual network.",
			spec.A.VirtualNetwork.String(), strings.Join(AddressSpace(a), ", "), spec.B.VirtualNetwork.String(), strings.Join(AddressSpace(b), ", "), strings.Join(pairs, ", "), suggest)}}
}

// checkSubnetOverlap: each peered subnet's range must not exist in the other
// VNet's address space. With only_ipv6 only IPv6 ranges count.
func checkSubnetOverlap(spec Spec, n SideName, local, remote *armnetwork.VirtualNetwork) []Problem {
	space, err := ParsePrefixes(AddressSpace(remote))
	if err != nil {
		return nil
	}
	var out []Problem
	for _, name := range spec.Side(n).SubnetNames {
		s := findSubnet(local, name)
		if s == nil {
			continue
		}
		ps, err := ParsePrefixes(subnetPrefixes(s))
		if err != nil {
			continue
		}
		if spec.OnlyIPv6 {
			ps = slices.DeleteFunc(ps, func(p netip.Prefix) bool { return p.Addr().Is4() })
			if len(ps) == 0 {
				out = append(out, Problem{Side: n, Field: FieldSubnetNames, Summary: "Subnet has no IPv6 range",
					Detail: fmt.Sprintf("Side %s lists subnet %q of virtual network %q, which has no IPv6 prefix, but only_ipv6 peers only IPv6 space. Give the subnet an IPv6 prefix, leave it out, or set only_ipv6 = false.", n, name, spec.Side(n).VirtualNetwork.String())})
				continue
			}
		}
		ov := Overlaps(ps, space)
		if len(ov) == 0 {
			continue
		}
		pairs := make([]string, 0, len(ov))
		for _, o := range ov {
			pairs = append(pairs, o.String())
		}
		out = append(out, Problem{Side: n, Field: FieldSubnetNames, Summary: "Peered subnet overlaps the other virtual network",
			Detail: fmt.Sprintf("Subnet %q of virtual network %q (side %s) overlaps the address space of virtual network %q (side %s): %s. In subnet peering the range of each peered subnet must not exist in the other virtual network; peer a subnet outside the shared range instead.",
				name, spec.Side(n).VirtualNetwork.String(), n, spec.Side(n.Other()).VirtualNetwork.String(), n.Other(), strings.Join(pairs, ", "))})
	}
	return out
}

func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
