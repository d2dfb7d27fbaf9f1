package peering

import (
	"strings"
	"testing"
)

func problemsText(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(string(p.Side) + "." + string(p.Field) + ": " + p.Error() + "\n")
	}
	return b.String()
}

func TestValidName(t *testing.T) {
	for _, ok := range []string{"a", "Main-to-Remote", "x_", "a.b-c_d", "9", strings.Repeat("a", 80)} {
		if !ValidName(ok) {
			t.Errorf("%q refused", ok)
		}
	}
	for _, bad := range []string{"", "-a", "_a", ".a", "a-", "a.", "a b", "a/b", strings.Repeat("a", 81), "ä"} {
		if ValidName(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestDefaultLinkName(t *testing.T) {
	a := VirtualNetworkID{Name: "main"}
	b := VirtualNetworkID{Name: "remote"}
	if got := DefaultLinkName(a, b); got != "main-to-remote" {
		t.Errorf("%q", got)
	}
	long := VirtualNetworkID{Name: strings.Repeat("x", 37) + "-." + strings.Repeat("y", 25)}
	got := DefaultLinkName(long, long)
	if len(got) > 80 || !ValidName(got) {
		t.Errorf("long names give %q (%d characters)", got, len(got))
	}
}

func TestValidateSpec(t *testing.T) {
	good := testSpec()
	if ps := good.Validate(); len(ps) != 0 {
		t.Fatalf("good spec: %s", problemsText(ps))
	}
	cases := []struct {
		name   string
		change func(s *Spec)
		want   []string // "side.field: text"
	}{
		{"same vnet", func(s *Spec) { s.B.VirtualNetwork = s.A.VirtualNetwork }, []string{"b.virtual_network_id: Same virtual network on both sides"}},
		{"same vnet other case", func(s *Spec) {
			s.B.VirtualNetwork = VirtualNetworkID{strings.ToUpper(hubID.SubscriptionID), "RG", "HUB"}
		}, []string{"b.virtual_network_id: Same virtual network"}},
		{"bad name", func(s *Spec) { s.A.Name = "-bad" }, []string{`a.name: Invalid link name: Link name "-bad" on side a`}},
		{"subnets on a only", func(s *Spec) { s.A.SubnetNames = []string{"s1"} }, []string{"b.subnet_names: Subnet names on one side only"}},
		{"subnets on b only", func(s *Spec) { s.B.SubnetNames = []string{"s1"} }, []string{"a.subnet_names: Subnet names on one side only"}},
		{"ipv6 without subnets", func(s *Spec) { s.OnlyIPv6 = true }, []string{".only_ipv6: only_ipv6 needs subnet peering"}},
		{"duplicate subnet", func(s *Spec) { s.A.SubnetNames = []string{"s1", "S1"}; s.B.SubnetNames = []string{"t"} }, []string{`a.subnet_names: Duplicate subnet name: Side a lists subnet "S1" twice`}},
		{"remote gateway not offered", func(s *Spec) { s.A.UseRemoteGateways = true }, []string{"a.use_remote_gateways: Remote gateway not offered", "Set b.allow_gateway_transit = true"}},
		{"both use remote gateways", func(s *Spec) {
			s.A.UseRemoteGateways, s.B.UseRemoteGateways = true, true
		}, []string{"a.use_remote_gateways: Remote gateway not offered", "b.use_remote_gateways: Remote gateway not offered"}},
		{"transit and remote on one side", func(s *Spec) {
			s.A.UseRemoteGateways, s.A.AllowGatewayTransit, s.B.AllowGatewayTransit = true, true, true
		}, []string{"a.use_remote_gateways: Gateway transit and remote gateways on one side"}},
	}
	for _, tc := range cases {
		s := testSpec()
		tc.change(&s)
		got := problemsText(s.Validate())
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: problems\n%s\nlack %q", tc.name, got, w)
			}
		}
	}
	ok := testSpec()
	ok.A.UseRemoteGateways, ok.B.AllowGatewayTransit = true, true
	ok.A.SubnetNames, ok.B.SubnetNames, ok.OnlyIPv6 = []string{"s1"}, []string{"t1"}, true
	if ps := ok.Validate(); len(ps) != 0 {
		t.Errorf("valid gateway + subnet spec: %s", problemsText(ps))
	}
}

func TestDesiredLink(t *testing.T) {
	s := testSpec()
	s.B.AllowForwardedTraffic = true
	l := s.DesiredLink(SideB)
	p := l.Properties
	if *l.Name != "spoke-to-hub" || *p.RemoteVirtualNetwork.ID != hubID.String() || !*p.AllowForwardedTraffic || !*p.AllowVirtualNetworkAccess {
		t.Errorf("whole: %+v", p)
	}
	if p.PeerCompleteVnets != nil || p.LocalSubnetNames != nil || p.EnableOnlyIPv6Peering != nil {
		t.Error("a whole-VNet link carries subnet-peering fields")
	}
	s.A.SubnetNames, s.B.SubnetNames, s.OnlyIPv6 = []string{"hub-s1", "hub-s2"}, []string{"spoke-s1"}, true
	p = s.DesiredLink(SideA).Properties
	if *p.PeerCompleteVnets || !*p.EnableOnlyIPv6Peering || len(p.LocalSubnetNames) != 2 || *p.RemoteSubnetNames[0] != "spoke-s1" {
		t.Errorf("subnet: %+v", p)
	}
	p = s.DesiredLink(SideB).Properties
	if *p.LocalSubnetNames[0] != "spoke-s1" || len(p.RemoteSubnetNames) != 2 {
		t.Errorf("subnet lists of side b are not mirrored: %+v", p)
	}
}

func TestFirstSide(t *testing.T) {
	s := testSpec()
	if s.FirstSide() != SideA {
		t.Error("default first side")
	}
	s.B.AllowGatewayTransit = true
	if s.FirstSide() != SideB {
		t.Error("the transit side goes first")
	}
	s.A.AllowGatewayTransit = true
	if s.FirstSide() != SideA {
		t.Error("with transit on both, a goes first")
	}
}
