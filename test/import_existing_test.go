package test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/gruntwork-io/terratest/modules/terraform"
	test_structure "github.com/gruntwork-io/terratest/modules/test-structure"
)

// TestImportExisting runs examples/import-existing in its two steps on one
// state: step 1 creates a peering as two azurerm_virtual_network_peering
// links; step 2 takes them over as one peerlab_bidirectional_peering with
// removed {} and import {} blocks. Step 2's plan holds only the import and
// the two forgotten links — nothing to create, update or delete — the
// apply changes nothing in Azure, and the next plan is empty.
func TestImportExisting(t *testing.T) {
	t.Parallel()
	dir := workDir(t, "examples/import-existing")
	step1 := filepath.Join(dir, "step1-azurerm-links")
	step2 := filepath.Join(dir, "step2-peerlab")
	tg := newTarget(t, dir)

	defer test_structure.RunTestStage(t, "teardown", func() {
		// Whichever configuration matches the state destroys it.
		last := step1
		if test_structure.IsTestDataPresent(t, test_structure.FormatTestDataPath(step2, "TerraformOptions.json")) {
			last = step2
		}
		opts := tg.load(t, last)
		terraform.Destroy(t, opts)
		tg.resourceGroupGone(t, opts.Vars["resource_group_name"].(string))
	})

	test_structure.RunTestStage(t, "azurerm_links", func() {
		opts := tg.options(step1, map[string]any{"resource_group_name": uniqueName("peerlab-import-rg")})
		tg.save(t, step1, opts)
		terraform.InitAndApply(t, opts)
	})

	test_structure.RunTestStage(t, "adopt", func() {
		opts := tg.options(step2, tg.load(t, step1).Vars)
		tg.save(t, step2, opts)
		before := writes(tg.emulatorCalls(t))

		opts.PlanFilePath = filepath.Join(t.TempDir(), "adopt.tfplan")
		plan := terraform.InitAndPlanAndShowWithStruct(t, opts)
		want := map[string]string{
			"peerlab_bidirectional_peering.main_remote":      "import",
			"azurerm_virtual_network_peering.main_to_remote": "forget",
			"azurerm_virtual_network_peering.remote_to_main": "forget",
		}
		for addr, rc := range plan.ResourceChangesMap {
			var actions []string
			for _, a := range rc.Change.Actions {
				actions = append(actions, string(a))
			}
			got := strings.Join(actions, ",")
			if got == "no-op" && rc.Change.Importing != nil {
				got = "import"
			}
			w := want[addr]
			if w == "" {
				w = "no-op"
			}
			if got != w {
				t.Errorf("step 2 plans %s for %s, want %s", got, addr, w)
			}
			delete(want, addr)
		}
		for addr, w := range want {
			t.Errorf("step 2's plan has no %s for %s", w, addr)
		}
		if t.Failed() {
			t.FailNow()
		}

		terraform.Apply(t, opts)
		if w := writes(tg.emulatorCalls(t)); len(w) != len(before) {
			t.Errorf("taking the links over changed Azure:\n%s", strings.Join(w[len(before):], "\n"))
		}
		opts.PlanFilePath = ""
		if code := terraform.PlanExitCode(t, opts); code != 0 {
			t.Errorf("the plan after the takeover is not empty (terraform plan -detailed-exitcode exited %d)", code)
		}
		if got := terraform.Output(t, opts, "peering_connected"); got != "true" {
			t.Errorf("peering_connected is %s after the takeover, want true", got)
		}
		tg.requireConnected(t, terraform.Output(t, opts, "peering_id"))
	})
}
