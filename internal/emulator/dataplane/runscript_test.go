package dataplane_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/emulatortest"
)

// twoRegions is the peering lab without the peering: VNet a (10.1.0.0/16)
// in eastus and VNet b (192.168.0.0/16) in westeurope, one VM in each.
type twoRegions struct {
	*emulatortest.Lab
	ipA, ipB string
}

func newTwoRegions(t *testing.T) *twoRegions {
	t.Helper()
	l := emulatortest.New(t, emulator.Options{})
	l.Group("rg", "eastus")
	l.VNet("rg", "a", "eastus", []string{"10.1.0.0/16"}, "workload=10.1.1.0/24")
	l.VNet("rg", "b", "westeurope", []string{"192.168.0.0/16"}, "workload=192.168.1.0/24")
	lab := &twoRegions{Lab: l}
	lab.ipA = l.Machine("rg", "vma", "eastus", l.ID("rg", "Microsoft.Network/virtualNetworks", "a", "subnets", "workload"), emulatortest.NICOptions{})
	lab.ipB = l.Machine("rg", "vmb", "westeurope", l.ID("rg", "Microsoft.Network/virtualNetworks", "b", "subnets", "workload"), emulatortest.NICOptions{})
	return lab
}

// pings runs ping -c 4 from a VM and reports whether every packet came
// back, failing the test on output that is neither full success nor total
// loss.
func (l *twoRegions) pings(vm, ip string) bool {
	return pings(l.Lab, vm, ip)
}

func pings(l *emulatortest.Lab, vm, ip string) bool {
	l.T.Helper()
	out, errOut := l.RunShell("rg", vm, "ping -c 4 "+ip+" && echo REACHED || echo UNREACHABLE")
	switch {
	case strings.Contains(out, "4 packets transmitted, 4 received, 0% packet loss") && strings.HasSuffix(out, "REACHED\n"):
		return true
	case strings.Contains(out, "4 packets transmitted, 0 received, 100% packet loss") && strings.HasSuffix(out, "UNREACHABLE\n"):
		return false
	}
	l.T.Fatalf("ping %s from %s: unexpected output:\n%s\nstderr:\n%s", ip, vm, out, errOut)
	return false
}

func TestFirstNICInASubnetGetsDotFour(t *testing.T) {
	l := newTwoRegions(t)
	if l.ipA != "10.1.1.4" || l.ipB != "192.168.1.4" {
		t.Errorf("first NICs got %s and %s, want 10.1.1.4 and 192.168.1.4", l.ipA, l.ipB)
	}
}

func TestPingCrossesAPeeringBothWaysOnlyOnceItIsConnected(t *testing.T) {
	l := newTwoRegions(t)
	if l.pings("vma", l.ipB) {
		t.Fatal("vma reached vmb before any peering")
	}
	l.Link("rg", "a", "a-to-b", l.ID("rg", "Microsoft.Network/virtualNetworks", "b"), nil, nil)
	if l.pings("vma", l.ipB) {
		t.Fatal("vma reached vmb with the peering only Initiated")
	}
	l.Link("rg", "b", "b-to-a", l.ID("rg", "Microsoft.Network/virtualNetworks", "a"), nil, nil)
	if !l.pings("vma", l.ipB) {
		t.Error("vma does not reach vmb across a Connected peering")
	}
	if !l.pings("vmb", l.ipA) {
		t.Error("vmb does not reach vma across a Connected peering")
	}
}

func TestPeeringIsNotTransitive(t *testing.T) {
	l := emulatortest.New(t, emulator.Options{})
	l.Group("rg", "westeurope")
	ips := map[string]string{}
	for i, name := range []string{"a", "b", "c"} {
		prefix := fmt.Sprintf("10.%d", i+1)
		l.VNet("rg", name, "westeurope", []string{prefix + ".0.0/16"}, emulatortest.Subnet("s="+prefix+".1.0/24"))
		ips[name] = l.Machine("rg", "vm"+name, "westeurope", l.ID("rg", "Microsoft.Network/virtualNetworks", name, "subnets", "s"), emulatortest.NICOptions{})
	}
	l.Peer("rg", "a", "b")
	l.Peer("rg", "b", "c")
	if !pings(l, "vma", ips["b"]) || !pings(l, "vmc", ips["b"]) {
		t.Fatal("the hub b is not reachable from a and c")
	}
	if pings(l, "vma", ips["c"]) {
		t.Error("vma reached vmc through b: peering is not transitive")
	}
	if pings(l, "vmc", ips["a"]) {
		t.Error("vmc reached vma through b: peering is not transitive")
	}
}

