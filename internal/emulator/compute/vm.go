package compute

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/network"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

func registerVirtualMachines(s *arm.Server) {
	r := s.Router
	const read, write = "Microsoft.Compute/virtualMachines/read", "Microsoft.Compute/virtualMachines/write"
	r.Handle(http.MethodGet, cmpPath+"/virtualMachines", read, listVirtualMachines)
	r.Handle(http.MethodGet, subPath+"/virtualMachines", read, listVirtualMachines)
	r.Handle(http.MethodGet, vmPath, read, getVirtualMachine)
	r.Handle(http.MethodGet, vmPath+"/instanceView", read, getInstanceView)
	r.Handle(http.MethodPut, vmPath, write, putVirtualMachine)
	r.Handle(http.MethodPatch, vmPath, write, patchVirtualMachine)
	r.Handle(http.MethodDelete, vmPath, "Microsoft.Compute/virtualMachines/delete", deleteVirtualMachine)
	s.OnDelete(TypeVirtualMachine, func(tx *store.Tx, r *store.Resource) { releaseResources(s, tx, r) })
}

// The $expand values of a VM GET.
const (
	expandInstanceView = "instanceView"
	expandUserData     = "userData"
)

// vmView is a VM as GET shows it: the instance view and the user data
// only when asked for with $expand, the admin password never.
func vmView(r *store.Resource, expand string) (*armcompute.VirtualMachine, error) {
	var vm armcompute.VirtualMachine
	if err := json.Unmarshal(r.Body, &vm); err != nil {
		return nil, err
	}
	p := vm.Properties
	if p == nil {
		return &vm, nil
	}
	if strings.EqualFold(expand, expandInstanceView) {
		p.InstanceView = instanceView(&vm)
	} else {
		p.InstanceView = nil
	}
	if !strings.EqualFold(expand, expandUserData) {
		p.UserData = nil
	}
	return &vm, nil
}

// checkExpand refuses $expand values Azure does not know.
func checkExpand(c *arm.Context) (string, *arm.Error) {
	e := c.Query("$expand")
	for _, v := range armcompute.PossibleInstanceViewTypesValues() {
		if strings.EqualFold(e, string(v)) {
			return string(v), nil
		}
	}
	if e != "" {
		return "", invalidParameter("$expand", "The value '%s' of parameter '$expand' is not valid. Allowed values are 'instanceView', 'userData' and 'resiliencyView'.", e)
	}
	return "", nil
}

func getVirtualMachine(c *arm.Context) (*arm.Response, error) {
	expand, aerr := checkExpand(c)
	if aerr != nil {
		return nil, aerr
	}
	var out *armcompute.VirtualMachine
	err := c.Store().Read(func(tx *store.Tx) error {
		id, aerr := parse(c, tx)
		if aerr != nil {
			return aerr
		}
		r, ok := tx.Get(id.String())
		if !ok {
			return arm.ResourceNotFound(TypeVirtualMachine, id.Name(), id.ResourceGroup)
		}
		var err error
		out, err = vmView(r, expand)
		return err
	})
	if err != nil {
		return nil, err
	}
	return arm.OK(out), nil
}

func getInstanceView(c *arm.Context) (*arm.Response, error) {
	var out *armcompute.VirtualMachineInstanceView
	err := c.Store().Read(func(tx *store.Tx) error {
		id, aerr := parse(c, tx)
		if aerr != nil {
			return aerr
		}
		var vm armcompute.VirtualMachine
		if tx.Decode(id.String(), &vm) != nil {
			return arm.ResourceNotFound(TypeVirtualMachine, id.Name(), id.ResourceGroup)
		}
		out = instanceView(&vm)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return arm.OK(out), nil
}

func listVirtualMachines(c *arm.Context) (*arm.Response, error) {
	expand := ""
	if strings.EqualFold(c.Query("$expand"), expandInstanceView) || strings.EqualFold(c.Query("statusOnly"), "true") {
		expand = expandInstanceView
	}
	var items []json.RawMessage
	err := c.Store().Read(func(tx *store.Tx) error {
		scope := "/subscriptions/" + c.Var("subscriptionId")
		if g := c.Var("resourceGroupName"); g != "" {
			scope += "/resourceGroups/" + g
			if _, ok := tx.Get(scope); !ok {
				return arm.ResourceGroupNotFound(g)
			}
		}
		for _, r := range tx.Under(scope, TypeVirtualMachine) {
			vm, err := vmView(r, expand)
			if err != nil {
				return err
			}
			b, _ := json.Marshal(vm)
			items = append(items, b)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c.Paged(items)
}

// deleteVirtualMachine answers 202 with both polling headers; the VM goes
// when the operation ends, and releaseResources frees what it used.
func deleteVirtualMachine(c *arm.Context) (*arm.Response, error) {
	var op *arm.Operation
	err := c.Store().Write(func(tx *store.Tx) error {
		id, aerr := parse(c, tx)
		if aerr != nil {
			return aerr
		}
		var vm armcompute.VirtualMachine
		if tx.Decode(id.String(), &vm) != nil {
			return nil // 204: nothing to delete
		}
		vid := *vm.ID
		if aerr := busy(c, vid); aerr != nil {
			return aerr
		}
		vm.Properties.ProvisioningState = to.Ptr(stateDeleting)
		if err := tx.Put(vid, TypeVirtualMachine, &vm); err != nil {
			return err
		}
		op = begin(c, tx, "DeleteVirtualMachineOperation", vid, *vm.Location, func(tx *store.Tx) (any, *arm.Error) {
			c.DeleteTree(tx, vid)
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

// releaseResources runs as a VM is deleted: its network interfaces are
// detached (or deleted, when their deleteOption says Delete), and its OS
// disk is deleted when the disk's deleteOption says Delete, or else left
// Unattached.
func releaseResources(s *arm.Server, tx *store.Tx, r *store.Resource) {
	var vm armcompute.VirtualMachine
	if json.Unmarshal(r.Body, &vm) != nil || vm.Properties == nil {
		return
	}
	if np := vm.Properties.NetworkProfile; np != nil {
		for _, ref := range np.NetworkInterfaces {
			if ref == nil || ref.ID == nil {
				continue
			}
			if ref.Properties != nil && deref(ref.Properties.DeleteOption) == armcompute.DeleteOptionsDelete {
				_ = network.DetachFromVM(tx, *ref.ID)
				s.DeleteTree(tx, *ref.ID)
				continue
			}
			_ = network.DetachFromVM(tx, *ref.ID) // a NIC deleted first (with its group) has nothing to detach
		}
	}
	if sp := vm.Properties.StorageProfile; sp != nil && sp.OSDisk != nil && sp.OSDisk.ManagedDisk != nil && sp.OSDisk.ManagedDisk.ID != nil {
		diskID := *sp.OSDisk.ManagedDisk.ID
		if deref(sp.OSDisk.DeleteOption) == armcompute.DiskDeleteOptionTypesDelete {
			s.DeleteTree(tx, diskID)
		} else {
			detachDisk(tx, diskID)
		}
	}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
