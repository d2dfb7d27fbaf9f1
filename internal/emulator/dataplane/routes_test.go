package dataplane

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
)

// table prints routes as "prefix hop" lines for comparison.
func table(rs []Route) string {
	var out []string
	for _, r := range rs {
		out = append(out, fmt.Sprintf("%s %s", r.Prefix, r.NextHop))
	}
	return strings.Join(out, "\n")
}

func TestRoutesOfAPeeredVNet(t *testing.T) {
	b := newBuilder()
	a := b.vnet("a", "eastus", "10.1.0.0/16")
	bb := b.vnet("b", "westeurope", "192.168.0.0/16", "172.20.0.0/16")
	b.peer(a, bb)
	_, n := b.machine("vma", a, b.subnet(a, "s", "10.1.1.0/24"), "10.1.1.4")
	// 192.168.0.0/16 replaces Azure's None route for it; 10.0.0.0/8 stays,
	// as the VNet's /16 inside it is more specific.
	want := strings.Join([]string{
		"10.1.0.0/16 VnetLocal",
		"192.168.0.0/16 VNetPeering",
		"172.20.0.0/16 VNetPeering",
		"0.0.0.0/0 Internet",
		"10.0.0.0/8 None",
		"100.64.0.0/10 None",
		"172.16.0.0/12 None",
	}, "\n")
	if got := table(b.w.Routes(n)); got != want {
		t.Errorf("routes:\n%s\nwant:\n%s", got, want)
	}
}

func TestRoutesLeaveOutLinksThatAreNotConnected(t *testing.T) {
	b := newBuilder()
	a, c := b.vnet("a", "eastus", "10.1.0.0/16"), b.vnet("c", "eastus", "10.3.0.0/16")
	l := b.link(a, c)
	l.Connected = false // Initiated or Disconnected
	_, n := b.machine("vma", a, b.subnet(a, "s", "10.1.1.0/24"), "10.1.1.4")
	if got := table(b.w.Routes(n)); strings.Contains(got, "VNetPeering") {
		t.Errorf("a link that is not Connected gives routes:\n%s", got)
	}
}

func TestRoutesUseTheSpaceALinkLastSynced(t *testing.T) {
	b := newBuilder()
	a, c := b.vnet("a", "eastus", "10.1.0.0/16"), b.vnet("c", "eastus", "10.3.0.0/16")
	b.peer(a, c)
	c.Space = append(c.Space, netip.MustParsePrefix("10.4.0.0/16")) // resized, not synced
	_, n := b.machine("vma", a, b.subnet(a, "s", "10.1.1.0/24"), "10.1.1.4")
	if got := table(b.w.Routes(n)); strings.Contains(got, "10.4.0.0/16") {
		t.Errorf("routes include the remote's new prefix before a sync:\n%s", got)
	}
}

func TestSubnetPeeringRoutesOnlyThePeeredSubnets(t *testing.T) {
	b := newBuilder()
	a, c := b.vnet("a", "eastus", "10.1.0.0/16"), b.vnet("c", "eastus", "10.3.0.0/16")
	a1, a2 := b.subnet(a, "a1", "10.1.1.0/24"), b.subnet(a, "a2", "10.1.2.0/24")
	l := b.link(a, c)
	l.Whole, l.LocalSubnets = false, []string{"a1"}
	l.RemoteSpace = []netip.Prefix{netip.MustParsePrefix("10.3.1.0/24")}
	_, n1 := b.machine("vm1", a, a1, "10.1.1.4")
	_, n2 := b.machine("vm2", a, a2, "10.1.2.4")
	if got := table(b.w.Routes(n1)); !strings.Contains(got, "10.3.1.0/24 VNetPeering") || strings.Contains(got, "10.3.0.0/16") {
		t.Errorf("a peered subnet's routes:\n%s\nwant 10.3.1.0/24 VNetPeering only", got)
	}
	if got := table(b.w.Routes(n2)); strings.Contains(got, "VNetPeering") {
		t.Errorf("a subnet outside the subnet peering has peering routes:\n%s", got)
	}
}

func TestNoneRoutesGiveWayToAVNetThatCoversThem(t *testing.T) {
	b := newBuilder()
	a := b.vnet("a", "eastus", "10.0.0.0/8")
	_, n := b.machine("vma", a, b.subnet(a, "s", "10.1.1.0/24"), "10.1.1.4")
	if got := table(b.w.Routes(n)); strings.Contains(got, "10.0.0.0/8 None") || !strings.Contains(got, "10.0.0.0/8 VnetLocal") {
		t.Errorf("routes of a 10.0.0.0/8 VNet:\n%s\nwant VnetLocal in place of None", got)
	}
}

func TestLookupTakesTheLongestPrefix(t *testing.T) {
	b := newBuilder()
	a, c := b.vnet("a", "eastus", "10.1.0.0/16"), b.vnet("c", "eastus", "10.3.0.0/16")
	b.peer(a, c)
	_, n := b.machine("vma", a, b.subnet(a, "s", "10.1.1.0/24"), "10.1.1.4")
	rs := b.w.Routes(n)
	for addr, want := range map[string]string{
		"10.1.1.9": HopVnetLocal, "10.3.0.4": HopVNetPeering, "10.9.0.4": HopNone, "172.17.0.1": HopNone,
		"192.168.0.1": HopNone, "100.64.0.1": HopNone, "20.1.2.3": HopInternet, "168.63.129.16": HopInternet,
	} {
		r, ok := Lookup(rs, netip.MustParseAddr(addr))
		if !ok || r.NextHop != want {
			t.Errorf("Lookup(%s) = %s via %s, want %s", addr, r.NextHop, r.Prefix, want)
		}
	}
}
