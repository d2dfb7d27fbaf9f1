package arm

import (
	"fmt"
	"strings"
)

// ID is a parsed ARM resource ID.
type ID struct {
	Subscription  string
	ResourceGroup string
	Provider      string   // e.g. Microsoft.Network
	Types         []string // e.g. [virtualNetworks virtualNetworkPeerings]
	Names         []string // one per type
}

// ParseID parses /subscriptions/{s}/resourceGroups/{g}/providers/{ns}/{type}/{name}[/{type}/{name}...],
// and the shorter subscription and resource-group IDs.
func ParseID(s string) (ID, error) {
	var id ID
	parts := splitPath(s)
	if len(parts) < 2 || !strings.EqualFold(parts[0], "subscriptions") {
		return id, fmt.Errorf("%q is not an ARM resource ID: it must start with /subscriptions/{id}", s)
	}
	id.Subscription = parts[1]
	rest := parts[2:]
	if len(rest) >= 2 && strings.EqualFold(rest[0], "resourceGroups") {
		id.ResourceGroup = rest[1]
		rest = rest[2:]
	}
	if len(rest) == 0 {
		return id, nil
	}
	if len(rest) < 4 || !strings.EqualFold(rest[0], "providers") || len(rest[2:])%2 != 0 {
		return id, fmt.Errorf("%q is not an ARM resource ID: expected providers/{namespace}/{type}/{name}", s)
	}
	id.Provider = rest[1]
	for i := 2; i < len(rest); i += 2 {
		id.Types = append(id.Types, rest[i])
		id.Names = append(id.Names, rest[i+1])
	}
	return id, nil
}

// FullType is the provider-qualified type, e.g.
// Microsoft.Network/virtualNetworks/virtualNetworkPeerings.
func (id ID) FullType() string {
	if id.Provider == "" {
		return ""
	}
	return id.Provider + "/" + strings.Join(id.Types, "/")
}

// Name is the last name segment.
func (id ID) Name() string {
	if len(id.Names) == 0 {
		if id.ResourceGroup != "" {
			return id.ResourceGroup
		}
		return id.Subscription
	}
	return id.Names[len(id.Names)-1]
}

// Parent is the ID one level up (a peering's VNet, a VNet's group).
func (id ID) Parent() ID {
	p := id
	switch {
	case len(id.Types) > 1:
		p.Types = id.Types[:len(id.Types)-1]
		p.Names = id.Names[:len(id.Names)-1]
	case len(id.Types) == 1:
		p.Provider, p.Types, p.Names = "", nil, nil
	case id.ResourceGroup != "":
		p.ResourceGroup = ""
	}
	return p
}

// GroupID is the resource group's ID.
func (id ID) GroupID() string {
	return "/subscriptions/" + id.Subscription + "/resourceGroups/" + id.ResourceGroup
}

// String formats the ID.
func (id ID) String() string {
	var b strings.Builder
	b.WriteString("/subscriptions/" + id.Subscription)
	if id.ResourceGroup != "" {
		b.WriteString("/resourceGroups/" + id.ResourceGroup)
	}
	if id.Provider != "" {
		b.WriteString("/providers/" + id.Provider)
		for i := range id.Types {
			b.WriteString("/" + id.Types[i] + "/" + id.Names[i])
		}
	}
	return b.String()
}

// SameID compares two ARM IDs as ARM does: case-insensitively.
func SameID(a, b string) bool {
	return strings.EqualFold(strings.Join(splitPath(a), "/"), strings.Join(splitPath(b), "/"))
}

func splitPath(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
