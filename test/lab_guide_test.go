package test

import (
	"strings"
	"testing"

	"github.com/gruntwork-io/terratest/modules/terraform"
	test_structure "github.com/gruntwork-io/terratest/modules/test-structure"
)

// TestLabGuideAddressPlan gives the Main VNet the lab guide's
// 192.168.0.0/16, which contains the Remote VNet's range: the plan must
// fail with a message naming the overlap, and nothing may be created.
func TestLabGuideAddressPlan(t *testing.T) {
	t.Parallel()
	dir := workDir(t, "examples/lab")
	tg := newTarget(t, dir)

	test_structure.RunTestStage(t, "plan", func() {
		opts := tg.options(dir, map[string]any{
			"resource_group_name": uniqueName("AZ104-VNetPeering-RG"),
			"ssh_public_key":      sshPublicKey(t),
			"main_address_space":  []string{"192.168.0.0/16"},
		})
		tg.save(t, dir, opts)
		out, err := terraform.InitAndApplyE(t, opts)
		if err == nil {
			defer terraform.Destroy(t, opts)
			t.Fatal("apply with the lab guide's overlapping address plan succeeded; want the plan to stop")
		}
		msg := strings.Join(strings.Fields(out+" "+err.Error()), " ")
		for _, want := range []string{"Resource precondition failed", "AZ104-Main-VNet (192.168.0.0/16) and AZ104-Remote-VNet (192.168.1.0/24) overlap", "VnetAddressSpacesOverlap"} {
			if !strings.Contains(msg, want) {
				t.Errorf("the failed plan does not say %q:\n%s", want, out)
			}
		}
	})

	test_structure.RunTestStage(t, "nothing_created", func() {
		opts := tg.load(t, dir)
		tg.resourceGroupGone(t, opts.Vars["resource_group_name"].(string))
		if tg.emu == nil {
			return
		}
		if w := writes(tg.emulatorCalls(t)); len(w) > 0 {
			t.Errorf("the failed plan still changed Azure:\n%s", strings.Join(w, "\n"))
		}
		if ids := tg.emulatorResources(t); len(ids) > 0 {
			t.Errorf("the emulator holds resources after the failed plan:\n%s", strings.Join(ids, "\n"))
		}
	})
}
