package dataplane

import (
	"strings"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// RunShellScript runs a Run Command script on a VM: the lines joined as
// one bash script, run as root against the network as it is now. It is
// the compute package's ScriptRunner.
func RunShellScript(tx *store.Tx, vmID string, script []string) (stdout, stderr string) {
	w := Snapshot(tx)
	vm := w.VM(vmID)
	if vm == nil {
		return "", "bash: the virtual machine is gone\n"
	}
	stdout, stderr, _ = NewShell(w, vm).Run(strings.Join(script, "\n"))
	return stdout, stderr
}
