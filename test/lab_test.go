package test

import (
	"strings"
	"testing"

	azureHelpers "github.com/gruntwork-io/terratest/modules/azure"
	"github.com/gruntwork-io/terratest/modules/terraform"
	test_structure "github.com/gruntwork-io/terratest/modules/test-structure"
)

// TestLab applies examples/lab (the AZ-104 peering lab module), checks
// that both links are Connected, pings MainVM -> RemoteVM and back through
// Run Command with no loss, finds the Remote VNet in MainVM's effective
// routes via VNetPeering, and destroys it all.
func TestLab(t *testing.T) {
	t.Parallel()
	dir := workDir(t, "examples/lab")
	tg := newTarget(t, dir)

	defer test_structure.RunTestStage(t, "teardown", func() {
		opts := tg.load(t, dir)
		terraform.Destroy(t, opts)
		tg.resourceGroupGone(t, opts.Vars["resource_group_name"].(string))
	})

	test_structure.RunTestStage(t, "apply", func() {
		opts := tg.options(dir, map[string]any{
			"resource_group_name": uniqueName("AZ104-VNetPeering-RG"),
			"ssh_public_key":      sshPublicKey(t),
		})
		tg.save(t, dir, opts)
		terraform.InitAndApply(t, opts)
	})

	test_structure.RunTestStage(t, "validate", func() {
		opts := tg.load(t, dir)
		out := terraform.OutputAll(t, opts)
		group := out["resource_group_name"].(string)
		mainIP, remoteIP := out["main_vm_private_ip"].(string), out["remote_vm_private_ip"].(string)

		// The lab guide's addresses: the first usable address of each subnet.
		if mainIP != "192.168.0.4" || remoteIP != "192.168.1.4" {
			t.Errorf("MainVM has %s and RemoteVM %s, want 192.168.0.4 and 192.168.1.4", mainIP, remoteIP)
		}
		for _, vm := range []struct{ name, location string }{{"MainVM", "eastus"}, {"RemoteVM", "westus"}} {
			got, err := azureHelpers.GetVirtualMachineWithClient(t.Context(), tg.vmsClient(t), group, vm.name)
			if err != nil {
				t.Fatalf("reading %s: %v", vm.name, err)
			}
			if size := string(*got.Properties.HardwareProfile.VMSize); size != "Standard_B1s" || !strings.EqualFold(*got.Location, vm.location) {
				t.Errorf("%s is a %s in %s, want a Standard_B1s in %s", vm.name, size, *got.Location, vm.location)
			}
		}

		tg.requireConnected(t, out["peering_id"].(string))
		for _, name := range []string{"main_to_remote_state", "remote_to_main_state"} {
			if out[name] != "Connected" {
				t.Errorf("output %s is %v, want Connected", name, out[name])
			}
		}
		tg.requirePingLoss(t, group, "MainVM", "RemoteVM", remoteIP, 0)
		tg.requirePingLoss(t, group, "RemoteVM", "MainVM", mainIP, 0)
		tg.requireRoute(t, group, "MainVM-nic", "192.168.1.0/24", "VNetPeering")

		if code := terraform.PlanExitCode(t, opts); code != 0 {
			t.Errorf("the plan after apply is not empty (terraform plan -detailed-exitcode exited %d)", code)
		}
	})
}
