package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const accAddr = "peerlab_bidirectional_peering.test"

// pairConfig is one peering between two VNet IDs; side settings are HCL
// lines added inside a and b, top is added at the top level.
func pairConfig(aVNet, bVNet, aSettings, bSettings, top string) string {
	return accConfig("", fmt.Sprintf(`
resource "peerlab_bidirectional_peering" "test" {
  a = {
    virtual_network_id = %q
    %s
  }
  b = {
    virtual_network_id = %q
    %s
  }
  %s
}
`, aVNet, aSettings, bVNet, bSettings, top))
}

func sideValue(side, attr string) tfjsonpath.Path { return tfjsonpath.New(side).AtMapKey(attr) }

func expectConnected() []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(accAddr, sideValue("a", "peering_state"), knownvalue.StringExact("Connected")),
		statecheck.ExpectKnownValue(accAddr, sideValue("b", "peering_state"), knownvalue.StringExact("Connected")),
		statecheck.ExpectKnownValue(accAddr, sideValue("a", "sync_level"), knownvalue.StringExact("FullyInSync")),
		statecheck.ExpectKnownValue(accAddr, sideValue("b", "sync_level"), knownvalue.StringExact("FullyInSync")),
		statecheck.ExpectKnownValue(accAddr, tfjsonpath.New("connected"), knownvalue.Bool(true)),
	}
}

// stateID reads the pair ID, or one side's link ID, from state.
func stateID(side string) resource.ImportStateIdFunc {
	return func(s *terraform.State) (string, error) {
		rs, ok := s.RootModule().Resources[accAddr]
		if !ok {
			return "", fmt.Errorf("%s is not in state", accAddr)
		}
		if side == "" {
			return rs.Primary.ID, nil
		}
		return rs.Primary.Attributes[side+".id"], nil
	}
}

func TestAccBidirectionalPeering_wholeAndImport(t *testing.T) {
	accPreCheck(t)
	f := newFixture(t, "", "")
	main := f.vnet("main", []string{"10.0.0.0/16"}, "default=10.0.1.0/24")
	remote := f.vnet("remote", []string{"10.1.0.0/16"}, "default=10.1.1.0/24")
	cfg := pairConfig(main, remote, `name = "Main-to-Remote"`, ``, ``)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: accProviders(),
		CheckDestroy:             linksGone(f),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: append(expectConnected(),
					statecheck.ExpectKnownValue(accAddr, sideValue("b", "name"), knownvalue.StringExact("remote-to-main")),
					statecheck.ExpectKnownValue(accAddr, sideValue("a", "id"), knownvalue.StringExact(main+"/virtualNetworkPeerings/Main-to-Remote")),
					statecheck.ExpectKnownValue(accAddr, tfjsonpath.New("id"), knownvalue.StringExact(main+"/virtualNetworkPeerings/Main-to-Remote|"+remote+"/virtualNetworkPeerings/remote-to-main")),
					statecheck.ExpectKnownValue(accAddr, sideValue("a", "remote_address_space"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("10.1.0.0/16")})),
					statecheck.ExpectKnownValue(accAddr, sideValue("b", "allow_virtual_network_access"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(accAddr, sideValue("b", "subnet_names"), knownvalue.Null()),
				),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: func(*terraform.State) error {
					if f.link("main", "Main-to-Remote") == nil || f.link("remote", "remote-to-main") == nil {
						return fmt.Errorf("a link is missing in Azure")
					}
					return nil
				},
			},
			{ResourceName: accAddr, ImportState: true, ImportStateIdFunc: stateID(""), ImportStateVerify: true},
			{ResourceName: accAddr, ImportState: true, ImportStateIdFunc: stateID("a"), ImportStateVerify: true},
			{ResourceName: accAddr, ImportState: true, ImportStateIdFunc: stateID("a"), ImportStateKind: resource.ImportBlockWithID, Config: cfg},
			{
				ResourceName:  accAddr,
				ImportState:   true,
				ImportStateId: main,
				ExpectError:   regexp.MustCompile(`(?s)is a virtual network ID, which cannot be imported.*peerlab_virtual_network_peerings`),
			},
		},
	})
}

