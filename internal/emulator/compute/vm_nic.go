package compute

import (
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/network"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// nicRef is a network interface a VM uses, in stored casing.
type nicRef struct {
	id      string
	primary bool
}

// checkInterfaces validates the network profile of a VM: at least one
// NIC; each exists, is in the VM's region and is not used by another VM;
// with several, exactly one is primary. The IDs in the profile are
// rewritten in stored casing.
func checkInterfaces(tx *store.Tx, vmID, location string, np *armcompute.NetworkProfile) ([]nicRef, *arm.Error) {
	if np == nil || len(np.NetworkInterfaces) == 0 {
		return nil, required("networkProfile.networkInterfaces")
	}
	var out []nicRef
	primaries := 0
	for _, ref := range np.NetworkInterfaces {
		if ref == nil || ref.ID == nil || *ref.ID == "" {
			return nil, required("networkProfile.networkInterfaces.id")
		}
		var n armnetwork.Interface
		if tx.Decode(*ref.ID, &n) != nil || n.Properties == nil {
			return nil, arm.NotFound("NotFound", "Resource %s not found.", *ref.ID)
		}
		if !strings.EqualFold(arm.NormalizeLocation(deref(n.Location)), location) {
			return nil, invalidParameter("networkInterfaces", "Network interface %s is in location '%s'; it must be in the location of virtual machine %s, '%s'.", *n.ID, deref(n.Location), vmID, location)
		}
		if vm := n.Properties.VirtualMachine; vm != nil && vm.ID != nil && !arm.SameID(*vm.ID, vmID) {
			return nil, arm.Errorf(http.StatusBadRequest, "NicInUse", "Network Interface %s is used by existing resource %s. A network interface can be attached to one virtual machine only.", *n.ID, *vm.ID)
		}
		for _, o := range out {
			if arm.SameID(o.id, *n.ID) {
				return nil, invalidParameter("networkInterfaces", "Network interface %s is referenced more than once by virtual machine %s.", *n.ID, vmID)
			}
		}
		ref.ID = n.ID
		primary := ref.Properties != nil && deref(ref.Properties.Primary)
		if primary {
			primaries++
		}
		out = append(out, nicRef{id: *n.ID, primary: primary})
	}
	switch {
	case len(out) == 1:
		out[0].primary = true
	case primaries != 1:
		return nil, invalidParameter("networkInterfaces", "Virtual machine %s must have one network interface set as the primary.", vmID)
	}
	return out, nil
}

// checkInterfaceChange refuses to add or remove NICs unless the VM is
// deallocated, as Azure requires.
func checkInterfaceChange(old *armcompute.VirtualMachine, nics []nicRef) *arm.Error {
	before := interfacesOf(old)
	same := len(before) == len(nics)
	for _, n := range nics {
		if !containsID(before, n.id) {
			same = false
		}
	}
	if same || PowerState(old) == PowerDeallocated {
		return nil
	}
	return operationNotAllowed("Network interfaces can be added to or removed from virtual machine %s only while it is deallocated (stopped and deallocated); it is %s.", deref(old.Name), PowerState(old))
}

// attachInterfaces attaches the VM's NICs and detaches those it no longer
// names.
func attachInterfaces(tx *store.Tx, vmID string, nics []nicRef, old *armcompute.VirtualMachine) error {
	for _, id := range interfacesOf(old) {
		keep := false
		for _, n := range nics {
			keep = keep || arm.SameID(n.id, id)
		}
		if !keep {
			_ = network.DetachFromVM(tx, id)
		}
	}
	for _, n := range nics {
		if err := network.AttachToVM(tx, n.id, vmID, n.primary); err != nil {
			return err
		}
	}
	return nil
}

// interfacesOf lists the NIC IDs of a stored VM.
func interfacesOf(vm *armcompute.VirtualMachine) []string {
	if vm == nil || vm.Properties == nil || vm.Properties.NetworkProfile == nil {
		return nil
	}
	var out []string
	for _, ref := range vm.Properties.NetworkProfile.NetworkInterfaces {
		if ref != nil && ref.ID != nil {
			out = append(out, *ref.ID)
		}
	}
	return out
}

func containsID(list []string, id string) bool {
	for _, v := range list {
		if arm.SameID(v, id) {
			return true
		}
	}
	return false
}
