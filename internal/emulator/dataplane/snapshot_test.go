package dataplane_test

import (
	"testing"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/dataplane"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/emulatortest"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

func TestSnapshotReadsWhatTheAPIStored(t *testing.T) {
	l := newTwoRegions(t)
	l.Link("rg", "a", "a-to-b", l.ID("rg", "Microsoft.Network/virtualNetworks", "b"), nil, nil)
	pip := l.PublicIP("rg", "pip", "eastus")
	l.NIC("rg", "spare", "eastus", l.ID("rg", "Microsoft.Network/virtualNetworks", "a", "subnets", "workload"), emulatortest.NICOptions{PublicIP: pip})
	var w *dataplane.World
	_ = l.Emu.Store().Read(func(tx *store.Tx) error { w = dataplane.Snapshot(tx); return nil })

	a := w.VNet(l.ID("rg", "Microsoft.Network/virtualNetworks", "a"))
	if a == nil || a.Location != "eastus" || len(a.Space) != 1 || a.Space[0].String() != "10.1.0.0/16" || len(a.Subnets) != 1 || len(a.Links) != 1 {
		t.Fatalf("VNet a = %+v", a)
	}
	if l0 := a.Links[0]; l0.Connected || !l0.AllowAccess || !l0.Whole || len(l0.RemoteSpace) != 1 || l0.RemoteSpace[0].String() != "192.168.0.0/16" {
		t.Errorf("a's link (Initiated) = %+v", l0)
	}
	vm := w.VM(l.ID("rg", "Microsoft.Compute/virtualMachines", "vma"))
	if vm == nil || !vm.Running() || vm.ComputerName != "vma" || len(vm.NICs) != 1 {
		t.Fatalf("vma = %+v", vm)
	}
	n := w.PrimaryNIC(vm)
	if n == nil || n.IP.String() != "10.1.1.4" || n.VM != vm.ID || n.MAC == "" || n.PublicIP.IsValid() {
		t.Errorf("vma's NIC = %+v", n)
	}
	spare := w.NIC(l.ID("rg", "Microsoft.Network/networkInterfaces", "spare"))
	if spare == nil || spare.VM != "" || !spare.PublicIP.IsValid() || spare.IP.String() != "10.1.1.5" {
		t.Errorf("the spare NIC = %+v, want 10.1.1.5 with a public IP and no VM", spare)
	}
}
