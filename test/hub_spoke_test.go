package test

import (
	"sort"
	"testing"

	"github.com/gruntwork-io/terratest/modules/terraform"
	test_structure "github.com/gruntwork-io/terratest/modules/test-structure"
)

// TestHubSpokeNotTransitive applies examples/hub-spoke (a hub and three
// spokes, one peering each): the hub's VM and every spoke's VM reach each
// other, but no spoke reaches another spoke, because peering is not
// transitive.
func TestHubSpokeNotTransitive(t *testing.T) {
	t.Parallel()
	dir := workDir(t, "examples/hub-spoke")
	tg := newTarget(t, dir)

	defer test_structure.RunTestStage(t, "teardown", func() {
		opts := tg.load(t, dir)
		terraform.Destroy(t, opts)
		tg.resourceGroupGone(t, opts.Vars["resource_group_name"].(string))
	})

	test_structure.RunTestStage(t, "apply", func() {
		opts := tg.options(dir, map[string]any{
			"resource_group_name": uniqueName("peerlab-hub-spoke-rg"),
			"ssh_public_key":      sshPublicKey(t),
		})
		tg.save(t, dir, opts)
		terraform.InitAndApply(t, opts)
	})

	test_structure.RunTestStage(t, "validate", func() {
		opts := tg.load(t, dir)
		group := terraform.Output(t, opts, "resource_group_name")
		vms := terraform.OutputMap(t, opts, "vm_names")
		ips := terraform.OutputMap(t, opts, "vm_private_ips")
		var peerings map[string]struct {
			ID string `json:"id"`
		}
		terraform.OutputStruct(t, opts, "peerings", &peerings)

		var spokes []string
		for name := range vms {
			if name != "hub" {
				spokes = append(spokes, name)
			}
		}
		sort.Strings(spokes)
		if len(spokes) != 3 || len(peerings) != 3 {
			t.Fatalf("want three spokes and three peerings, got VMs %v and peerings %v", vms, peerings)
		}
		for _, s := range spokes {
			tg.requireConnected(t, peerings[s].ID)
		}
		for _, s := range spokes {
			tg.requirePingLoss(t, group, vms["hub"], vms[s], ips[s], 0)
			tg.requirePingLoss(t, group, vms[s], vms["hub"], ips["hub"], 0)
		}
		for _, from := range spokes {
			for _, to := range spokes {
				if from != to {
					tg.requirePingLoss(t, group, vms[from], vms[to], ips[to], 100)
				}
			}
		}
	})
}
