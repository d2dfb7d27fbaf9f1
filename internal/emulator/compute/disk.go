package compute

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
	"github.com/google/uuid"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

func registerDisks(s *arm.Server) {
	r := s.Router
	const read, write = "Microsoft.Compute/disks/read", "Microsoft.Compute/disks/write"
	r.Handle(http.MethodGet, cmpPath+"/disks", read, listDisks)
	r.Handle(http.MethodGet, subPath+"/disks", read, listDisks)
	r.Handle(http.MethodGet, diskPath, read, getDisk)
	r.Handle(http.MethodPut, diskPath, write, putDisk)
	r.Handle(http.MethodPatch, diskPath, write, patchDisk)
	r.Handle(http.MethodDelete, diskPath, "Microsoft.Compute/disks/delete", deleteDisk)
}

// Disk names: 1-80 letters, digits, underscores, periods and hyphens,
// ending with a letter, digit or underscore.
var diskName = regexp.MustCompile(`^[A-Za-z0-9_.-]{0,79}[A-Za-z0-9_]$`)

// diskPerformance gives a disk's provisioned IOPS and MB/s, and its
// performance tier, from its SKU and size: the published figures of the
// smallest tier that holds it (P4/E4/S4 … P30/E30/S30; bigger disks get
// the P30 figures here).
func diskPerformance(sku armcompute.DiskStorageAccountTypes, sizeGB int32) (iops, mbps int64, tier string) {
	type step struct {
		gb                   int32
		pIOPS, pMBps         int64
		n                    int
		standardIOPS, sdMBps int64
	}
	steps := []step{{4, 120, 25, 1, 500, 60}, {8, 120, 25, 2, 500, 60}, {16, 120, 25, 3, 500, 60}, {32, 120, 25, 4, 500, 60},
		{64, 240, 50, 6, 500, 60}, {128, 500, 100, 10, 500, 60}, {256, 1100, 125, 15, 500, 60}, {512, 2300, 150, 20, 500, 60}, {1024, 5000, 200, 30, 500, 60}}
	st := steps[len(steps)-1]
	for _, s := range steps {
		if sizeGB <= s.gb {
			st = s
			break
		}
	}
	switch sku {
	case armcompute.DiskStorageAccountTypesPremiumLRS, armcompute.DiskStorageAccountTypesPremiumZRS:
		return st.pIOPS, st.pMBps, fmt.Sprintf("P%d", st.n)
	case armcompute.DiskStorageAccountTypesStandardSSDLRS, armcompute.DiskStorageAccountTypesStandardSSDZRS:
		return st.standardIOPS, st.sdMBps, fmt.Sprintf("E%d", st.n)
	}
	return st.standardIOPS, st.sdMBps, ""
}

func skuTier(sku armcompute.DiskStorageAccountTypes) string {
	if strings.HasPrefix(string(sku), "Premium") {
		return "Premium"
	}
	return "Standard"
}

// newDisk builds a managed disk as the compute resource provider stores
// it; creation is what it was made from.
func newDisk(id, name, location string, sku armcompute.DiskStorageAccountTypes, sizeGB int32, creation *armcompute.CreationData, osType *armcompute.OperatingSystemTypes, gen armcompute.HyperVGeneration) *armcompute.Disk {
	iops, mbps, tier := diskPerformance(sku, sizeGB)
	d := &armcompute.Disk{
		ID: to.Ptr(id), Name: to.Ptr(name), Type: to.Ptr(TypeDisk), Location: to.Ptr(location),
		SKU: &armcompute.DiskSKU{Name: to.Ptr(sku), Tier: to.Ptr(skuTier(sku))},
		Properties: &armcompute.DiskProperties{
			CreationData: creation, OSType: osType, DiskSizeGB: to.Ptr(sizeGB), DiskSizeBytes: to.Ptr(int64(sizeGB) << 30),
			DiskIOPSReadWrite: to.Ptr(iops), DiskMBpsReadWrite: to.Ptr(mbps),
			Encryption:          &armcompute.Encryption{Type: to.Ptr(armcompute.EncryptionTypeEncryptionAtRestWithPlatformKey)},
			NetworkAccessPolicy: to.Ptr(armcompute.NetworkAccessPolicyAllowAll), PublicNetworkAccess: to.Ptr(armcompute.PublicNetworkAccessEnabled),
			DiskState: to.Ptr(armcompute.DiskStateUnattached), ProvisioningState: to.Ptr(stateSucceeded),
			TimeCreated: to.Ptr(time.Now().UTC()), UniqueID: to.Ptr(uuid.NewString()),
		},
	}
	if gen != "" {
		d.Properties.HyperVGeneration = to.Ptr(gen)
	}
	if tier != "" {
		d.Properties.Tier = to.Ptr(tier)
	}
	return d
}

