package compute_test

import (
	"net/http"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/emulatortest"
)

func TestVirtualMachineWithTwoNICsNeedsOnePrimary(t *testing.T) {
	l, nic1 := oneNIC(t)
	nic2 := *l.NIC("rg", "vm1-nic2", "westeurope", l.ID("rg", "Microsoft.Network/virtualNetworks", "vnet", "subnets", "default"), emulatortest.NICOptions{}).ID
	body := emulatortest.VMBody("westeurope", nic1, nic2)
	body.Properties.OSProfile.ComputerName = to.Ptr("vm1")
	body.Properties.NetworkProfile.NetworkInterfaces[0].Properties.Primary = to.Ptr(false)
	c := l.Compute.NewVirtualMachinesClient()
	_, err := c.BeginCreateOrUpdate(t.Context(), "rg", "vm1", body, nil)
	wantErr(t, "two NICs, none primary", err, 400, "InvalidParameter")

	body.Properties.NetworkProfile.NetworkInterfaces[1].Properties.Primary = to.Ptr(true)
	if err := done(c.BeginCreateOrUpdate(t.Context(), "rg", "vm1", body, nil)); err != nil {
		t.Fatal(err)
	}
	for name, primary := range map[string]bool{"vm1-nic": false, "vm1-nic2": true} {
		n, _ := l.Net.NewInterfacesClient().Get(t.Context(), "rg", name, nil)
		if deref(n.Properties.Primary) != primary || n.Properties.VirtualMachine == nil {
			t.Errorf("%s: primary %v, VM %v; want primary %v and attached", name, deref(n.Properties.Primary), n.Properties.VirtualMachine, primary)
		}
	}
	// Removing a NIC needs the VM deallocated.
	body.Properties.NetworkProfile.NetworkInterfaces = body.Properties.NetworkProfile.NetworkInterfaces[1:]
	_, err = c.BeginCreateOrUpdate(t.Context(), "rg", "vm1", body, nil)
	wantErr(t, "removing a NIC from a running VM", err, 409, "OperationNotAllowed")
	if err := done(c.BeginDeallocate(t.Context(), "rg", "vm1", nil)); err != nil {
		t.Fatal(err)
	}
	if err := done(c.BeginCreateOrUpdate(t.Context(), "rg", "vm1", body, nil)); err != nil {
		t.Fatalf("removing a NIC from a deallocated VM: %v", err)
	}
	if n, _ := l.Net.NewInterfacesClient().Get(t.Context(), "rg", "vm1-nic", nil); n.Properties.VirtualMachine != nil {
		t.Error("the removed NIC still names the VM")
	}
}

func TestNICWithDeleteOptionDeleteGoesWithItsVM(t *testing.T) {
	l, nicID := oneNIC(t)
	body := emulatortest.VMBody("westeurope", nicID)
	body.Properties.OSProfile.ComputerName = to.Ptr("vm1")
	body.Properties.NetworkProfile.NetworkInterfaces[0].Properties.DeleteOption = to.Ptr(armcompute.DeleteOptionsDelete)
	c := l.Compute.NewVirtualMachinesClient()
	if err := done(c.BeginCreateOrUpdate(t.Context(), "rg", "vm1", body, nil)); err != nil {
		t.Fatal(err)
	}
	if err := done(c.BeginDelete(t.Context(), "rg", "vm1", nil)); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Net.NewInterfacesClient().Get(t.Context(), "rg", "vm1-nic", nil); !isStatus(err, http.StatusNotFound) {
		t.Errorf("NIC with deleteOption Delete after its VM's deletion: %v, want 404", err)
	}
}

func TestDeletingTheGroupTakesVMsDisksAndNICs(t *testing.T) {
	l, nicID := oneNIC(t)
	l.VM("rg", "vm1", "westeurope", nicID)
	p, err := l.Res.NewResourceGroupsClient().BeginDelete(t.Context(), "rg", nil)
	if err == nil {
		_, err = p.PollUntilDone(t.Context(), emulatortest.Poll)
	}
	if err != nil {
		t.Fatalf("deleting the group: %v", err)
	}
	pager := l.Res.NewClient().NewListPager(nil)
	for pager.More() {
		page, err := pager.NextPage(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Value {
			t.Errorf("left after the group's deletion: %s", *r.ID)
		}
	}
}
