package test

import (
	"testing"

	"github.com/gruntwork-io/terratest/modules/terraform"
	test_structure "github.com/gruntwork-io/terratest/modules/test-structure"
)

// denyICMPFromMain is an inbound rule on RemoteVM-NSG that comes before
// Allow-ICMP-Inbound (priority 1000).
var denyICMPFromMain = map[string]any{
	"remote": []map[string]any{{
		"name":                  "Deny-ICMP-From-Main",
		"priority":              900,
		"access":                "Deny",
		"protocol":              "Icmp",
		"source_address_prefix": "192.168.0.0/24",
	}},
}

// TestNSGDenyBlocksPing applies examples/lab with a deny rule on
// RemoteVM's NSG: MainVM's pings to RemoteVM are all lost while RemoteVM
// still reaches MainVM (NSGs are stateful and the rule is inbound only);
// without the rule they get through again.
func TestNSGDenyBlocksPing(t *testing.T) {
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
			"resource_group_name":  uniqueName("AZ104-VNetPeering-RG"),
			"ssh_public_key":       sshPublicKey(t),
			"extra_security_rules": denyICMPFromMain,
		})
		tg.save(t, dir, opts)
		terraform.InitAndApply(t, opts)
	})

	test_structure.RunTestStage(t, "validate_denied", func() {
		opts := tg.load(t, dir)
		out := terraform.OutputAll(t, opts)
		group := out["resource_group_name"].(string)
		tg.requireConnected(t, out["peering_id"].(string))
		tg.requirePingLoss(t, group, "MainVM", "RemoteVM", out["remote_vm_private_ip"].(string), 100)
		tg.requirePingLoss(t, group, "RemoteVM", "MainVM", out["main_vm_private_ip"].(string), 0)
	})

	test_structure.RunTestStage(t, "lift_rule", func() {
		opts := tg.load(t, dir)
		delete(opts.Vars, "extra_security_rules")
		tg.save(t, dir, opts)
		terraform.Apply(t, opts)
		out := terraform.OutputAll(t, opts)
		tg.requirePingLoss(t, out["resource_group_name"].(string), "MainVM", "RemoteVM", out["remote_vm_private_ip"].(string), 0)
	})
}
