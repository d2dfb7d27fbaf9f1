package compute

import (
	"net/http"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// Power states, as the code PowerState/{state} of the instance view names
// them.
const (
	PowerRunning      = "running"
	PowerStarting     = "starting"
	PowerStopped      = "stopped"
	PowerStopping     = "stopping"
	PowerDeallocated  = "deallocated"
	PowerDeallocating = "deallocating"
)

// powerDisplay is the displayStatus of each power state.
var powerDisplay = map[string]string{
	PowerRunning:      "VM running",
	PowerStarting:     "VM starting",
	PowerStopped:      "VM stopped",
	PowerStopping:     "VM stopping",
	PowerDeallocated:  "VM deallocated",
	PowerDeallocating: "VM deallocating",
}

// PowerState reads a stored VM's power state ("" before it first ran).
func PowerState(vm *armcompute.VirtualMachine) string {
	if vm.Properties == nil || vm.Properties.InstanceView == nil {
		return ""
	}
	for _, s := range vm.Properties.InstanceView.Statuses {
		if s != nil && s.Code != nil && strings.HasPrefix(*s.Code, "PowerState/") {
			return strings.TrimPrefix(*s.Code, "PowerState/")
		}
	}
	return ""
}

// setStatus records a VM's provisioning and power state in the instance
// view it keeps (power "" leaves the power state as it is).
func setStatus(vm *armcompute.VirtualMachine, provisioning, power string, now time.Time) {
	if power == "" {
		power = PowerState(vm)
	}
	if vm.Properties.InstanceView == nil {
		vm.Properties.InstanceView = &armcompute.VirtualMachineInstanceView{}
	}
	vm.Properties.ProvisioningState = to.Ptr(provisioning)
	st := []*armcompute.InstanceViewStatus{provisioningStatus(provisioning, now)}
	if power != "" {
		st = append(st, &armcompute.InstanceViewStatus{
			Code: to.Ptr("PowerState/" + power), Level: to.Ptr(armcompute.StatusLevelTypesInfo), DisplayStatus: to.Ptr(powerDisplay[power]),
		})
	}
	vm.Properties.InstanceView.Statuses = st
}

func provisioningStatus(state string, now time.Time) *armcompute.InstanceViewStatus {
	display := "Provisioning succeeded"
	if state != stateSucceeded {
		display = state // Creating, Updating, Deleting
	}
	return &armcompute.InstanceViewStatus{
		Code: to.Ptr("ProvisioningState/" + strings.ToLower(state)), Level: to.Ptr(armcompute.StatusLevelTypesInfo),
		DisplayStatus: to.Ptr(display), Time: to.Ptr(now.UTC()),
	}
}

// instanceView is what GET …/instanceView (or $expand=instanceView) shows
// of a VM: its statuses, and while it runs the guest agent's and the OS
// disk's; the image is Ubuntu 22.04 unless its offer says otherwise.
func instanceView(vm *armcompute.VirtualMachine) *armcompute.VirtualMachineInstanceView {
	p := vm.Properties
	iv := &armcompute.VirtualMachineInstanceView{HyperVGeneration: to.Ptr(hyperVGeneration(p.StorageProfile))}
	if p.InstanceView != nil {
		iv.Statuses = p.InstanceView.Statuses
	}
	if p.OSProfile != nil {
		iv.ComputerName = p.OSProfile.ComputerName
	}
	var when *time.Time
	if len(iv.Statuses) > 0 {
		when = iv.Statuses[0].Time
	}
	if sp := p.StorageProfile; sp != nil && sp.OSDisk != nil && sp.OSDisk.Name != nil {
		iv.Disks = []*armcompute.DiskInstanceView{{Name: sp.OSDisk.Name, Statuses: []*armcompute.InstanceViewStatus{{
			Code: to.Ptr("ProvisioningState/succeeded"), Level: to.Ptr(armcompute.StatusLevelTypesInfo), DisplayStatus: to.Ptr("Provisioning succeeded"), Time: when,
		}}}}
	}
	if PowerState(vm) == PowerRunning {
		iv.OSName, iv.OSVersion = to.Ptr("ubuntu"), to.Ptr(osVersion(p.StorageProfile))
		iv.VMAgent = &armcompute.VirtualMachineAgentInstanceView{
			VMAgentVersion: to.Ptr("2.11.1.12"), ExtensionHandlers: []*armcompute.VirtualMachineExtensionHandlerInstanceView{},
			Statuses: []*armcompute.InstanceViewStatus{{
				Code: to.Ptr("ProvisioningState/succeeded"), Level: to.Ptr(armcompute.StatusLevelTypesInfo),
				DisplayStatus: to.Ptr("Ready"), Message: to.Ptr("Guest Agent is running"), Time: when,
			}},
		}
	}
	return iv
}

func hyperVGeneration(sp *armcompute.StorageProfile) armcompute.HyperVGenerationType {
	if sp != nil && sp.ImageReference != nil && strings.Contains(strings.ToLower(deref(sp.ImageReference.SKU)), "gen2") {
		return armcompute.HyperVGenerationTypeV2
	}
	return armcompute.HyperVGenerationTypeV1
}

func osVersion(sp *armcompute.StorageProfile) string {
	if sp != nil && sp.ImageReference != nil {
		o := strings.ToLower(deref(sp.ImageReference.Offer) + " " + deref(sp.ImageReference.SKU))
		switch {
		case strings.Contains(o, "24_04") || strings.Contains(o, "noble"):
			return "24.04"
		case strings.Contains(o, "20_04") || strings.Contains(o, "focal"):
			return "20.04"
		}
	}
	return "22.04"
}

// A power action: the state the VM shows while it runs, the state it ends
// in, and the states it may start from.
type powerAction struct {
	kind        string
	during, end string
	from        []string
}

var powerActions = map[string]powerAction{
	"start":      {"StartVirtualMachineOperation", PowerStarting, PowerRunning, nil},
	"powerOff":   {"PowerOffVirtualMachineOperation", PowerStopping, PowerStopped, nil},
	"deallocate": {"DeallocateVirtualMachineOperation", PowerDeallocating, PowerDeallocated, nil},
	"restart":    {"RestartVirtualMachineOperation", PowerStarting, PowerRunning, []string{PowerRunning}},
}

func registerPowerActions(s *arm.Server) {
	for name, a := range powerActions {
		s.Router.Handle(http.MethodPost, vmPath+"/"+name, "Microsoft.Compute/virtualMachines/"+strings.ToLower(name)+"/action",
			func(c *arm.Context) (*arm.Response, error) { return power(c, name, a) })
	}
}

// power runs a power action: 202 with both polling headers; the VM shows
// the transitional state until the operation ends.
func power(c *arm.Context, name string, a powerAction) (*arm.Response, error) {
	var op *arm.Operation
	err := c.Store().Write(func(tx *store.Tx) error {
		id, aerr := parse(c, tx)
		if aerr != nil {
			return aerr
		}
		var vm armcompute.VirtualMachine
		if tx.Decode(id.String(), &vm) != nil {
			return arm.ResourceNotFound(TypeVirtualMachine, id.Name(), id.ResourceGroup)
		}
		vid := *vm.ID
		if aerr := busy(c, vid); aerr != nil {
			return aerr
		}
		if a.from != nil && !contains(a.from, PowerState(&vm)) {
			return operationNotAllowed("Operation '%s' is not allowed on VM '%s' since the VM is %s.", name, id.Name(), PowerState(&vm))
		}
		setStatus(&vm, stateUpdating, a.during, time.Now())
		if err := tx.Put(vid, TypeVirtualMachine, &vm); err != nil {
			return err
		}
		op = begin(c, tx, a.kind, vid, *vm.Location, func(tx *store.Tx) (any, *arm.Error) {
			var now armcompute.VirtualMachine
			if tx.Decode(vid, &now) != nil {
				return nil, arm.ResourceNotFound(TypeVirtualMachine, id.Name(), id.ResourceGroup)
			}
			setStatus(&now, stateSucceeded, a.end, time.Now())
			return nil, internal(tx.Put(vid, TypeVirtualMachine, &now))
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return asyncAnswer(c, arm.Accepted(), op, true), nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
