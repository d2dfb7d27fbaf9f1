package peering

import (
	"errors"
	"fmt"
	"strings"
)

// VirtualNetworkID names one virtual network. Segments keep the casing they
// were given in; Key compares IDs the way ARM does, case-insensitively.
type VirtualNetworkID struct {
	SubscriptionID string
	ResourceGroup  string
	Name           string
}

// LinkID names one peering link: a virtualNetworkPeerings child of a VNet.
type LinkID struct {
	VirtualNetwork VirtualNetworkID
	Name           string
}

const (
	vnetIDExample = "/subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<name>"
	linkIDExample = vnetIDExample + "/virtualNetworkPeerings/<link>"
	// PairSeparator joins the two link IDs of a pair ID.
	PairSeparator = "|"
)

// String is the ARM ID.
func (v VirtualNetworkID) String() string {
	return "/subscriptions/" + v.SubscriptionID + "/resourceGroups/" + v.ResourceGroup +
		"/providers/Microsoft.Network/virtualNetworks/" + v.Name
}

// Key is the case-insensitive identity of the VNet, for maps and locks.
func (v VirtualNetworkID) Key() string { return strings.ToLower(v.String()) }

// Equal reports whether two IDs name the same VNet.
func (v VirtualNetworkID) Equal(o VirtualNetworkID) bool { return v.Key() == o.Key() }

// Link is the ID of the link called name on this VNet.
func (v VirtualNetworkID) Link(name string) LinkID { return LinkID{VirtualNetwork: v, Name: name} }

// String is the ARM ID.
func (l LinkID) String() string {
	return l.VirtualNetwork.String() + "/virtualNetworkPeerings/" + l.Name
}

// Key is the case-insensitive identity of the link.
func (l LinkID) Key() string { return strings.ToLower(l.String()) }

// PairID is the resource ID of a pair: "<a link ID>|<b link ID>".
func PairID(a, b LinkID) string { return a.String() + PairSeparator + b.String() }

// parsedID is a resource ID cut into what this package cares about.
type parsedID struct {
	subscription, group string
	provider            string   // e.g. Microsoft.Network; empty for a group or subscription
	types, names        []string // resource type chain and names, e.g. [virtualNetworks subnets] [v s]
}

func (p parsedID) is(provider string, types ...string) bool {
	if !strings.EqualFold(p.provider, provider) || len(p.types) != len(types) {
		return false
	}
	for i, t := range types {
		if !strings.EqualFold(p.types[i], t) {
			return false
		}
	}
	return true
}

func (p parsedID) vnet() VirtualNetworkID {
	return VirtualNetworkID{SubscriptionID: p.subscription, ResourceGroup: p.group, Name: p.names[0]}
}

// describe says in words what kind of resource the ID names.
func (p parsedID) describe() string {
	switch {
	case p.group == "":
		return "a subscription ID"
	case p.provider == "":
		return "a resource group ID"
	case p.is("Microsoft.Network", "virtualNetworks"):
		return "a virtual network ID"
	case p.is("Microsoft.Network", "virtualNetworks", "subnets"):
		return fmt.Sprintf("the ID of subnet %q in virtual network %q", p.names[1], p.names[0])
	case p.is("Microsoft.Network", "virtualNetworks", "virtualNetworkPeerings"):
		return fmt.Sprintf("the ID of peering link %q of virtual network %q", p.names[1], p.names[0])
	}
	return "the ID of a " + p.provider + "/" + strings.Join(p.types, "/") + " resource"
}

var errNotAnID = errors.New("not an Azure resource ID")

// parseID accepts /subscriptions/S[/resourceGroups/G[/providers/P/T/N[/T/N...]]],
// matching the fixed words case-insensitively as ARM does.
func parseID(s string) (parsedID, error) {
	var p parsedID
	if !strings.HasPrefix(s, "/") || strings.HasSuffix(s, "/") || strings.ContainsAny(s, " \t\n|") {
		return p, errNotAnID
	}
	seg := strings.Split(s[1:], "/")
	for _, x := range seg {
		if x == "" {
			return p, errNotAnID
		}
	}
	if len(seg) < 2 || !strings.EqualFold(seg[0], "subscriptions") {
		return p, errNotAnID
	}
	p.subscription, seg = seg[1], seg[2:]
	if len(seg) == 0 {
		return p, nil
	}
	if len(seg) < 2 || !strings.EqualFold(seg[0], "resourceGroups") {
		return p, errNotAnID
	}
	p.group, seg = seg[1], seg[2:]
	if len(seg) == 0 {
		return p, nil
	}
	if len(seg) < 4 || len(seg)%2 != 0 || !strings.EqualFold(seg[0], "providers") {
		return p, errNotAnID
	}
	p.provider, seg = seg[1], seg[2:]
	for i := 0; i < len(seg); i += 2 {
		p.types = append(p.types, seg[i])
		p.names = append(p.names, seg[i+1])
	}
	return p, nil
}

