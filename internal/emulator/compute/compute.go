// Package compute serves Microsoft.Compute as azurerm's
// azurerm_linux_virtual_machine and the armcompute SDK use it: virtual
// machines with their instance view and power actions, managed disks (the
// OS disk is one, created with its VM), the operation-status documents of
// the compute resource provider, and Run Command, whose scripts run in the
// simulated data plane.
package compute

import (
	"net/http"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// Stored resource types.
const (
	TypeVirtualMachine = "Microsoft.Compute/virtualMachines"
	TypeDisk           = "Microsoft.Compute/disks"
)

// Base paths of the routing table.
const (
	rgPath   = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}"
	subPath  = "/subscriptions/{subscriptionId}/providers/Microsoft.Compute"
	cmpPath  = rgPath + "/providers/Microsoft.Compute"
	vmPath   = cmpPath + "/virtualMachines/{vmName}"
	diskPath = cmpPath + "/disks/{diskName}"
)

// Provisioning states as the compute resource provider spells them.
const (
	stateCreating  = "Creating"
	stateUpdating  = "Updating"
	stateDeleting  = "Deleting"
	stateSucceeded = "Succeeded"
)

// ScriptRunner runs a RunShellScript script on a virtual machine in the
// simulated data plane, inside the write transaction that completes the
// Run Command operation, and returns what the script wrote.
type ScriptRunner func(tx *store.Tx, vmID string, script []string) (stdout, stderr string)

// Register adds Microsoft.Compute to the routing table and its delete
// hooks; run executes Run Command scripts.
func Register(s *arm.Server, run ScriptRunner) {
	registerVirtualMachines(s)
	registerPowerActions(s)
	registerRunCommand(s, run)
	registerDisks(s)
	registerOperations(s)
}

// parse builds the ID of the VM or disk a request names (an action such
// as …/runCommand included), checks its resource group, and returns it in
// canonical casing: the group and the name as they were created, the
// provider and type as ARM spells them.
func parse(c *arm.Context, tx *store.Tx) (arm.ID, *arm.Error) {
	typ, name := "virtualMachines", c.Var("vmName")
	if name == "" {
		typ, name = "disks", c.Var("diskName")
	}
	id := arm.ID{Subscription: c.Var("subscriptionId"), ResourceGroup: c.Var("resourceGroupName"), Provider: "Microsoft.Compute", Types: []string{typ}, Names: []string{name}}
	if _, aerr := arm.RequireGroup(tx, id); aerr != nil {
		return id, aerr
	}
	return arm.CanonicalID(tx, id), nil
}

// invalidParameter is the compute resource provider's usual 400: code
// InvalidParameter with the offending property as target.
func invalidParameter(target, format string, args ...any) *arm.Error {
	e := arm.BadRequest("InvalidParameter", format, args...)
	e.Target = target
	return e
}

// operationNotAllowed is the 409 for an action the resource's state does
// not allow.
func operationNotAllowed(format string, args ...any) *arm.Error {
	return arm.Errorf(http.StatusConflict, "OperationNotAllowed", format, args...)
}

// busy answers while another operation holds the resource: compute's
// OperationNotAllowed with the running operation named (unconfirmed
// wording).
func busy(c *arm.Context, id string) *arm.Error {
	if op := c.Ops().Busy(id); op != nil {
		return arm.Errorf(http.StatusConflict, "OperationNotAllowed",
			"Operation '%s' is not allowed since the resource %s is busy with operation '%s'. Retry after it completes.", c.Req.Method, id, op.Kind)
	}
	return nil
}

// internal turns a store failure into a 500, and nil into nil.
func internal(err error) *arm.Error {
	if err == nil {
		return nil
	}
	return arm.Internal(err)
}
