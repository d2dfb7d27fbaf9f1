package dataplane

import (
	"net/netip"
	"strings"
	"testing"
)

// chain is A–B–C: a peered with b, b peered with c, one VM in each.
type chain struct {
	b          *builder
	a, bb, c   *VNet
	vma, vmc   *VM
	na, nb, nc *NIC
}

func newChain() *chain {
	b := newBuilder()
	ch := &chain{b: b}
	ch.a = b.vnet("a", "eastus", "10.1.0.0/16")
	ch.bb = b.vnet("b", "westeurope", "10.2.0.0/16")
	ch.c = b.vnet("c", "westeurope", "10.3.0.0/16")
	b.peer(ch.a, ch.bb)
	b.peer(ch.bb, ch.c)
	ch.vma, ch.na = b.machine("vma", ch.a, b.subnet(ch.a, "s", "10.1.1.0/24"), "10.1.1.4")
	_, ch.nb = b.machine("vmb", ch.bb, b.subnet(ch.bb, "s", "10.2.1.0/24"), "10.2.1.4")
	ch.vmc, ch.nc = b.machine("vmc", ch.c, b.subnet(ch.c, "s", "10.3.1.0/24"), "10.3.1.4")
	return ch
}

func (ch *chain) ping(from *VM, to *NIC) Outcome {
	return ch.b.w.Reach(Probe{From: from.ID, To: to.IP, Protocol: "Icmp"})
}

func TestReachAcrossOnePeeringNotTwo(t *testing.T) {
	ch := newChain()
	if o := ch.ping(ch.vma, ch.nb); !o.Delivered || o.RTTms != RTT("eastus", "westeurope") {
		t.Errorf("a→b: %+v, want delivered with the eastus–westeurope round trip", o)
	}
	if o := ch.ping(ch.vmc, ch.nb); !o.Delivered || o.RTTms != sameRegionRTT {
		t.Errorf("c→b: %+v, want delivered in about a millisecond", o)
	}
	// Peering is not transitive: a has no route to c (10.0.0.0/8 None).
	if o := ch.ping(ch.vma, ch.nc); o.Delivered || !strings.Contains(o.Reason, "None") {
		t.Errorf("a→c across two peerings: %+v, want dropped by the None route", o)
	}
	// Even a route a→c would not help while b forwards nothing.
	if o := ch.ping(ch.vmc, ch.na); o.Delivered {
		t.Errorf("c→a across two peerings delivered: %+v", o)
	}
}

func TestReachNeedsBothLinksConnected(t *testing.T) {
	ch := newChain()
	ch.bb.Links[0].Connected = false // b-to-a Disconnected
	if o := ch.ping(ch.vma, ch.nb); o.Delivered || !strings.Contains(o.Reason, "no Connected peering back") {
		t.Errorf("with b's link Disconnected: %+v", o)
	}
}

// Blocking access to the remote VNet only narrows the VirtualNetwork tag:
// the default rules then deny, an explicit rule can still allow, and
// without any NSG nothing filters (Microsoft's peering documentation:
// "only changes the definition of the VirtualNetwork service tag").
func TestAllowVirtualNetworkAccessOnlyChangesTheVirtualNetworkTag(t *testing.T) {
	ch := newChain()
	ch.bb.Links[0].AllowAccess = false // b-to-a
	if o := ch.ping(ch.vma, ch.nb); !o.Delivered {
		t.Errorf("without NSGs, blocked access still lets traffic through: %+v", o)
	}
	g := ch.b.nsg("defaults-b")
	ch.nb.NSG = g.ID
	if o := ch.ping(ch.vma, ch.nb); o.Delivered || !strings.Contains(o.Reason, "DenyAllInBound") {
		t.Errorf("default rules with a's space out of b's VirtualNetwork tag: %+v, want DenyAllInBound", o)
	}
	allowA := rule("allow-a", 100, true, true, "*")
	allowA.Src = []string{"10.1.0.0/16"}
	g.Rules = append([]*Rule{allowA}, g.Rules...)
	if o := ch.ping(ch.vma, ch.nb); !o.Delivered {
		t.Errorf("an explicit rule for a's prefix: %+v, want delivered", o)
	}
	if tags := ch.b.w.TagsFor(ch.bb.ID); inAny(tags.VirtualNetwork, ch.na.IP) {
		t.Errorf("b's VirtualNetwork tag %v still holds a's space", tags.VirtualNetwork)
	}
}

