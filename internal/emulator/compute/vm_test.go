package compute_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/emulatortest"
)

// oneNIC builds a group, a VNet with one subnet and a NIC in it.
func oneNIC(t *testing.T) (*emulatortest.Lab, string) {
	l := emulatortest.New(t, emulator.Options{})
	l.Group("rg", "westeurope")
	l.VNet("rg", "vnet", "westeurope", []string{"10.1.0.0/16"}, "default=10.1.1.0/24")
	nic := l.NIC("rg", "vm1-nic", "westeurope", l.ID("rg", "Microsoft.Network/virtualNetworks", "vnet", "subnets", "default"), emulatortest.NICOptions{})
	return l, *nic.ID
}

func TestVirtualMachineCreateReadsAsAzurermNeeds(t *testing.T) {
	l, nicID := oneNIC(t)
	vm := l.VM("rg", "vm1", "westeurope", nicID)
	p := vm.Properties
	if deref(p.ProvisioningState) != "Succeeded" || deref(p.VMID) == "" || p.TimeCreated == nil {
		t.Errorf("created VM: provisioningState %q, vmId %q, timeCreated %v; want Succeeded and both set", deref(p.ProvisioningState), deref(p.VMID), p.TimeCreated)
	}
	if p.OSProfile.LinuxConfiguration == nil || !deref(p.OSProfile.LinuxConfiguration.ProvisionVMAgent) || p.OSProfile.AdminPassword != nil {
		t.Errorf("osProfile = %+v: want linuxConfiguration with provisionVMAgent true, and no adminPassword", p.OSProfile)
	}
	disk := p.StorageProfile.OSDisk
	wantDisk := l.ID("rg", "Microsoft.Compute/disks", deref(disk.Name))
	if !strings.HasPrefix(deref(disk.Name), "vm1_OsDisk_1_") || deref(disk.ManagedDisk.ID) != wantDisk {
		t.Errorf("osDisk name %q, managedDisk.id %q; want vm1_OsDisk_1_… and %s", deref(disk.Name), deref(disk.ManagedDisk.ID), wantDisk)
	}
	if p.InstanceView != nil || p.UserData != nil {
		t.Errorf("a plain read shows instanceView %v and userData %v; want neither", p.InstanceView, p.UserData)
	}

	// $expand=instanceView: running, provisioned.
	got, err := l.Compute.NewVirtualMachinesClient().Get(t.Context(), "rg", "vm1", &armcompute.VirtualMachinesClientGetOptions{Expand: to.Ptr(armcompute.InstanceViewTypesInstanceView)})
	if err != nil {
		t.Fatal(err)
	}
	codes := statusCodes(got.Properties.InstanceView.Statuses)
	if strings.Join(codes, ",") != "ProvisioningState/succeeded,PowerState/running" {
		t.Errorf("instanceView statuses = %v, want ProvisioningState/succeeded, PowerState/running", codes)
	}

	// The OS disk is a disk resource, attached to the VM.
	d, err := l.Compute.NewDisksClient().Get(t.Context(), "rg", deref(disk.Name), nil)
	if err != nil {
		t.Fatalf("reading the OS disk: %v", err)
	}
	if deref(d.ManagedBy) != *vm.ID || deref(d.Properties.DiskState) != armcompute.DiskStateAttached || deref(d.SKU.Name) != armcompute.DiskStorageAccountTypesStandardLRS {
		t.Errorf("OS disk managedBy %q, state %q, sku %q; want %s, Attached, Standard_LRS", deref(d.ManagedBy), deref(d.Properties.DiskState), deref(d.SKU.Name), *vm.ID)
	}

	// The NIC shows its VM and a MAC address.
	nic, err := l.Net.NewInterfacesClient().Get(t.Context(), "rg", "vm1-nic", nil)
	if err != nil {
		t.Fatal(err)
	}
	if nic.Properties.VirtualMachine == nil || deref(nic.Properties.VirtualMachine.ID) != *vm.ID || deref(nic.Properties.MacAddress) == "" {
		t.Errorf("NIC virtualMachine %v, MAC %q; want %s and a MAC", nic.Properties.VirtualMachine, deref(nic.Properties.MacAddress), *vm.ID)
	}
}

