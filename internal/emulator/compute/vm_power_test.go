package compute_test

import (
	"context"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/emulatortest"
)

// done waits for a long-running operation the SDK started.
func done[T any](p *runtime.Poller[T], err error) error {
	if err != nil {
		return err
	}
	_, err = p.PollUntilDone(context.Background(), emulatortest.Poll)
	return err
}

func TestPowerActionsMoveThePowerState(t *testing.T) {
	l, nicID := oneNIC(t)
	l.VM("rg", "vm1", "westeurope", nicID)
	c := l.Compute.NewVirtualMachinesClient()
	steps := []struct {
		action string
		run    func() error
		want   string
	}{
		{"powerOff", func() error { return done(c.BeginPowerOff(t.Context(), "rg", "vm1", nil)) }, "PowerState/stopped"},
		{"start", func() error { return done(c.BeginStart(t.Context(), "rg", "vm1", nil)) }, "PowerState/running"},
		{"restart", func() error { return done(c.BeginRestart(t.Context(), "rg", "vm1", nil)) }, "PowerState/running"},
		{"deallocate", func() error { return done(c.BeginDeallocate(t.Context(), "rg", "vm1", nil)) }, "PowerState/deallocated"},
	}
	for _, s := range steps {
		if err := s.run(); err != nil {
			t.Fatalf("%s: %v", s.action, err)
		}
		iv, err := c.InstanceView(t.Context(), "rg", "vm1", nil)
		if err != nil {
			t.Fatal(err)
		}
		if codes := strings.Join(statusCodes(iv.Statuses), ","); codes != "ProvisioningState/succeeded,"+s.want {
			t.Errorf("after %s the instance view says %s, want ProvisioningState/succeeded,%s", s.action, codes, s.want)
		}
	}
	// A deallocated VM cannot restart.
	_, err := c.BeginRestart(t.Context(), "rg", "vm1", nil)
	wantErr(t, "restart when deallocated", err, 409, "OperationNotAllowed")
}

func TestInstanceViewOfARunningVMShowsAgentAndDisk(t *testing.T) {
	l, nicID := oneNIC(t)
	vm := l.VM("rg", "vm1", "westeurope", nicID)
	iv, err := l.Compute.NewVirtualMachinesClient().InstanceView(t.Context(), "rg", "vm1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if deref(iv.ComputerName) != "vm1" || deref(iv.OSName) != "ubuntu" || deref(iv.OSVersion) != "22.04" || iv.VMAgent == nil {
		t.Errorf("instance view computerName %q, os %q %q, agent %v; want vm1, ubuntu 22.04 and an agent", deref(iv.ComputerName), deref(iv.OSName), deref(iv.OSVersion), iv.VMAgent)
	}
	if len(iv.Disks) != 1 || deref(iv.Disks[0].Name) != deref(vm.Properties.StorageProfile.OSDisk.Name) {
		t.Errorf("instance view disks = %v, want the OS disk", iv.Disks)
	}
	if deref(iv.HyperVGeneration) != "V2" {
		t.Errorf("hyperVGeneration of a gen2 image = %q, want V2", deref(iv.HyperVGeneration))
	}
}
