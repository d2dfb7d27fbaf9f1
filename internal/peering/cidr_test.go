package peering

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
)

func TestOverlappingPrefixes(t *testing.T) {
	cases := []struct {
		name string
		a, b []string
		want []string
	}{
		{"disjoint", []string{"10.0.0.0/16"}, []string{"10.1.0.0/16"}, []string{}},
		{"equal", []string{"10.0.0.0/16"}, []string{"10.0.0.0/16"}, []string{"10.0.0.0/16"}},
		{"inside", []string{"10.0.0.0/16"}, []string{"10.0.5.0/24"}, []string{"10.0.0.0/16"}},
		{"around", []string{"10.0.5.0/24"}, []string{"10.0.0.0/8"}, []string{"10.0.5.0/24"}},
		{"adjacent", []string{"10.0.0.0/24"}, []string{"10.0.1.0/24"}, []string{}},
		{"order kept, each once", []string{"192.168.1.0/24", "10.0.0.0/16", "172.16.0.0/12"}, []string{"10.0.1.0/24", "172.20.0.0/16", "10.0.2.0/24"}, []string{"10.0.0.0/16", "172.16.0.0/12"}},
		{"host bits", []string{"10.0.0.7/16"}, []string{"10.0.200.0/24"}, []string{"10.0.0.7/16"}},
		{"ipv6", []string{"fd00:1::/48", "fd00:2::/48"}, []string{"fd00:1:0:5::/64"}, []string{"fd00:1::/48"}},
		{"ipv6 disjoint", []string{"fd00:1::/48"}, []string{"fd00:2::/48"}, []string{}},
		{"families never overlap", []string{"10.0.0.0/8", "::/0"}, []string{"fd00::/8"}, []string{"::/0"}},
		{"mapped ipv4 is ipv6", []string{"::ffff:10.0.0.0/104"}, []string{"10.0.0.0/8"}, []string{}},
		{"empty", nil, []string{"10.0.0.0/8"}, []string{}},
	}
	for _, tc := range cases {
		got, err := OverlappingPrefixes(tc.a, tc.b)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got == nil || !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %#v, want %#v", tc.name, got, tc.want)
		}
	}
}

func TestOverlappingPrefixesRejectsNonCIDR(t *testing.T) {
	for _, bad := range []string{"10.0.0.0", "10.0.0.0/33", "fd00::/129", "ten/8", ""} {
		_, err := OverlappingPrefixes([]string{"10.0.0.0/8"}, []string{bad})
		if err == nil || !strings.Contains(err.Error(), "is not a CIDR prefix") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestOverlaps(t *testing.T) {
	a, _ := ParsePrefixes([]string{"10.0.0.0/16", "fd00::/64"})
	b, _ := ParsePrefixes([]string{"10.0.1.0/24", "10.0.2.0/24", "fd00::/48"})
	got := Overlaps(a, b)
	if len(got) != 3 || got[0].String() != "10.0.0.0/16 overlaps 10.0.1.0/24" || got[2].String() != "fd00::/64 overlaps fd00::/48" {
		t.Errorf("%v", got)
	}
}

func TestSuggestFreePrefix(t *testing.T) {
	p := func(s ...string) []netip.Prefix { out, _ := ParsePrefixes(s); return out }
	cases := []struct {
		like string
		used []netip.Prefix
		want string
	}{
		{"10.0.0.0/16", p("10.0.0.0/16"), "10.1.0.0/16"},
		{"10.0.0.0/16", p("10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/24"), "10.3.0.0/16"},
		{"10.0.0.0/24", p("10.0.0.0/8"), "172.16.0.0/24"},
		{"10.0.0.0/16", p("10.0.0.0/8", "172.16.0.0/12"), "192.168.0.0/16"},
		{"10.0.0.0/8", p("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"), ""},
		{"fd00:1::/48", p("fd00::/48", "fd00:1::/48"), "fd00:0:1::/48"},
		{"fd00:1::/64", p("fd00::/8"), ""},
		{"10.0.0.0/24", p("10.0.0.128/25"), "10.0.1.0/24"},
	}
	for _, tc := range cases {
		got, ok := SuggestFreePrefix(netip.MustParsePrefix(tc.like), tc.used)
		if tc.want == "" {
			if ok {
				t.Errorf("like %s: suggested %s, want none", tc.like, got)
			}
			continue
		}
		if !ok || got.String() != tc.want {
			t.Errorf("like %s used %v: got %s %v, want %s", tc.like, tc.used, got, ok, tc.want)
		}
		for _, u := range tc.used {
			if got.Overlaps(u) {
				t.Errorf("suggestion %s overlaps %s", got, u)
			}
		}
	}
}