func TestAccBidirectionalPeering_subnets(t *testing.T) {
	accPreCheck(t)
	f := newFixture(t, "", "")
	// The VNets share 10.0.0.0/16; only subnets outside it are peered.
	main := f.vnet("main", []string{"10.0.0.0/16", "10.10.0.0/16"}, "shared=10.0.1.0/24", "apps=10.10.1.0/24", "jobs=10.10.2.0/24")
	remote := f.vnet("remote", []string{"10.0.0.0/16", "10.20.0.0/16"}, "shared=10.0.1.0/24", "services=10.20.1.0/24")
	var guid string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: accProviders(),
		CheckDestroy:             linksGone(f),
		Steps: []resource.TestStep{
			{
				Config: pairConfig(main, remote, `subnet_names = ["apps"]`, `subnet_names = ["services"]`, ``),
				ConfigStateChecks: append(expectConnected(),
					statecheck.ExpectKnownValue(accAddr, sideValue("a", "subnet_names"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("apps")})),
				),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: func(*terraform.State) error {
					l := f.link("main", "main-to-remote")
					if l == nil || *l.Properties.PeerCompleteVnets {
						return fmt.Errorf("link a is not a subnet peering: %+v", l)
					}
					guid = *l.Properties.ResourceGUID
					return nil
				},
			},
			{
				Config: pairConfig(main, remote, `subnet_names = ["apps", "jobs"]`, `subnet_names = ["services"]`, ``),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(accAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: expectConnected(),
				Check: func(*terraform.State) error {
					if g := f.guid("main", "main-to-remote"); g != guid {
						return fmt.Errorf("changing the subnet list recreated link a (%s → %s)", guid, g)
					}
					return nil
				},
			},
			{
				// Whole-VNet peering of these VNets would overlap: the plan stops.
				Config:      pairConfig(main, remote, ``, ``, ``),
				ExpectError: regexp.MustCompile(`Address spaces overlap`),
			},
		},
	})
}

func TestAccBidirectionalPeering_overlapStopsThePlan(t *testing.T) {
	accPreCheck(t)
	f := newFixture(t, "", "")
	main := f.vnet("main", []string{"10.0.0.0/16"})
	remote := f.vnet("remote", []string{"10.0.128.0/17", "192.168.0.0/24"})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: accProviders(),
		Steps: []resource.TestStep{
			{
				Config:      pairConfig(main, remote, ``, ``, ``),
				ExpectError: regexp.MustCompile(`(?s)Address spaces overlap.*10\.0\.0\.0/16 overlaps 10\.0\.128\.0/17.*such\s+as\s+10\.1\.0\.0/17.*subnet_names`),
			},
			{
				Config: accConfig("", ""),
				Check: func(*terraform.State) error {
					if n := calls(t, "PUT", f.rg, "/virtualNetworkPeerings/"); len(n) != 0 {
						return fmt.Errorf("links were written although the plan failed: %v", n)
					}
					return nil
				},
			},
		},
	})
}

func TestAccBidirectionalPeering_updateInPlace(t *testing.T) {
	accPreCheck(t)
	f := newFixture(t, "", "")
	main := f.vnet("main", []string{"10.0.0.0/16"})
	remote := f.vnet("remote", []string{"10.1.0.0/16"})
	guids := map[string]string{}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: accProviders(),
		CheckDestroy:             linksGone(f),
		Steps: []resource.TestStep{
			{
				Config:            pairConfig(main, remote, ``, ``, ``),
				ConfigStateChecks: expectConnected(),
				Check: func(*terraform.State) error {
					guids["a"], guids["b"] = f.guid("main", "main-to-remote"), f.guid("remote", "remote-to-main")
					return nil
				},
			},
			{
				Config: pairConfig(main, remote, `allow_forwarded_traffic = true`, `allow_virtual_network_access = false
    allow_forwarded_traffic = true`, `sync_address_space = false`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(accAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: append(expectConnected(),
					statecheck.ExpectKnownValue(accAddr, sideValue("b", "allow_virtual_network_access"), knownvalue.Bool(false))),
				Check: func(*terraform.State) error {
					a, b := f.link("main", "main-to-remote"), f.link("remote", "remote-to-main")
					if !*a.Properties.AllowForwardedTraffic || *b.Properties.AllowVirtualNetworkAccess || !*b.Properties.AllowForwardedTraffic {
						return fmt.Errorf("flags not applied in Azure")
					}
					if *a.Properties.ResourceGUID != guids["a"] || *b.Properties.ResourceGUID != guids["b"] {
						return fmt.Errorf("an in-place update recreated a link")
					}
					return nil
				},
			},
		},
	})
}

func TestAccBidirectionalPeering_existingLinkNeedsImport(t *testing.T) {
	accPreCheck(t)
	f := newFixture(t, "", "")
	main := f.vnet("main", []string{"10.0.0.0/16"})
	remote := f.vnet("remote", []string{"10.1.0.0/16"})
	// Half a peering made in the portal: only main's link exists.
	f.putLink("main", "main-to-remote", remote)
	pairID := main + "/virtualNetworkPeerings/main-to-remote|" + remote + "/virtualNetworkPeerings/remote-to-main"
	cfg := pairConfig(main, remote, ``, ``, ``)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: accProviders(),
		CheckDestroy:             linksGone(f),
		Steps: []resource.TestStep{
			{
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)already exists.*terraform\s+import\s+peerlab_bidirectional_peering\.<name>\s+'` + regexp.QuoteMeta(main) + `/virtualNetworkPeerings/main-to-remote\|`),
			},
			{
				// Imported with an import block, the half pair is completed
				// by creating the missing link only.
				Config: cfg + fmt.Sprintf("\nimport {\n  to = %s\n  id = %q\n}\n", accAddr, pairID),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             expectRepairPlanFrom("Initiated", "Missing"),
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: expectConnected(),
			},
		},
	})
}
