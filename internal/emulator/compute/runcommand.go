package compute

import (
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// commandShell is the one Linux command this emulator runs; Azure's other
// Linux command, ifconfig, and the Windows ones are refused.
const commandShell = "RunShellScript"

func registerRunCommand(s *arm.Server, run ScriptRunner) {
	s.Router.Handle(http.MethodPost, vmPath+"/runCommand", "Microsoft.Compute/virtualMachines/runCommand/action",
		func(c *arm.Context) (*arm.Response, error) { return runCommand(c, run) })
}

// runCommand runs a script on a running VM as a long-running operation:
// 202 with both polling headers; when the operation ends the script runs
// in the data plane as the network is then, and its output becomes the
// operation's result, shaped as Azure's Linux Run Command reports it.
// A script that fails still reports ProvisioningState/succeeded, as Azure
// does; only its stderr tells.
func runCommand(c *arm.Context, run ScriptRunner) (*arm.Response, error) {
	var in armcompute.RunCommandInput
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	if in.CommandID == nil || *in.CommandID == "" {
		return nil, required("commandId")
	}
	if !strings.EqualFold(*in.CommandID, commandShell) {
		return nil, invalidParameter("commandId", "Run command '%s' is not supported by this emulator for Linux virtual machines; use '%s'.", *in.CommandID, commandShell)
	}
	var script []string
	for _, l := range in.Script {
		if l != nil {
			script = append(script, *l)
		}
	}
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
		if op := c.Ops().Busy(vid); op != nil {
			return arm.Conflict("Conflict", "Run command extension execution is in progress. Please wait for completion before invoking a run command.")
		}
		if PowerState(&vm) != PowerRunning {
			return operationNotAllowed("Cannot modify extensions in the VM when the VM is not running.")
		}
		op = begin(c, tx, "RunCommandOperation", vid, *vm.Location, func(tx *store.Tx) (any, *arm.Error) {
			stdout, stderr := run(tx, vid, script)
			return RunCommandResult(stdout, stderr), nil
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return asyncAnswer(c, arm.Accepted(), op, true), nil
}

// outputLimit is how much of each stream Run Command returns: the last
// 4,096 bytes, as Azure documents.
const outputLimit = 4096

// RunCommandResult is the result of a RunShellScript command as Azure
// reports it: one status whose message carries stdout and stderr.
func RunCommandResult(stdout, stderr string) *armcompute.RunCommandResult {
	if len(stdout) > outputLimit {
		stdout = stdout[len(stdout)-outputLimit:]
	}
	if len(stderr) > outputLimit {
		stderr = stderr[len(stderr)-outputLimit:]
	}
	return &armcompute.RunCommandResult{Value: []*armcompute.InstanceViewStatus{{
		Code:          to.Ptr("ProvisioningState/succeeded"),
		Level:         to.Ptr(armcompute.StatusLevelTypesInfo),
		DisplayStatus: to.Ptr("Provisioning succeeded"),
		Message:       to.Ptr("Enable succeeded: \n[stdout]\n" + stdout + "\n[stderr]\n" + stderr),
	}}}
}
