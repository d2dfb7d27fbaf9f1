package compute

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
	"github.com/google/uuid"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// VM names: 1-64 letters, digits, underscores, periods and hyphens, not
// ending with a period or hyphen (the Linux limit).
var vmName = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}[A-Za-z0-9_]$|^[A-Za-z0-9_]$`)

func putVirtualMachine(c *arm.Context) (*arm.Response, error) {
	var in armcompute.VirtualMachine
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	return writeVirtualMachine(c, &in, false)
}

// patchVirtualMachine merges a VirtualMachineUpdate into the stored VM and
// applies the result with the rules of a PUT.
func patchVirtualMachine(c *arm.Context) (*arm.Response, error) {
	var patch map[string]any
	if err := json.Unmarshal(c.Body, &patch); err != nil {
		return nil, arm.InvalidRequestContent(err)
	}
	var in armcompute.VirtualMachine
	err := c.Store().Read(func(tx *store.Tx) error {
		id, aerr := parse(c, tx)
		if aerr != nil {
			return aerr
		}
		r, ok := tx.Get(id.String())
		if !ok {
			return arm.ResourceNotFound(TypeVirtualMachine, id.Name(), id.ResourceGroup)
		}
		var cur map[string]any
		if err := json.Unmarshal(r.Body, &cur); err != nil {
			return arm.Internal(err)
		}
		b, _ := json.Marshal(mergePatch(cur, patch))
		if err := json.Unmarshal(b, &in); err != nil {
			return arm.InvalidRequestContent(err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return writeVirtualMachine(c, &in, true)
}

// mergePatch applies a JSON merge patch (RFC 7396): objects merge, null
// removes, anything else replaces.
func mergePatch(target, patch map[string]any) map[string]any {
	for k, v := range patch {
		if v == nil {
			delete(target, k)
			continue
		}
		if pv, ok := v.(map[string]any); ok {
			if tv, ok := target[k].(map[string]any); ok {
				target[k] = mergePatch(tv, pv)
				continue
			}
		}
		target[k] = v
	}
	return target
}

// writeVirtualMachine creates or updates a VM in one transaction: the
// request is validated, the OS disk is created (or attached), the network
// interfaces are attached, and an operation completes the provisioning.
func writeVirtualMachine(c *arm.Context, in *armcompute.VirtualMachine, patch bool) (*arm.Response, error) {
	name := c.Var("vmName")
	if !vmName.MatchString(name) {
		return nil, invalidParameter("name", "The VM name '%s' is invalid: it must be 1-64 letters, digits, underscores, periods or hyphens, and not end with a period or hyphen.", name)
	}
	if aerr := arm.RequireLocation(in.Location); aerr != nil {
		return nil, aerr
	}
	if in.Properties == nil {
		return nil, invalidParameter("properties", "Required parameter 'properties' is missing (null).")
	}
	var out *armcompute.VirtualMachine
	var op *arm.Operation
	created := false
	err := c.Store().Write(func(tx *store.Tx) error {
		id, aerr := parse(c, tx)
		if aerr != nil {
			return aerr
		}
		vid := id.String()
		location := arm.NormalizeLocation(*in.Location)
		var old armcompute.VirtualMachine
		exists := tx.Decode(vid, &old) == nil
		if patch && !exists {
			return arm.ResourceNotFound(TypeVirtualMachine, id.Name(), id.ResourceGroup)
		}
		if exists {
			if aerr := arm.KeepLocation(name, id.ResourceGroup, *old.Location, *in.Location); aerr != nil {
				return aerr
			}
			if aerr := busy(c, vid); aerr != nil {
				return aerr
			}
		}
		p := in.Properties
		if aerr := checkProfiles(p, exists); aerr != nil {
			return aerr
		}
		nics, aerr := checkInterfaces(tx, vid, location, p.NetworkProfile)
		if aerr != nil {
			return aerr
		}
		now := time.Now()
		vm := armcompute.VirtualMachine{
			ID: to.Ptr(vid), Name: to.Ptr(id.Name()), Type: to.Ptr(TypeVirtualMachine), Location: to.Ptr(location),
			Tags: in.Tags, Zones: in.Zones, Plan: in.Plan, ExtendedLocation: in.ExtendedLocation,
			Identity: identity(in.Identity, c.Caller.TenantID, &old), Properties: p, Etag: to.Ptr(`"1"`),
		}
		state := stateCreating
		if exists {
			state = stateUpdating
			inheritOSDisk(old.Properties.StorageProfile.OSDisk, p.StorageProfile.OSDisk)
			applyDefaults(p, id.Name())
			if aerr := checkUnchanged(old.Properties, p); aerr != nil {
				return aerr
			}
			if aerr := checkInterfaceChange(&old, nics); aerr != nil {
				return aerr
			}
			vm.Etag = nextEtag(old.Etag)
		} else {
			applyDefaults(p, id.Name())
			p.VMID, p.TimeCreated = to.Ptr(uuid.NewString()), to.Ptr(now.UTC())
			if aerr := createOSDisk(tx, id, location, &vm); aerr != nil {
				return aerr
			}
		}
		if err := attachInterfaces(tx, vid, nics, &old); err != nil {
			return arm.Internal(err)
		}
		setStatus(&vm, state, "", now)
		if err := tx.Put(vid, TypeVirtualMachine, &vm); err != nil {
			return err
		}
		created = !exists
		op = begin(c, tx, "PutVirtualMachineOperation", vid, location, func(tx *store.Tx) (any, *arm.Error) {
			var now armcompute.VirtualMachine
			if tx.Decode(vid, &now) != nil {
				return nil, arm.ResourceNotFound(TypeVirtualMachine, id.Name(), id.ResourceGroup)
			}
			power := ""
			if !exists {
				power = PowerRunning // a new VM starts
			}
			setStatus(&now, stateSucceeded, power, time.Now())
			return nil, internal(tx.Put(vid, TypeVirtualMachine, &now))
		})
		r, _ := tx.Get(vid)
		var err error
		out, err = vmView(r, "")
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := arm.OK(out)
	if created {
		resp = arm.Created(out)
	}
	return asyncAnswer(c, resp, op, false), nil
}

// required is compute's answer for a missing parameter.
func required(path string) *arm.Error {
	return invalidParameter(path[strings.LastIndex(path, ".")+1:], "Required parameter '%s' is missing (null).", path)
}

// checkProfiles validates the hardware, storage and OS profiles of a VM.
func checkProfiles(p *armcompute.VirtualMachineProperties, exists bool) *arm.Error {
	if p.HardwareProfile == nil || p.HardwareProfile.VMSize == nil || *p.HardwareProfile.VMSize == "" {
		return required("hardwareProfile.vmSize")
	}
	sp := p.StorageProfile
	if sp == nil || sp.OSDisk == nil {
		return required("storageProfile.osDisk")
	}
	switch deref(sp.OSDisk.CreateOption) {
	case armcompute.DiskCreateOptionTypesFromImage:
		ir := sp.ImageReference
		if ir == nil || (ir.ID == nil && (ir.Publisher == nil || ir.Offer == nil || ir.SKU == nil)) {
			return required("storageProfile.imageReference")
		}
		if p.OSProfile == nil && !exists {
			return required("osProfile")
		}
	case armcompute.DiskCreateOptionTypesAttach:
		if sp.OSDisk.ManagedDisk == nil || sp.OSDisk.ManagedDisk.ID == nil {
			return required("storageProfile.osDisk.managedDisk.id")
		}
		if p.OSProfile != nil && !exists {
			return invalidParameter("osProfile", "Parameter 'osProfile' is not allowed with an OS disk attached (createOption Attach).")
		}
	case "":
		return required("storageProfile.osDisk.createOption")
	default:
		return invalidParameter("createOption", "OS disk create option '%s' is not supported by this emulator; use FromImage or Attach.", *sp.OSDisk.CreateOption)
	}
	op := p.OSProfile
	if op == nil {
		return nil
	}
	if op.ComputerName == nil || *op.ComputerName == "" {
		return required("osProfile.computerName")
	}
	if op.AdminUsername == nil || *op.AdminUsername == "" {
		return required("osProfile.adminUsername")
	}
	if lc := op.LinuxConfiguration; lc != nil {
		keys := lc.SSH != nil && len(lc.SSH.PublicKeys) > 0
		if deref(lc.DisablePasswordAuthentication) && !keys {
			return invalidParameter("linuxConfiguration", "Authentication using either SSH or by user name and password must be enabled in Linux profile.")
		}
		if !deref(lc.DisablePasswordAuthentication) && !keys && deref(op.AdminPassword) == "" && !exists {
			return required("osProfile.adminPassword")
		}
	}
	return nil
}

// applyDefaults fills in what Azure adds to a VM it stores, and drops what
// it never returns.
func applyDefaults(p *armcompute.VirtualMachineProperties, name string) {
	// Empty profiles (azurerm sends additionalCapabilities: {} when none is
	// configured) are not stored, as Azure drops them.
	if c := p.AdditionalCapabilities; c != nil && c.UltraSSDEnabled == nil && c.HibernationEnabled == nil && c.EnableFips1403Encryption == nil {
		p.AdditionalCapabilities = nil
	}
	if a := p.ApplicationProfile; a != nil && len(a.GalleryApplications) == 0 {
		p.ApplicationProfile = nil
	}
	if sp := p.SecurityProfile; sp != nil && *sp == (armcompute.SecurityProfile{}) {
		p.SecurityProfile = nil
	}
	if op := p.OSProfile; op != nil {
		op.AdminPassword = nil
		op.AllowExtensionOperations = orDefault(op.AllowExtensionOperations, true)
		op.RequireGuestProvisionSignal = orDefault(op.RequireGuestProvisionSignal, true)
		if op.Secrets == nil {
			op.Secrets = []*armcompute.VaultSecretGroup{}
		}
		if op.LinuxConfiguration == nil {
			op.LinuxConfiguration = &armcompute.LinuxConfiguration{}
		}
		lc := op.LinuxConfiguration
		lc.DisablePasswordAuthentication = orDefault(lc.DisablePasswordAuthentication, false)
		lc.ProvisionVMAgent = orDefault(lc.ProvisionVMAgent, true)
		lc.EnableVMAgentPlatformUpdates = orDefault(lc.EnableVMAgentPlatformUpdates, false)
		if lc.PatchSettings == nil {
			lc.PatchSettings = &armcompute.LinuxPatchSettings{}
		}
		lc.PatchSettings.PatchMode = orDefault(lc.PatchSettings.PatchMode, armcompute.LinuxVMGuestPatchModeImageDefault)
		lc.PatchSettings.AssessmentMode = orDefault(lc.PatchSettings.AssessmentMode, armcompute.LinuxPatchAssessmentModeImageDefault)
	}
	sp := p.StorageProfile
	if sp.DataDisks == nil {
		sp.DataDisks = []*armcompute.DataDisk{}
	}
	sp.DiskControllerType = orDefault(sp.DiskControllerType, armcompute.DiskControllerTypesSCSI)
	if ir := sp.ImageReference; ir != nil && ir.Version != nil {
		ir.ExactVersion = to.Ptr(exactVersion(ir))
	}
	d := sp.OSDisk
	d.OSType = orDefault(d.OSType, armcompute.OperatingSystemTypesLinux)
	d.Caching = orDefault(d.Caching, armcompute.CachingTypesReadWrite)
	d.DeleteOption = orDefault(d.DeleteOption, armcompute.DiskDeleteOptionTypesDetach)
	d.DiskSizeGB = orDefault(d.DiskSizeGB, 30)
	if d.ManagedDisk == nil {
		d.ManagedDisk = &armcompute.ManagedDiskParameters{}
	}
	d.ManagedDisk.StorageAccountType = orDefault(d.ManagedDisk.StorageAccountType, defaultStorage(string(deref(p.HardwareProfile.VMSize))))
	if d.Name == nil || *d.Name == "" {
		d.Name = to.Ptr(name + "_OsDisk_1_" + randomHex(16))
	}
}

// defaultStorage is the OS disk type Azure picks when none is given:
// Premium_LRS for sizes with premium storage (an "s" among the size's
// features, as in Standard_D2s_v5 or Standard_B1s, or a DS family), else
// Standard_LRS.
func defaultStorage(size string) armcompute.StorageAccountTypes {
	s := strings.ToLower(strings.TrimPrefix(strings.ToLower(size), "standard_"))
	base, _, _ := strings.Cut(s, "_")
	i := strings.IndexAny(base, "0123456789")
	if strings.HasPrefix(base, "ds") || strings.HasPrefix(base, "gs") || (i >= 0 && strings.Contains(strings.TrimLeft(base[i:], "0123456789-"), "s")) {
		return armcompute.StorageAccountTypesPremiumLRS
	}
	return armcompute.StorageAccountTypesStandardLRS
}

// exactVersion is the image version a "latest" reference resolved to: a
// fixed, plausible version of the image's family.
func exactVersion(ir *armcompute.ImageReference) string {
	if v := deref(ir.Version); !strings.EqualFold(v, "latest") {
		return v
	}
	switch osVersion(&armcompute.StorageProfile{ImageReference: ir}) {
	case "24.04":
		return "24.04.202409120"
	case "20.04":
		return "20.04.202409120"
	}
	return "22.04.202409120"
}

// checkUnchanged refuses changes to what cannot change after creation.
func checkUnchanged(old, p *armcompute.VirtualMachineProperties) *arm.Error {
	changed := func(path, a, b string) *arm.Error {
		if a != b {
			e := arm.Errorf(http.StatusConflict, "PropertyChangeNotAllowed", "Changing property '%s' is not allowed.", path)
			e.Target = path
			return e
		}
		return nil
	}
	if old.OSProfile != nil && p.OSProfile != nil {
		if e := changed("osProfile.computerName", deref(old.OSProfile.ComputerName), deref(p.OSProfile.ComputerName)); e != nil {
			return e
		}
		if e := changed("osProfile.adminUsername", deref(old.OSProfile.AdminUsername), deref(p.OSProfile.AdminUsername)); e != nil {
			return e
		}
	}
	od, nd := old.StorageProfile.OSDisk, p.StorageProfile.OSDisk
	if e := changed("osDisk.name", deref(od.Name), deref(nd.Name)); e != nil {
		return e
	}
	if oi, ni := old.StorageProfile.ImageReference, p.StorageProfile.ImageReference; oi != nil && ni != nil {
		for _, f := range [][3]string{{"imageReference.publisher", deref(oi.Publisher), deref(ni.Publisher)}, {"imageReference.offer", deref(oi.Offer), deref(ni.Offer)}, {"imageReference.sku", deref(oi.SKU), deref(ni.SKU)}} {
			if e := changed(f[0], strings.ToLower(f[1]), strings.ToLower(f[2])); e != nil {
				return e
			}
		}
	}
	// Kept from the stored VM: what Azure set.
	p.VMID, p.TimeCreated, p.InstanceView = old.VMID, old.TimeCreated, old.InstanceView
	nd.ManagedDisk.ID = od.ManagedDisk.ID
	if p.OSProfile == nil {
		p.OSProfile = old.OSProfile
	}
	return nil
}

// createOSDisk creates the managed disk a new VM boots from (or takes the
// one it attaches) and records its ID in the VM.
func createOSDisk(tx *store.Tx, id arm.ID, location string, vm *armcompute.VirtualMachine) *arm.Error {
	sp := vm.Properties.StorageProfile
	d := sp.OSDisk
	if deref(d.CreateOption) == armcompute.DiskCreateOptionTypesAttach {
		var disk armcompute.Disk
		if tx.Decode(*d.ManagedDisk.ID, &disk) != nil {
			return arm.NotFound("NotFound", "Disk %s not found.", *d.ManagedDisk.ID)
		}
		if disk.ManagedBy != nil {
			return operationNotAllowed("Disk %s is attached to VM %s.", *disk.Name, *disk.ManagedBy)
		}
		d.ManagedDisk.ID, d.Name = disk.ID, disk.Name
		return internal(attachDisk(tx, *disk.ID, *vm.ID))
	}
	did := arm.ID{Subscription: id.Subscription, ResourceGroup: id.ResourceGroup, Provider: "Microsoft.Compute", Types: []string{"disks"}, Names: []string{*d.Name}}.String()
	if _, exists := tx.Get(did); exists {
		return arm.Conflict("ResourceAlreadyExists", "Disk %s already exists in resource group %s. Only CreateOption.Attach is supported.", *d.Name, id.ResourceGroup)
	}
	ir := sp.ImageReference
	creation := &armcompute.CreationData{CreateOption: to.Ptr(armcompute.DiskCreateOptionFromImage)}
	if ir.ID != nil {
		creation.ImageReference = &armcompute.ImageDiskReference{ID: ir.ID}
	} else {
		creation.ImageReference = &armcompute.ImageDiskReference{ID: to.Ptr("/Subscriptions/" + id.Subscription + "/Providers/Microsoft.Compute/Locations/" + location +
			"/Publishers/" + deref(ir.Publisher) + "/ArtifactTypes/VMImage/Offers/" + deref(ir.Offer) + "/Skus/" + deref(ir.SKU) + "/Versions/" + deref(ir.ExactVersion))}
	}
	gen := armcompute.HyperVGenerationV1
	if hyperVGeneration(sp) == armcompute.HyperVGenerationTypeV2 {
		gen = armcompute.HyperVGenerationV2
	}
	disk := newDisk(did, *d.Name, location, armcompute.DiskStorageAccountTypes(*d.ManagedDisk.StorageAccountType), *d.DiskSizeGB, creation, d.OSType, gen)
	disk.Zones = vm.Zones
	if err := tx.Put(did, TypeDisk, disk); err != nil {
		return arm.Internal(err)
	}
	d.ManagedDisk.ID = to.Ptr(did)
	return internal(attachDisk(tx, did, *vm.ID))
}

// identity completes a managed identity as Azure does: a principal for the
// system-assigned identity (kept across updates), a principal and client
// ID for each user-assigned one.
func identity(in *armcompute.VirtualMachineIdentity, tenant string, old *armcompute.VirtualMachine) *armcompute.VirtualMachineIdentity {
	if in == nil || in.Type == nil || *in.Type == armcompute.ResourceIdentityTypeNone {
		return in
	}
	out := &armcompute.VirtualMachineIdentity{Type: in.Type}
	if strings.Contains(string(*in.Type), "SystemAssigned") {
		out.PrincipalID, out.TenantID = to.Ptr(uuid.NewString()), to.Ptr(tenant)
		if old.Identity != nil && old.Identity.PrincipalID != nil {
			out.PrincipalID, out.TenantID = old.Identity.PrincipalID, old.Identity.TenantID
		}
	}
	if len(in.UserAssignedIdentities) > 0 {
		out.UserAssignedIdentities = map[string]*armcompute.UserAssignedIdentitiesValue{}
		for k := range in.UserAssignedIdentities {
			out.UserAssignedIdentities[k] = &armcompute.UserAssignedIdentitiesValue{PrincipalID: to.Ptr(uuid.NewString()), ClientID: to.Ptr(uuid.NewString())}
		}
	}
	return out
}

// nextEtag counts a VM's versions, as the compute resource provider's
// etags do ("1", "2", …).
func nextEtag(old *string) *string {
	n, _ := strconv.Atoi(strings.Trim(deref(old), `"`))
	return to.Ptr(`"` + strconv.Itoa(n+1) + `"`)
}

// inheritOSDisk fills the OS disk settings an update leaves out with the
// stored ones, so that leaving them out changes nothing.
func inheritOSDisk(old, d *armcompute.OSDisk) {
	if d.Name == nil || *d.Name == "" {
		d.Name = old.Name
	}
	if d.ManagedDisk == nil {
		d.ManagedDisk = &armcompute.ManagedDiskParameters{}
	}
	if d.ManagedDisk.StorageAccountType == nil {
		d.ManagedDisk.StorageAccountType = old.ManagedDisk.StorageAccountType
	}
	if d.DiskSizeGB == nil {
		d.DiskSizeGB = old.DiskSizeGB
	}
	if d.DeleteOption == nil {
		d.DeleteOption = old.DeleteOption
	}
}

func orDefault[T any](p *T, def T) *T {
	if p == nil {
		return &def
	}
	return p
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