func TestDenyRuleBlocksPingUntilRemoved(t *testing.T) {
	l := newTwoRegions(t)
	l.Peer("rg", "a", "b")
	deny := emulatortest.Rule("deny-icmp-in", 100, armnetwork.SecurityRuleDirectionInbound, armnetwork.SecurityRuleAccessDeny, armnetwork.SecurityRuleProtocolIcmp)
	nsg := l.NSG("rg", "nsg-b", "westeurope", deny)
	// Associate the NSG with b's subnet.
	subnets := l.Net.NewSubnetsClient()
	s, err := subnets.Get(t.Context(), "rg", "b", "workload", nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Properties.NetworkSecurityGroup = &armnetwork.SecurityGroup{ID: to.Ptr(nsg)}
	p, err := subnets.BeginCreateOrUpdate(t.Context(), "rg", "b", "workload", s.Subnet, nil)
	if err == nil {
		_, err = p.PollUntilDone(t.Context(), emulatortest.Poll)
	}
	if err != nil {
		t.Fatalf("associating the NSG: %v", err)
	}
	if l.pings("vma", l.ipB) {
		t.Fatal("ping passed an inbound Deny Icmp rule")
	}
	if !l.pings("vmb", l.ipA) {
		t.Error("the inbound rule on b also stopped b's own pings to a (replies are not filtered)")
	}
	// SSH still passes the default rules between peered VNets.
	if out, errOut := l.RunShell("rg", "vma", "nc -zv -w 3 "+l.ipB+" 22"); errOut != "Connection to "+l.ipB+" 22 port [tcp/ssh] succeeded!\n" {
		t.Errorf("nc to port 22 behind an ICMP-only deny: %q %q", out, errOut)
	}
	l.DeleteRule("rg", "nsg-b", "deny-icmp-in")
	if !l.pings("vma", l.ipB) {
		t.Error("ping still fails after the deny rule was removed")
	}
}

func TestSubnetPeeringConnectsOnlyThePeeredSubnets(t *testing.T) {
	l := emulatortest.New(t, emulator.Options{})
	l.Group("rg", "eastus")
	// Overlapping spaces (10.0.2.0/24 in both) are fine for subnet peering
	// while the peered subnets lie outside the other VNet.
	l.VNet("rg", "a", "eastus", []string{"10.1.0.0/24", "10.0.2.0/24"}, "a1=10.1.0.0/24", "a2=10.0.2.0/24")
	l.VNet("rg", "b", "eastus", []string{"10.2.0.0/24", "10.0.2.0/24"}, "b1=10.2.0.0/24", "b2=10.0.2.0/24")
	sub := func(vnet, s string) string {
		return l.ID("rg", "Microsoft.Network/virtualNetworks", vnet, "subnets", s)
	}
	a1 := l.Machine("rg", "vma1", "eastus", sub("a", "a1"), emulatortest.NICOptions{})
	l.Machine("rg", "vma2", "eastus", sub("a", "a2"), emulatortest.NICOptions{})
	b1 := l.Machine("rg", "vmb1", "eastus", sub("b", "b1"), emulatortest.NICOptions{})
	l.Link("rg", "a", "a-to-b", l.ID("rg", "Microsoft.Network/virtualNetworks", "b"), []string{"a1"}, []string{"b1"})
	l.Link("rg", "b", "b-to-a", l.ID("rg", "Microsoft.Network/virtualNetworks", "a"), []string{"b1"}, []string{"a1"})
	if !pings(l, "vma1", b1) || !pings(l, "vmb1", a1) {
		t.Error("the peered subnets a1 and b1 do not reach each other")
	}
	if pings(l, "vma2", b1) {
		t.Error("a2, outside the subnet peering, reaches b1")
	}
	routes := l.EffectiveRoutes("rg", "vma2-nic")
	for _, r := range routes {
		if deref(r.NextHopType) == "VNetPeering" {
			t.Errorf("a2's NIC has a peering route %v", deref(r.AddressPrefix[0]))
		}
	}
}

func TestStoppedVMDoesNotAnswer(t *testing.T) {
	l := newTwoRegions(t)
	l.Peer("rg", "a", "b")
	p, err := l.Compute.NewVirtualMachinesClient().BeginPowerOff(t.Context(), "rg", "vmb", nil)
	if err == nil {
		_, err = p.PollUntilDone(t.Context(), emulatortest.Poll)
	}
	if err != nil {
		t.Fatal(err)
	}
	if l.pings("vma", l.ipB) {
		t.Error("a stopped VM answered ping")
	}
}

func TestResizedVNetIsReachedOnlyAfterSync(t *testing.T) {
	l := newTwoRegions(t)
	l.Peer("rg", "a", "b")
	// b grows a prefix; a VM there is not reachable from a until a's link
	// syncs b's new space.
	l.VNet("rg", "b", "westeurope", []string{"192.168.0.0/16", "172.20.0.0/16"}, "workload=192.168.1.0/24", "more=172.20.1.0/24")
	ipX := l.Machine("rg", "vmx", "westeurope", l.ID("rg", "Microsoft.Network/virtualNetworks", "b", "subnets", "more"), emulatortest.NICOptions{})
	if l.pings("vma", ipX) {
		t.Fatal("vma reached b's new prefix before the peering was synced")
	}
	body := armnetwork.VirtualNetworkPeering{Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{
		RemoteVirtualNetwork: &armnetwork.SubResource{ID: to.Ptr(l.ID("rg", "Microsoft.Network/virtualNetworks", "b"))}, AllowVirtualNetworkAccess: to.Ptr(true)}}
	p, err := l.Net.NewVirtualNetworkPeeringsClient().BeginCreateOrUpdate(t.Context(), "rg", "a", "a-to-b", body,
		&armnetwork.VirtualNetworkPeeringsClientBeginCreateOrUpdateOptions{SyncRemoteAddressSpace: to.Ptr(armnetwork.SyncRemoteAddressSpaceTrue)})
	if err == nil {
		_, err = p.PollUntilDone(t.Context(), emulatortest.Poll)
	}
	if err != nil {
		t.Fatalf("syncing a-to-b: %v", err)
	}
	if !l.pings("vma", ipX) {
		t.Error("vma does not reach b's new prefix after the sync")
	}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