func TestVirtualMachineUserDataOnlyWhenExpanded(t *testing.T) {
	l, nicID := oneNIC(t)
	body := emulatortest.VMBody("westeurope", nicID)
	body.Properties.OSProfile.ComputerName = to.Ptr("vm1")
	body.Properties.UserData = to.Ptr("IyEvYmluL2Jhc2g=")
	p, err := l.Compute.NewVirtualMachinesClient().BeginCreateOrUpdate(t.Context(), "rg", "vm1", body, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.PollUntilDone(t.Context(), emulatortest.Poll); err != nil {
		t.Fatal(err)
	}
	c := l.Compute.NewVirtualMachinesClient()
	plain, _ := c.Get(t.Context(), "rg", "vm1", nil)
	expanded, err := c.Get(t.Context(), "rg", "vm1", &armcompute.VirtualMachinesClientGetOptions{Expand: to.Ptr(armcompute.InstanceViewTypesUserData)})
	if err != nil {
		t.Fatal(err)
	}
	if plain.Properties.UserData != nil || deref(expanded.Properties.UserData) != "IyEvYmluL2Jhc2g=" {
		t.Errorf("userData plain %v, expanded %q; want none, then the value", plain.Properties.UserData, deref(expanded.Properties.UserData))
	}
}

func TestVirtualMachineRefusesWhatAzureRefuses(t *testing.T) {
	l, nicID := oneNIC(t)
	c := l.Compute.NewVirtualMachinesClient()
	create := func(name string, edit func(*armcompute.VirtualMachine)) error {
		body := emulatortest.VMBody("westeurope", nicID)
		body.Properties.OSProfile.ComputerName = to.Ptr(name)
		edit(&body)
		_, err := c.BeginCreateOrUpdate(t.Context(), "rg", name, body, nil)
		return err
	}
	cases := []struct {
		name   string
		edit   func(*armcompute.VirtualMachine)
		status int
		code   string
	}{
		{"no-size", func(v *armcompute.VirtualMachine) { v.Properties.HardwareProfile = nil }, 400, "InvalidParameter"},
		{"no-auth", func(v *armcompute.VirtualMachine) { v.Properties.OSProfile.LinuxConfiguration.SSH = nil }, 400, "InvalidParameter"},
		{"no-nic", func(v *armcompute.VirtualMachine) { v.Properties.NetworkProfile = nil }, 400, "InvalidParameter"},
		{"missing-nic", func(v *armcompute.VirtualMachine) {
			v.Properties.NetworkProfile.NetworkInterfaces[0].ID = to.Ptr(l.ID("rg", "Microsoft.Network/networkInterfaces", "nope"))
		}, 404, "NotFound"},
	}
	for _, tc := range cases {
		wantErr(t, tc.name, create(tc.name, tc.edit), tc.status, tc.code)
	}
	l.VM("rg", "vm1", "westeurope", nicID)
	wantErr(t, "NIC of another VM", create("vm2", func(*armcompute.VirtualMachine) {}), 400, "NicInUse")

	// What cannot change after creation.
	body := emulatortest.VMBody("westeurope", nicID)
	body.Properties.OSProfile.ComputerName = to.Ptr("renamed")
	_, err := c.BeginCreateOrUpdate(t.Context(), "rg", "vm1", body, nil)
	wantErr(t, "new computer name", err, 409, "PropertyChangeNotAllowed")
}

func TestVirtualMachinePatchKeepsWhatItDoesNotName(t *testing.T) {
	l, nicID := oneNIC(t)
	vm := l.VM("rg", "vm1", "westeurope", nicID)
	p, err := l.Compute.NewVirtualMachinesClient().BeginUpdate(t.Context(), "rg", "vm1", armcompute.VirtualMachineUpdate{
		Tags:       map[string]*string{"lab": to.Ptr("peering")},
		Properties: &armcompute.VirtualMachineProperties{HardwareProfile: &armcompute.HardwareProfile{VMSize: to.Ptr(armcompute.VirtualMachineSizeTypes("Standard_B2s"))}},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.PollUntilDone(t.Context(), emulatortest.Poll)
	if err != nil {
		t.Fatal(err)
	}
	if deref(got.Tags["lab"]) != "peering" || deref(got.Properties.HardwareProfile.VMSize) != "Standard_B2s" {
		t.Errorf("after PATCH: tags %v, size %q; want lab=peering, Standard_B2s", got.Tags, deref(got.Properties.HardwareProfile.VMSize))
	}
	if deref(got.Properties.VMID) != deref(vm.Properties.VMID) || deref(got.Properties.StorageProfile.OSDisk.Name) != deref(vm.Properties.StorageProfile.OSDisk.Name) {
		t.Errorf("PATCH changed vmId or the OS disk: %q %q, was %q %q", deref(got.Properties.VMID), deref(got.Properties.StorageProfile.OSDisk.Name), deref(vm.Properties.VMID), deref(vm.Properties.StorageProfile.OSDisk.Name))
	}
	if deref(got.Etag) != `"2"` {
		t.Errorf("etag after one update = %s, want \"2\"", deref(got.Etag))
	}
}

func TestVirtualMachineDeleteTakesOSDiskOnlyWhenAsked(t *testing.T) {
	for _, opt := range []armcompute.DiskDeleteOptionTypes{armcompute.DiskDeleteOptionTypesDelete, armcompute.DiskDeleteOptionTypesDetach} {
		t.Run(string(opt), func(t *testing.T) {
			l, nicID := oneNIC(t)
			body := emulatortest.VMBody("westeurope", nicID)
			body.Properties.OSProfile.ComputerName = to.Ptr("vm1")
			body.Properties.StorageProfile.OSDisk.DeleteOption = to.Ptr(opt)
			c := l.Compute.NewVirtualMachinesClient()
			p, err := c.BeginCreateOrUpdate(t.Context(), "rg", "vm1", body, nil)
			if err != nil {
				t.Fatal(err)
			}
			vm, err := p.PollUntilDone(t.Context(), emulatortest.Poll)
			if err != nil {
				t.Fatal(err)
			}
			diskName := *vm.Properties.StorageProfile.OSDisk.Name
			// An attached disk cannot be deleted.
			_, err = l.Compute.NewDisksClient().BeginDelete(t.Context(), "rg", diskName, nil)
			wantErr(t, "deleting an attached disk", err, 409, "OperationNotAllowed")

			dp, err := c.BeginDelete(t.Context(), "rg", "vm1", nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := dp.PollUntilDone(t.Context(), emulatortest.Poll); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Get(t.Context(), "rg", "vm1", nil); !isStatus(err, http.StatusNotFound) {
				t.Errorf("VM after delete: %v, want 404", err)
			}
			d, err := l.Compute.NewDisksClient().Get(t.Context(), "rg", diskName, nil)
			switch opt {
			case armcompute.DiskDeleteOptionTypesDelete:
				if !isStatus(err, http.StatusNotFound) {
					t.Errorf("OS disk with deleteOption Delete after VM delete: %v, want 404", err)
				}
			default:
				if err != nil || d.ManagedBy != nil || deref(d.Properties.DiskState) != armcompute.DiskStateUnattached {
					t.Errorf("OS disk with deleteOption Detach after VM delete: %v, managedBy %v; want Unattached and kept", err, d.ManagedBy)
				}
			}
			nic, _ := l.Net.NewInterfacesClient().Get(t.Context(), "rg", "vm1-nic", nil)
			if nic.Properties.VirtualMachine != nil {
				t.Errorf("NIC still names VM %v after the VM was deleted", *nic.Properties.VirtualMachine.ID)
			}
		})
	}
}

func statusCodes(st []*armcompute.InstanceViewStatus) []string {
	var out []string
	for _, s := range st {
		out = append(out, deref(s.Code))
	}
	return out
}

func wantErr(t *testing.T, what string, err error, status int, code string) {
	t.Helper()
	var re *azcore.ResponseError
	if !errors.As(err, &re) {
		t.Errorf("%s: want %d %s, got %v", what, status, code, err)
		return
	}
	if re.StatusCode != status || re.ErrorCode != code {
		t.Errorf("%s: want %d %s, got %d %s", what, status, code, re.StatusCode, re.ErrorCode)
	}
}

func isStatus(err error, status int) bool {
	var re *azcore.ResponseError
	return errors.As(err, &re) && re.StatusCode == status
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// decode reads a JSON body into v or fails the test.
func decode(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
}
