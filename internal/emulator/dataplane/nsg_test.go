package dataplane

import (
	"net/netip"
	"strings"
	"testing"
)

var vnetTags = Tags{VirtualNetwork: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16"), AzurePlatform, netip.MustParsePrefix("192.168.0.0/16")}}

func flow(proto, src, dst string, port int) Flow {
	return Flow{Protocol: proto, Src: netip.MustParseAddr(src), Dst: netip.MustParseAddr(dst), SrcPort: 50123, DstPort: port}
}

func TestDefaultRulesAllowTheVirtualNetworkAndDenyTheRest(t *testing.T) {
	g := &NSG{ID: "nsg", Rules: azureDefaults()}
	cases := []struct {
		inbound bool
		f       Flow
		allow   bool
		by      string
	}{
		{true, flow("Icmp", "192.168.1.4", "10.1.1.4", 0), true, "AllowVnetInBound"},
		{true, flow("Tcp", "168.63.129.16", "10.1.1.4", 80), true, "AllowVnetInBound"}, // the platform address is in VirtualNetwork too
		{true, flow("Tcp", "20.1.2.3", "10.1.1.4", 22), false, "DenyAllInBound"},
		{true, flow("Icmp", "172.16.0.4", "10.1.1.4", 0), false, "DenyAllInBound"},
		{false, flow("Tcp", "10.1.1.4", "192.168.1.4", 443), true, "AllowVnetOutBound"},
		{false, flow("Tcp", "10.1.1.4", "20.1.2.3", 443), true, "AllowInternetOutBound"},
		{false, flow("Udp", "10.1.1.4", "172.16.0.4", 53), false, "DenyAllOutBound"},
	}
	for _, c := range cases {
		allow, r := Evaluate(g, c.inbound, c.f, vnetTags)
		if allow != c.allow || r == nil || r.Name != c.by {
			t.Errorf("%+v inbound=%v: allow=%v by %v, want allow=%v by %s", c.f, c.inbound, allow, r, c.allow, c.by)
		}
	}
}

func TestLowestPriorityNumberDecidesFirstMatchStops(t *testing.T) {
	deny := rule("deny-icmp", 200, true, false, "Icmp")
	allow := rule("allow-all", 100, true, true, "*")
	g := &NSG{Rules: append([]*Rule{deny, allow}, azureDefaults()...)}
	if ok, r := Evaluate(g, true, flow("Icmp", "192.168.1.4", "10.1.1.4", 0), vnetTags); !ok || r != allow {
		t.Errorf("priority 100 allow vs 200 deny: allow=%v by %v, want the 100 rule to allow", ok, r.Name)
	}
	allow.Priority = 300
	if ok, r := Evaluate(g, true, flow("Icmp", "192.168.1.4", "10.1.1.4", 0), vnetTags); ok || r != deny {
		t.Errorf("priority 200 deny vs 300 allow: allow=%v by %v, want the 200 rule to deny", ok, r.Name)
	}
	if ok, _ := Evaluate(nil, true, flow("Tcp", "20.1.2.3", "10.1.1.4", 22), vnetTags); !ok {
		t.Error("no NSG denies traffic; Azure allows everything without one")
	}
}

func TestRulesMatchProtocolsPortsAndAddresses(t *testing.T) {
	ssh := &Rule{Name: "ssh", Priority: 100, Inbound: true, Allow: true, Protocol: "Tcp", Src: []string{"Internet"}, Dst: []string{"10.1.1.0/24"}, SrcPorts: []string{"*"}, DstPorts: []string{"22", "8000-8080"}}
	cases := []struct {
		f    Flow
		want bool
	}{
		{flow("Tcp", "20.1.2.3", "10.1.1.4", 22), true},
		{flow("Tcp", "20.1.2.3", "10.1.1.4", 8080), true},
		{flow("Tcp", "20.1.2.3", "10.1.1.4", 8081), false},
		{flow("Udp", "20.1.2.3", "10.1.1.4", 22), false},
		{flow("Tcp", "10.9.9.9", "10.1.1.4", 22), false}, // private: not Internet
		{flow("Tcp", "20.1.2.3", "10.1.2.4", 22), false},
		{flow("Icmp", "20.1.2.3", "10.1.1.4", 0), false},
	}
	for _, c := range cases {
		if got := ssh.Matches(c.f, vnetTags); got != c.want {
			t.Errorf("rule ssh matches %+v = %v, want %v", c.f, got, c.want)
		}
	}
	// ICMP has no ports: only all-port rules apply to it.
	anyPort := rule("any", 100, true, true, "*")
	if !anyPort.Matches(flow("Icmp", "20.1.2.3", "10.1.1.4", 0), vnetTags) {
		t.Error("a * rule for all ports does not match ICMP")
	}
	addr := &Rule{Protocol: "*", Src: []string{"192.168.1.4"}, Dst: []string{"*"}, SrcPorts: []string{"*"}, DstPorts: []string{"*"}}
	if !addr.Matches(flow("Tcp", "192.168.1.4", "10.1.1.4", 22), vnetTags) || addr.Matches(flow("Tcp", "192.168.1.5", "10.1.1.4", 22), vnetTags) {
		t.Error("a single-address source matches the wrong addresses")
	}
}

func TestApplicationSecurityGroupsMatchTheirMembers(t *testing.T) {
	r := &Rule{Protocol: "*", SrcASGs: []string{"/asg/web"}, Dst: []string{"*"}, SrcPorts: []string{"*"}, DstPorts: []string{"*"}}
	f := flow("Tcp", "10.1.1.4", "10.1.1.5", 22)
	if r.Matches(f, vnetTags) {
		t.Error("an ASG rule matches a NIC outside the group")
	}
	f.SrcASGs = []string{"/ASG/WEB"}
	if !r.Matches(f, vnetTags) {
		t.Error("an ASG rule does not match a member (IDs compare case-insensitively)")
	}
}

func TestInternetExpandsToPublicSpace(t *testing.T) {
	blocks := Complement(notInternet)
	var s []string
	for _, p := range blocks[:4] {
		s = append(s, p.String())
	}
	if got := strings.Join(s, " "); got != "1.0.0.0/8 2.0.0.0/7 4.0.0.0/6 8.0.0.0/7" {
		t.Errorf("first Internet blocks = %s", got)
	}
	total := 0.0
	for _, p := range blocks {
		total += float64(uint64(1) << (32 - p.Bits()))
		for _, x := range notInternet {
			if p.Overlaps(x) {
				t.Errorf("Internet block %s overlaps excluded %s", p, x)
			}
		}
	}
	excluded := 0.0
	for _, x := range notInternet {
		excluded += float64(uint64(1) << (32 - x.Bits()))
	}
	if total+excluded != 1<<32 {
		t.Errorf("Internet blocks and excluded ranges cover %v addresses, want 2^32", total+excluded)
	}
}
