package dataplane_test

import (
	"strings"
	"testing"

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
