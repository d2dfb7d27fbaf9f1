package network

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
)

// parsePrefix parses a CIDR and insists that it is in canonical form
// (10.0.0.0/16, not 10.0.0.1/16), as Azure does.
func parsePrefix(s, resourceID string) (netip.Prefix, *arm.Error) {
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil {
		return netip.Prefix{}, arm.BadRequest("InvalidAddressPrefixFormat", "Address prefix %s of resource %s is not formatted correctly. It should follow CIDR notation, for example 10.0.0.0/24.", s, resourceID)
	}
	if p.Masked() != p {
		return netip.Prefix{}, arm.BadRequest("InvalidCIDRNotation",
			"The address prefix %s in resource %s has an invalid CIDR notation. For the given prefix length, the address prefix should be %s.", s, resourceID, p.Masked())
	}
	return p, nil
}

// parsePrefixes parses a list of prefixes.
func parsePrefixes(list []*string, resourceID string) ([]netip.Prefix, *arm.Error) {
	var out []netip.Prefix
	for _, s := range list {
		if s == nil {
			continue
		}
		p, err := parsePrefix(*s, resourceID)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// Overlaps reports whether two prefixes share any address.
func Overlaps(a, b netip.Prefix) bool { return a.Overlaps(b) }

// overlapping returns the prefixes of a that overlap some prefix of b, as
// "a (overlaps b)" strings for messages.
func overlapping(a, b []netip.Prefix) []string {
	var out []string
	for _, x := range a {
		for _, y := range b {
			if x.Overlaps(y) {
				out = append(out, x.String())
				break
			}
		}
	}
	return out
}

// within reports whether p lies entirely inside one of space.
func within(p netip.Prefix, space []netip.Prefix) bool {
	for _, s := range space {
		if s.Bits() <= p.Bits() && s.Contains(p.Addr()) {
			return true
		}
	}
	return false
}

// strs turns prefixes into SDK string pointers.
func strs(ps []netip.Prefix) []*string {
	out := make([]*string, 0, len(ps))
	for _, p := range ps {
		s := p.String()
		out = append(out, &s)
	}
	return out
}

// derefs turns SDK string pointers into strings.
func derefs(list []*string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		if s != nil {
			out = append(out, *s)
		}
	}
	return out
}

// sameSet compares two prefix lists as sets.
func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, s := range a {
		seen[strings.ToLower(s)]++
	}
	for _, s := range b {
		seen[strings.ToLower(s)]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}

// describe prints prefixes for messages.
func describe(ps []string) string { return fmt.Sprint(strings.Join(ps, ", ")) }