// ParseVirtualNetworkID parses a VNet ID. For any other ID the error says
// what was given and what is wanted instead.
func ParseVirtualNetworkID(s string) (VirtualNetworkID, error) {
	if s == "" {
		return VirtualNetworkID{}, fmt.Errorf("a virtual network ID is required, such as %s", vnetIDExample)
	}
	p, err := parseID(s)
	if err != nil {
		return VirtualNetworkID{}, fmt.Errorf("%q is not an Azure resource ID; want a virtual network ID such as %s", s, vnetIDExample)
	}
	switch {
	case p.is("Microsoft.Network", "virtualNetworks"):
		return p.vnet(), nil
	case p.is("Microsoft.Network", "virtualNetworks", "subnets"):
		return VirtualNetworkID{}, fmt.Errorf("%q is %s, not a virtual network ID; pass the virtual network's ID, %q, and name the subnet in subnet_names for subnet peering", s, p.describe(), p.vnet().String())
	case p.is("Microsoft.Network", "virtualNetworks", "virtualNetworkPeerings"):
		return VirtualNetworkID{}, fmt.Errorf("%q is %s, not a virtual network ID; pass the ID of the virtual network the link belongs to, %q", s, p.describe(), p.vnet().String())
	case p.group != "" && p.provider == "":
		return VirtualNetworkID{}, fmt.Errorf("%q is %s, not a virtual network ID; pass the ID of a virtual network in it, such as %s/providers/Microsoft.Network/virtualNetworks/<name>", s, p.describe(), s)
	}
	return VirtualNetworkID{}, fmt.Errorf("%q is %s, not a virtual network ID; want an ID such as %s", s, p.describe(), vnetIDExample)
}

// ParseLinkID parses the ID of one peering link.
func ParseLinkID(s string) (LinkID, error) {
	p, err := parseID(s)
	if err != nil {
		return LinkID{}, fmt.Errorf("%q is not an Azure resource ID; want a peering link ID such as %s", s, linkIDExample)
	}
	if p.is("Microsoft.Network", "virtualNetworks", "virtualNetworkPeerings") {
		return LinkID{VirtualNetwork: p.vnet(), Name: p.names[1]}, nil
	}
	return LinkID{}, fmt.Errorf("%q is %s; want a peering link ID such as %s", s, p.describe(), linkIDExample)
}

// ParsePairID parses a pair ID, "<a link ID>|<b link ID>".
func ParsePairID(s string) (a, b LinkID, err error) {
	left, right, ok := strings.Cut(s, PairSeparator)
	if !ok || strings.Contains(right, PairSeparator) {
		return a, b, fmt.Errorf("%q is not a pair ID; want \"<a link ID>%s<b link ID>\"", s, PairSeparator)
	}
	if a, err = ParseLinkID(left); err != nil {
		return a, b, fmt.Errorf("side a of pair ID: %w", err)
	}
	if b, err = ParseLinkID(right); err != nil {
		return a, b, fmt.Errorf("side b of pair ID: %w", err)
	}
	if a.VirtualNetwork.Equal(b.VirtualNetwork) {
		return a, b, fmt.Errorf("%q names two links of the same virtual network %q; a pair links two different virtual networks", s, a.VirtualNetwork.String())
	}
	return a, b, nil
}

// ImportID is what an import accepts: a pair ID, or one link ID whose reverse
// link is then looked up (B is zero and Single is true).
type ImportID struct {
	A, B   LinkID
	Single bool
}

// ParseImportID parses an import ID. A VNet, subnet or other ID gets an error
// saying what to pass instead.
func ParseImportID(s string) (ImportID, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, PairSeparator) {
		a, b, err := ParsePairID(s)
		return ImportID{A: a, B: b}, err
	}
	p, err := parseID(s)
	want := fmt.Sprintf("pass a peering link ID (%s), whose reverse link is then found on the remote virtual network, or a pair ID \"<a link ID>%s<b link ID>\"", linkIDExample, PairSeparator)
	if err != nil {
		return ImportID{}, fmt.Errorf("%q is not an Azure resource ID; %s", s, want)
	}
	if p.is("Microsoft.Network", "virtualNetworks", "virtualNetworkPeerings") {
		return ImportID{A: LinkID{VirtualNetwork: p.vnet(), Name: p.names[1]}, Single: true}, nil
	}
	hint := ""
	if p.is("Microsoft.Network", "virtualNetworks") || p.is("Microsoft.Network", "virtualNetworks", "subnets") {
		hint = fmt.Sprintf(" The peerlab_virtual_network_peerings data source lists the links of virtual network %q with their IDs.", p.vnet().String())
	}
	return ImportID{}, fmt.Errorf("%q is %s, which cannot be imported as a peering; %s.%s", s, p.describe(), want, hint)
}