func TestReachNeedsARunningDestinationAndARouteBack(t *testing.T) {
	ch := newChain()
	ch.b.w.VM(ch.nb.VM).Power = "deallocated"
	if o := ch.ping(ch.vma, ch.nb); o.Delivered || !strings.Contains(o.Reason, "not running") {
		t.Errorf("to a deallocated VM: %+v", o)
	}
	ch.b.w.VM(ch.nb.VM).Power = "running"
	// a grew a new prefix and synced its link to b; b's link to a has not.
	ch.a.Space = append(ch.a.Space, netip.MustParsePrefix("10.11.0.0/16"))
	vmx, _ := ch.b.machine("vmx", ch.a, ch.b.subnet(ch.a, "x", "10.11.1.0/24"), "10.11.1.4")
	if o := ch.ping(vmx, ch.nb); o.Delivered || !strings.Contains(o.Reason, "no route back") {
		t.Errorf("from a prefix b has not synced: %+v, want no route back", o)
	}
	ch.bb.Links[0].RemoteSpace = append(ch.bb.Links[0].RemoteSpace, netip.MustParsePrefix("10.11.0.0/16"))
	if o := ch.ping(vmx, ch.nb); !o.Delivered {
		t.Errorf("after b's link synced: %+v", o)
	}
}

func TestReachAppliesNSGsInAzuresOrder(t *testing.T) {
	ch := newChain()
	w := ch.b.w
	// Inbound: the subnet's NSG first. An allow on the NIC does not undo a
	// deny on the subnet.
	subnetDeny := ch.b.nsg("subnet-deny", rule("deny-icmp", 100, true, false, "Icmp"))
	nicAllow := ch.b.nsg("nic-allow", rule("allow-icmp", 100, true, true, "Icmp"))
	w.Subnet(ch.nb.Subnet).NSG, ch.nb.NSG = subnetDeny.ID, nicAllow.ID
	if o := ch.ping(ch.vma, ch.nb); o.Delivered || !strings.Contains(o.Reason, "subnet-deny") {
		t.Errorf("subnet deny, NIC allow: %+v, want denied by the subnet's NSG", o)
	}
	// Outbound: the NIC's NSG first.
	w.Subnet(ch.nb.Subnet).NSG, ch.nb.NSG = "", ""
	ch.na.NSG = ch.b.nsg("out-deny", rule("deny-out", 100, false, false, "*")).ID
	if o := ch.ping(ch.vma, ch.nb); o.Delivered || !strings.Contains(o.Reason, "out-deny") || !strings.Contains(o.Reason, "outbound") {
		t.Errorf("NIC outbound deny at the source: %+v", o)
	}
	ch.na.NSG = ""
	// Default rules allow the peered VNet (VirtualNetwork tag) but not a
	// VNet the source is not peered with.
	ch.nb.NSG = ch.b.nsg("defaults").ID
	if o := ch.ping(ch.vma, ch.nb); !o.Delivered {
		t.Errorf("default rules between peered VNets: %+v", o)
	}
}

func TestReachTCPListensOnSSHOnly(t *testing.T) {
	ch := newChain()
	for port, listening := range map[int]bool{22: true, 80: false} {
		o := ch.b.w.Reach(Probe{From: ch.vma.ID, To: ch.nb.IP, Protocol: "Tcp", Port: port})
		if !o.Delivered || o.Listening != listening {
			t.Errorf("TCP %d: %+v, want delivered, listening %v", port, o, listening)
		}
	}
}

func TestReachPublicIPsThroughTheInternet(t *testing.T) {
	ch := newChain()
	ch.nc.PublicIP = netip.MustParseAddr("20.50.1.2")
	ch.nc.NSG = ch.b.nsg("ssh-only", &Rule{Name: "ssh", Priority: 100, Inbound: true, Allow: true, Protocol: "Tcp",
		Src: []string{"Internet"}, Dst: []string{"*"}, SrcPorts: []string{"*"}, DstPorts: []string{"22"}}).ID
	if o := ch.b.w.Reach(Probe{From: ch.vma.ID, To: ch.nc.PublicIP, Protocol: "Tcp", Port: 22}); !o.Delivered || !o.Listening {
		t.Errorf("SSH to c's public IP from a: %+v", o)
	}
	if o := ch.ping(ch.vma, &NIC{IP: ch.nc.PublicIP}); o.Delivered {
		t.Errorf("ICMP to c's public IP passed an NSG that allows SSH only: %+v", o)
	}
	if o := ch.b.w.Reach(Probe{From: ch.vma.ID, To: netip.MustParseAddr("93.184.216.34"), Protocol: "Icmp"}); o.Delivered {
		t.Errorf("an address outside the emulator answered: %+v", o)
	}
}