// attachDisk marks a disk as used by a VM.
func attachDisk(tx *store.Tx, diskID, vmID string) error {
	var d armcompute.Disk
	if err := tx.Decode(diskID, &d); err != nil {
		return err
	}
	d.ManagedBy = to.Ptr(vmID)
	d.Properties.DiskState = to.Ptr(armcompute.DiskStateAttached)
	d.Properties.LastOwnershipUpdateTime = to.Ptr(time.Now().UTC())
	return tx.Put(*d.ID, TypeDisk, &d)
}

// detachDisk frees a disk whose VM is gone.
func detachDisk(tx *store.Tx, diskID string) {
	var d armcompute.Disk
	if tx.Decode(diskID, &d) != nil || d.Properties == nil {
		return
	}
	d.ManagedBy = nil
	d.Properties.DiskState = to.Ptr(armcompute.DiskStateUnattached)
	d.Properties.LastOwnershipUpdateTime = to.Ptr(time.Now().UTC())
	_ = tx.Put(*d.ID, TypeDisk, &d)
}

func getDisk(c *arm.Context) (*arm.Response, error) {
	var out armcompute.Disk
	err := c.Store().Read(func(tx *store.Tx) error {
		id, aerr := parse(c, tx)
		if aerr != nil {
			return aerr
		}
		if tx.Decode(id.String(), &out) != nil {
			return arm.ResourceNotFound(TypeDisk, id.Name(), id.ResourceGroup)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return arm.OK(&out), nil
}

func listDisks(c *arm.Context) (*arm.Response, error) {
	var items []json.RawMessage
	err := c.Store().Read(func(tx *store.Tx) error {
		scope := "/subscriptions/" + c.Var("subscriptionId")
		if g := c.Var("resourceGroupName"); g != "" {
			scope += "/resourceGroups/" + g
			if _, ok := tx.Get(scope); !ok {
				return arm.ResourceGroupNotFound(g)
			}
		}
		for _, r := range tx.Under(scope, TypeDisk) {
			items = append(items, json.RawMessage(r.Body))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c.Paged(items)
}

// putDisk creates an empty disk, or updates a disk's size, SKU and tags.
// A disk may grow but not shrink, and only an unattached disk changes SKU
// or size (Azure allows some changes while attached; the emulator keeps
// the simple rule).
func putDisk(c *arm.Context) (*arm.Response, error) {
	var in armcompute.Disk
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	name := c.Var("diskName")
	if !diskName.MatchString(name) {
		return nil, invalidParameter("name", "The disk name '%s' is invalid: it must be 1-80 letters, digits, underscores, periods or hyphens, and end with a letter, digit or underscore.", name)
	}
	if aerr := arm.RequireLocation(in.Location); aerr != nil {
		return nil, aerr
	}
	if in.Properties == nil {
		in.Properties = &armcompute.DiskProperties{}
	}
	var out armcompute.Disk
	var op *arm.Operation
	err := c.Store().Write(func(tx *store.Tx) error {
		id, aerr := parse(c, tx)
		if aerr != nil {
			return aerr
		}
		did := id.String()
		sku := armcompute.DiskStorageAccountTypesStandardLRS
		if in.SKU != nil && in.SKU.Name != nil {
			sku = *in.SKU.Name
		}
		size := deref(in.Properties.DiskSizeGB)
		var d *armcompute.Disk
		var old armcompute.Disk
		if tx.Decode(did, &old) == nil {
			if aerr := arm.KeepLocation(name, id.ResourceGroup, *old.Location, *in.Location); aerr != nil {
				return aerr
			}
			if aerr := busy(c, did); aerr != nil {
				return aerr
			}
			if size == 0 {
				size = deref(old.Properties.DiskSizeGB)
			}
			if size < deref(old.Properties.DiskSizeGB) {
				return invalidParameter("diskSizeGB", "Disk size reduction is not supported. Requested size: %d GB. Current size: %d GB.", size, deref(old.Properties.DiskSizeGB))
			}
			changed := size != deref(old.Properties.DiskSizeGB) || sku != deref(old.SKU.Name)
			if changed && old.ManagedBy != nil {
				return operationNotAllowed("Changing the size or SKU of disk '%s' is not allowed while it is attached to VM '%s'.", name, *old.ManagedBy)
			}
			d = &old
			d.Tags = in.Tags
			iops, mbps, tier := diskPerformance(sku, size)
			d.SKU = &armcompute.DiskSKU{Name: to.Ptr(sku), Tier: to.Ptr(skuTier(sku))}
			d.Properties.DiskSizeGB, d.Properties.DiskSizeBytes = to.Ptr(size), to.Ptr(int64(size)<<30)
			d.Properties.DiskIOPSReadWrite, d.Properties.DiskMBpsReadWrite = to.Ptr(iops), to.Ptr(mbps)
			d.Properties.Tier = nil
			if tier != "" {
				d.Properties.Tier = to.Ptr(tier)
			}
		} else {
			cd := in.Properties.CreationData
			if cd == nil || cd.CreateOption == nil {
				return invalidParameter("creationData.createOption", "Required parameter 'creationData.createOption' is missing (null).")
			}
			if *cd.CreateOption != armcompute.DiskCreateOptionEmpty {
				return invalidParameter("creationData.createOption", "Create option '%s' is not supported by this emulator; create disks with 'Empty', or let a virtual machine create its OS disk.", *cd.CreateOption)
			}
			if size <= 0 {
				return invalidParameter("diskSizeGB", "Required parameter 'diskSizeGB' is missing (null).")
			}
			d = newDisk(did, id.Name(), arm.NormalizeLocation(*in.Location), sku, size, cd, in.Properties.OSType, "")
			d.Tags, d.Zones = in.Tags, in.Zones
		}
		if err := tx.Put(did, TypeDisk, d); err != nil {
			return err
		}
		op = begin(c, tx, "PutDiskOperation", did, *d.Location, func(tx *store.Tx) (any, *arm.Error) { return nil, nil })
		return tx.Decode(did, &out)
	})
	if err != nil {
		return nil, err
	}
	return asyncAnswer(c, &arm.Response{Status: http.StatusAccepted, Body: &out}, op, true), nil
}

// patchDisk updates a disk's tags (and, through putDisk's rules, nothing
// else here).
func patchDisk(c *arm.Context) (*arm.Response, error) {
	var in armcompute.DiskUpdate
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	var out armcompute.Disk
	err := c.Store().Write(func(tx *store.Tx) error {
		id, aerr := parse(c, tx)
		if aerr != nil {
			return aerr
		}
		if tx.Decode(id.String(), &out) != nil {
			return arm.ResourceNotFound(TypeDisk, id.Name(), id.ResourceGroup)
		}
		if in.Tags != nil {
			out.Tags = in.Tags
		}
		return tx.Put(*out.ID, TypeDisk, &out)
	})
	if err != nil {
		return nil, err
	}
	return arm.OK(&out), nil
}

// deleteDisk refuses while a VM uses the disk; a missing disk is 204.
func deleteDisk(c *arm.Context) (*arm.Response, error) {
	var op *arm.Operation
	err := c.Store().Write(func(tx *store.Tx) error {
		id, aerr := parse(c, tx)
		if aerr != nil {
			return aerr
		}
		var d armcompute.Disk
		if tx.Decode(id.String(), &d) != nil {
			return nil
		}
		did := *d.ID
		if aerr := busy(c, did); aerr != nil {
			return aerr
		}
		if d.ManagedBy != nil && *d.ManagedBy != "" {
			return operationNotAllowed("Disk %s is attached to VM %s.", id.Name(), *d.ManagedBy)
		}
		op = begin(c, tx, "DeleteDiskOperation", did, *d.Location, func(tx *store.Tx) (any, *arm.Error) {
			c.DeleteTree(tx, did)
			return nil, nil
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if op == nil {
		return arm.NoContent(), nil
	}
	return asyncAnswer(c, arm.Accepted(), op, true), nil
}
