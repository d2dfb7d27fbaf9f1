package peering

import (
	"fmt"
	"math/big"
	"net/netip"
	"strings"
)

// Overlap is one pair of prefixes, one from each side, that share addresses.
type Overlap struct {
	A, B netip.Prefix
}

func (o Overlap) String() string { return o.A.String() + " overlaps " + o.B.String() }

// ParsePrefixes parses CIDR prefixes, IPv4 or IPv6. Host bits are cleared so
// "10.0.0.1/16" means 10.0.0.0/16, as Azure reads it.
func ParsePrefixes(list []string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(list))
	for _, s := range list {
		p, err := netip.ParsePrefix(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("%q is not a CIDR prefix such as 10.0.0.0/16 or fd00::/48: %w", s, err)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// Overlaps lists every pair (x from a, y from b) that shares an address.
// IPv4 and IPv6 prefixes never overlap each other.
func Overlaps(a, b []netip.Prefix) []Overlap {
	var out []Overlap
	for _, x := range a {
		for _, y := range b {
			if x.Overlaps(y) {
				out = append(out, Overlap{A: x, B: y})
			}
		}
	}
	return out
}

// OverlappingPrefixes returns, in their order, the prefixes of a that overlap
// any prefix of b, each once and as written. An empty result means none do.
func OverlappingPrefixes(a, b []string) ([]string, error) {
	pa, err := ParsePrefixes(a)
	if err != nil {
		return nil, err
	}
	pb, err := ParsePrefixes(b)
	if err != nil {
		return nil, err
	}
	out := []string{}
	seen := map[string]bool{}
	for i, x := range pa {
		for _, y := range pb {
			if x.Overlaps(y) {
				if !seen[a[i]] {
					seen[a[i]] = true
					out = append(out, a[i])
				}
				break
			}
		}
	}
	return out, nil
}

// privateBlocks are where SuggestFreePrefix looks for room.
var privateBlocks = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("fd00::/8"),
}

// SuggestFreePrefix finds the lowest private prefix of the given length and
// family (that of like) that overlaps none of used, for messages that suggest
// a non-overlapping range. ok is false when none is left.
func SuggestFreePrefix(like netip.Prefix, used []netip.Prefix) (netip.Prefix, bool) {
	bits := like.Bits()
	for _, block := range privateBlocks {
		if block.Addr().Is4() != like.Addr().Is4() || bits < block.Bits() {
			continue
		}
		size := new(big.Int).Lsh(big.NewInt(1), uint(block.Addr().BitLen()-bits))
		end := new(big.Int).Add(addrInt(block.Addr()), new(big.Int).Lsh(big.NewInt(1), uint(block.Addr().BitLen()-block.Bits())))
		cur := addrInt(block.Addr())
		for cur.Cmp(end) < 0 {
			cand := netip.PrefixFrom(intAddr(cur, block.Addr().Is4()), bits)
			clash := false
			for _, u := range used {
				if cand.Overlaps(u) {
					clash = true
					// Jump past whichever of the two is larger, aligned to size.
					next := new(big.Int).Add(addrInt(u.Masked().Addr()), new(big.Int).Lsh(big.NewInt(1), uint(u.Addr().BitLen()-u.Bits())))
					candEnd := new(big.Int).Add(cur, size)
					if next.Cmp(candEnd) < 0 {
						next = candEnd
					}
					rem := new(big.Int).Mod(next, size)
					if rem.Sign() != 0 {
						next.Add(next, new(big.Int).Sub(size, rem))
					}
					cur = next
					break
				}
			}
			if !clash {
				return cand, true
			}
		}
	}
	return netip.Prefix{}, false
}

func addrInt(a netip.Addr) *big.Int {
	b := a.AsSlice()
	return new(big.Int).SetBytes(b)
}

func intAddr(i *big.Int, v4 bool) netip.Addr {
	if v4 {
		var b [4]byte
		i.FillBytes(b[:])
		return netip.AddrFrom4(b)
	}
	var b [16]byte
	i.FillBytes(b[:])
	return netip.AddrFrom16(b)
}
