package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Importing the link of the side that the configuration calls b (or the
// pair ID in b|a order) gives a state with the sides the other way round.
// The plan must re-order them in place, never replace the peering, and the
// apply must not write to Azure.
func TestAccBidirectionalPeering_importTheOtherWayRound(t *testing.T) {
	accPreCheck(t)
	f := newFixture(t, "", "")
	main := f.vnet("main", []string{"10.0.0.0/16"})
	remote := f.vnet("remote", []string{"10.1.0.0/16"})
	// Two links made elsewhere, as two azurerm_virtual_network_peering would.
	f.putLink("main", "main-to-remote", remote)
	f.putLink("remote", "remote-to-main", main)
	mainLink, remoteLink := main+"/virtualNetworkPeerings/main-to-remote", remote+"/virtualNetworkPeerings/remote-to-main"
	guids := [2]string{f.guid("main", "main-to-remote"), f.guid("remote", "remote-to-main")}
	importing := func(id string) string {
		return pairConfig(main, remote, ``, ``, ``) + fmt.Sprintf("\nimport {\n  to = %s\n  id = %q\n}\n", accAddr, id)
	}
	forget := accConfig("", fmt.Sprintf("removed {\n  from = %s\n  lifecycle {\n    destroy = false\n  }\n}\n", accAddr))
	var writes map[string]int
	count := func() map[string]int {
		return map[string]int{"PUT": calls(t, "PUT", f.rg, "/virtualNetworkPeerings/")[200] + calls(t, "PUT", f.rg, "/virtualNetworkPeerings/")[201],
			"DELETE": len(calls(t, "DELETE", f.rg, "/virtualNetworkPeerings/"))}
	}
	reordered := resource.ConfigPlanChecks{
		PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(accAddr, plancheck.ResourceActionUpdate)},
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	}
	oriented := append(expectConnected(),
		statecheck.ExpectKnownValue(accAddr, tfjsonpath.New("id"), knownvalue.StringExact(mainLink+"|"+remoteLink)),
		statecheck.ExpectKnownValue(accAddr, sideValue("a", "id"), knownvalue.StringExact(mainLink)),
		statecheck.ExpectKnownValue(accAddr, sideValue("a", "name"), knownvalue.StringExact("main-to-remote")),
		statecheck.ExpectKnownValue(accAddr, sideValue("b", "name"), knownvalue.StringExact("remote-to-main")),
	)
	untouched := func(*terraform.State) error {
		if now := count(); now["PUT"] != writes["PUT"] || now["DELETE"] != writes["DELETE"] {
			return fmt.Errorf("the re-ordering wrote to Azure: link PUTs %d -> %d, DELETEs %d -> %d", writes["PUT"], now["PUT"], writes["DELETE"], now["DELETE"])
		}
		if f.guid("main", "main-to-remote") != guids[0] || f.guid("remote", "remote-to-main") != guids[1] {
			return fmt.Errorf("a link was recreated")
		}
		return nil
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: accProviders(),
		CheckDestroy:             linksGone(f),
		Steps: []resource.TestStep{
			{
				PreConfig:         func() { writes = count() },
				Config:            importing(remoteLink),
				ConfigPlanChecks:  reordered,
				ConfigStateChecks: oriented,
				Check:             untouched,
			},
			{Config: forget},
			{
				PreConfig:         func() { writes = count() },
				Config:            importing(remoteLink + "|" + mainLink),
				ConfigPlanChecks:  reordered,
				ConfigStateChecks: oriented,
				Check:             untouched,
			},
		},
	})
}
