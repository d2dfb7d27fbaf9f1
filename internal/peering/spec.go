package peering

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
)

// SideSpec is what one side of a pair should be: the link that lives on
// VirtualNetwork and points at the other side's VNet.
type SideSpec struct {
	VirtualNetwork            VirtualNetworkID
	Name                      string
	AllowVirtualNetworkAccess bool
	AllowForwardedTraffic     bool
	AllowGatewayTransit       bool
	UseRemoteGateways         bool
	// SubnetNames lists the local subnets of a subnet peering; nil (or empty)
	// on both sides means the whole VNets are peered.
	SubnetNames []string
}

// Spec is a whole pair.
type Spec struct {
	A, B SideSpec
	// OnlyIPv6 peers only the IPv6 space of the subnets (subnet peering only).
	OnlyIPv6 bool
	// SyncAddressSpace resyncs links that report an out-of-sync address space.
	SyncAddressSpace bool
}

// SideName is "a" or "b", as the configuration calls the sides.
type SideName string

// The sides of a pair.
const (
	SideA SideName = "a"
	SideB SideName = "b"
)

// Other is the opposite side.
func (s SideName) Other() SideName {
	if s == SideA {
		return SideB
	}
	return SideA
}

// Side returns one side's spec.
func (s Spec) Side(n SideName) SideSpec {
	if n == SideB {
		return s.B
	}
	return s.A
}

// LinkID returns the ID of one side's link.
func (s Spec) LinkID(n SideName) LinkID {
	side := s.Side(n)
	return side.VirtualNetwork.Link(side.Name)
}

// SubnetPeering reports whether subnets rather than whole VNets are peered.
func (s Spec) SubnetPeering() bool { return len(s.A.SubnetNames) > 0 || len(s.B.SubnetNames) > 0 }

// FirstSide is the side whose link is created first: the one that offers its
// gateway (allow_gateway_transit), since the reverse link may use it; else a.
func (s Spec) FirstSide() SideName {
	if s.B.AllowGatewayTransit && !s.A.AllowGatewayTransit {
		return SideB
	}
	return SideA
}

// DesiredLink is the ARM body that makes one side's link what the spec says.
func (s Spec) DesiredLink(n SideName) armnetwork.VirtualNetworkPeering {
	local, remote := s.Side(n), s.Side(n.Other())
	props := &armnetwork.VirtualNetworkPeeringPropertiesFormat{
		AllowVirtualNetworkAccess: to.Ptr(local.AllowVirtualNetworkAccess),
		AllowForwardedTraffic:     to.Ptr(local.AllowForwardedTraffic),
		AllowGatewayTransit:       to.Ptr(local.AllowGatewayTransit),
		UseRemoteGateways:         to.Ptr(local.UseRemoteGateways),
		RemoteVirtualNetwork:      &armnetwork.SubResource{ID: to.Ptr(remote.VirtualNetwork.String())},
	}
	if s.SubnetPeering() {
		props.PeerCompleteVnets = to.Ptr(false)
		props.LocalSubnetNames = to.SliceOfPtrs(local.SubnetNames...)
		props.RemoteSubnetNames = to.SliceOfPtrs(remote.SubnetNames...)
		props.EnableOnlyIPv6Peering = to.Ptr(s.OnlyIPv6)
	}
	return armnetwork.VirtualNetworkPeering{Name: to.Ptr(local.Name), Properties: props}
}

// Field names a setting a Problem is about, as the configuration spells it.
type Field string

// Fields that problems point at.
const (
	FieldVirtualNetworkID    Field = "virtual_network_id"
	FieldName                Field = "name"
	FieldSubnetNames         Field = "subnet_names"
	FieldUseRemoteGateways   Field = "use_remote_gateways"
	FieldAllowGatewayTransit Field = "allow_gateway_transit"
	FieldOnlyIPv6            Field = "only_ipv6"
)

// Problem is one reason a spec cannot be applied. Side is empty for a
// problem of the pair as a whole.
type Problem struct {
	Side    SideName
	Field   Field
	Summary string
	Detail  string
}

func (p Problem) Error() string { return p.Summary + ": " + p.Detail }

