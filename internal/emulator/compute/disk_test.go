package compute_test

import (
	"net/http"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/emulatortest"
)

func TestDiskLifecycle(t *testing.T) {
	l := emulatortest.New(t, emulator.Options{})
	l.Group("rg", "westeurope")
	c := l.Compute.NewDisksClient()
	put := func(size int32, sku armcompute.DiskStorageAccountTypes) (armcompute.Disk, error) {
		p, err := c.BeginCreateOrUpdate(t.Context(), "rg", "data1", armcompute.Disk{
			Location: to.Ptr("westeurope"), SKU: &armcompute.DiskSKU{Name: to.Ptr(sku)},
			Properties: &armcompute.DiskProperties{CreationData: &armcompute.CreationData{CreateOption: to.Ptr(armcompute.DiskCreateOptionEmpty)}, DiskSizeGB: to.Ptr(size)},
		}, nil)
		if err != nil {
			return armcompute.Disk{}, err
		}
		r, err := p.PollUntilDone(t.Context(), emulatortest.Poll)
		return r.Disk, err
	}
	d, err := put(32, armcompute.DiskStorageAccountTypesPremiumLRS)
	if err != nil {
		t.Fatal(err)
	}
	if deref(d.Properties.DiskState) != armcompute.DiskStateUnattached || deref(d.Properties.Tier) != "P4" || deref(d.Properties.DiskSizeBytes) != 32<<30 {
		t.Errorf("new disk: state %q, tier %q, bytes %d; want Unattached, P4, 32 GiB", deref(d.Properties.DiskState), deref(d.Properties.Tier), deref(d.Properties.DiskSizeBytes))
	}
	if d, err = put(64, armcompute.DiskStorageAccountTypesPremiumLRS); err != nil || deref(d.Properties.DiskSizeGB) != 64 || deref(d.Properties.Tier) != "P6" {
		t.Errorf("growing the disk: %v, size %d, tier %q; want 64 GB, P6", err, deref(d.Properties.DiskSizeGB), deref(d.Properties.Tier))
	}
	_, err = put(16, armcompute.DiskStorageAccountTypesPremiumLRS)
	wantErr(t, "shrinking a disk", err, 400, "InvalidParameter")
	// A disk stays in the region it was created in.
	_, err = c.BeginCreateOrUpdate(t.Context(), "rg", "data1", armcompute.Disk{
		Location: to.Ptr("eastus"), SKU: &armcompute.DiskSKU{Name: to.Ptr(armcompute.DiskStorageAccountTypesPremiumLRS)},
		Properties: &armcompute.DiskProperties{CreationData: &armcompute.CreationData{CreateOption: to.Ptr(armcompute.DiskCreateOptionEmpty)}, DiskSizeGB: to.Ptr[int32](64)},
	}, nil)
	wantErr(t, "moving a disk to another region", err, 409, "InvalidResourceLocation")

	if err := done(c.BeginDelete(t.Context(), "rg", "data1", nil)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(t.Context(), "rg", "data1", nil); !isStatus(err, http.StatusNotFound) {
		t.Errorf("disk after delete: %v, want 404", err)
	}
	// Deleting what is gone is a success, as azurerm expects after a VM
	// took its disk with it.
	if resp, b := l.Do(http.MethodDelete, l.ID("rg", "Microsoft.Compute/disks", "data1")+"?api-version=2023-04-02", nil); resp.StatusCode != http.StatusNoContent {
		t.Errorf("deleting a missing disk: %d %s, want 204", resp.StatusCode, b)
	}
}