// linkNameRE is Azure's rule for virtualNetworkPeerings (and subnets): 1-80
// characters of letters, digits, '_', '.', '-'; begins with a letter or
// digit; ends with a letter, digit or '_'.
var linkNameRE = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$`)

// NameRule describes linkNameRE in words, for messages and documentation.
const NameRule = "1 to 80 letters, digits, underscores, periods or hyphens, beginning with a letter or digit and ending with a letter, digit or underscore"

// ValidName reports whether s follows Azure's naming rule for links and subnets.
func ValidName(s string) bool { return linkNameRE.MatchString(s) }

// DefaultLinkName is "<local vnet>-to-<remote vnet>", shortened to fit
// Azure's 80-character limit.
func DefaultLinkName(local, remote VirtualNetworkID) string {
	l, r := local.Name, remote.Name
	if len(l)+len(r)+4 > 80 {
		l = strings.TrimRight(l[:min(len(l), 38)], ".-")
		r = strings.TrimRight(r[:min(len(r), 38)], ".-")
	}
	return l + "-to-" + r
}

// CheckDistinct refuses a pair whose sides are one VNet.
func CheckDistinct(a, b VirtualNetworkID) []Problem {
	if !a.Equal(b) {
		return nil
	}
	return []Problem{{Side: SideB, Field: FieldVirtualNetworkID, Summary: "Same virtual network on both sides",
		Detail: fmt.Sprintf("Sides a and b both name virtual network %q. A peering links two different virtual networks; set b.virtual_network_id to the other one.", a.String())}}
}

// CheckSubnetMode checks that subnet peering is asked for on both sides or
// neither, and that only_ipv6 comes only with it.
func CheckSubnetMode(aSubnets, bSubnets []string, onlyIPv6 bool) []Problem {
	var out []Problem
	switch {
	case len(aSubnets) > 0 && len(bSubnets) == 0:
		out = append(out, Problem{Side: SideB, Field: FieldSubnetNames, Summary: "Subnet names on one side only",
			Detail: "Side a lists subnet_names but side b does not. Subnet peering names the peered subnets on both sides; set b.subnet_names too, or remove a.subnet_names to peer the whole virtual networks."})
	case len(bSubnets) > 0 && len(aSubnets) == 0:
		out = append(out, Problem{Side: SideA, Field: FieldSubnetNames, Summary: "Subnet names on one side only",
			Detail: "Side b lists subnet_names but side a does not. Subnet peering names the peered subnets on both sides; set a.subnet_names too, or remove b.subnet_names to peer the whole virtual networks."})
	}
	if onlyIPv6 && len(aSubnets) == 0 && len(bSubnets) == 0 {
		out = append(out, Problem{Field: FieldOnlyIPv6, Summary: "only_ipv6 needs subnet peering",
			Detail: "only_ipv6 peers the IPv6 space of the listed subnets and applies to subnet peering only. Set subnet_names on both sides, or remove only_ipv6."})
	}
	for _, side := range []struct {
		n       SideName
		subnets []string
	}{{SideA, aSubnets}, {SideB, bSubnets}} {
		seen := map[string]bool{}
		for _, s := range side.subnets {
			if seen[strings.ToLower(s)] {
				out = append(out, Problem{Side: side.n, Field: FieldSubnetNames, Summary: "Duplicate subnet name",
					Detail: fmt.Sprintf("Side %s lists subnet %q twice. Name each subnet once.", side.n, s)})
			}
			seen[strings.ToLower(s)] = true
		}
	}
	return out
}

// GatewayFlags are the gateway settings of one side.
type GatewayFlags struct {
	AllowGatewayTransit bool
	UseRemoteGateways   bool
}

// CheckGateways checks the gateway settings of the two sides against each
// other: a side that uses remote gateways needs the other side to offer
// gateway transit, and cannot offer its own (a VNet that uses a remote
// gateway has none of its own).
func CheckGateways(a, b GatewayFlags) []Problem {
	var out []Problem
	for _, s := range []struct {
		n           SideName
		local, peer GatewayFlags
	}{{SideA, a, b}, {SideB, b, a}} {
		if !s.local.UseRemoteGateways {
			continue
		}
		if s.local.AllowGatewayTransit {
			out = append(out, Problem{Side: s.n, Field: FieldUseRemoteGateways, Summary: "Gateway transit and remote gateways on one side",
				Detail: fmt.Sprintf("Side %s sets both use_remote_gateways and allow_gateway_transit. A virtual network that uses the remote gateway cannot have one of its own to offer; set only one of them.", s.n)})
			continue
		}
		if !s.peer.AllowGatewayTransit {
			out = append(out, Problem{Side: s.n, Field: FieldUseRemoteGateways, Summary: "Remote gateway not offered",
				Detail: fmt.Sprintf("Side %s sets use_remote_gateways, but side %s does not set allow_gateway_transit. Set %s.allow_gateway_transit = true on the side that has the gateway.", s.n, s.n.Other(), s.n.Other())})
		}
	}
	return out
}

// Validate runs every check that needs only the spec itself.
func (s Spec) Validate() []Problem {
	var out []Problem
	for _, n := range []SideName{SideA, SideB} {
		if name := s.Side(n).Name; !ValidName(name) {
			out = append(out, Problem{Side: n, Field: FieldName, Summary: "Invalid link name",
				Detail: fmt.Sprintf("Link name %q on side %s does not follow Azure's naming rule: %s.", name, n, NameRule)})
		}
	}
	out = append(out, CheckDistinct(s.A.VirtualNetwork, s.B.VirtualNetwork)...)
	out = append(out, CheckSubnetMode(s.A.SubnetNames, s.B.SubnetNames, s.OnlyIPv6)...)
	out = append(out, CheckGateways(
		GatewayFlags{s.A.AllowGatewayTransit, s.A.UseRemoteGateways},
		GatewayFlags{s.B.AllowGatewayTransit, s.B.UseRemoteGateways})...)
	return out
}

// sameNames compares subnet name lists as sets, ignoring case as Azure does.
func sameNames(want []string, got []*string) bool {
	w := make([]string, 0, len(want))
	for _, s := range want {
		w = append(w, strings.ToLower(s))
	}
	g := make([]string, 0, len(got))
	for _, s := range got {
		if s != nil {
			g = append(g, strings.ToLower(*s))
		}
	}
	slices.Sort(w)
	slices.Sort(g)
	return slices.Equal(slices.Compact(w), slices.Compact(g))
}
