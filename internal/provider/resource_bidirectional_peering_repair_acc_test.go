package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// expectRepairPlanFrom: the plan reads the sides in these states and
// brings both to Connected.
func expectRepairPlanFrom(a, b string) []plancheck.PlanCheck {
	return append(expectRepairPlan(), plancheck.ExpectResourceAction(accAddr, plancheck.ResourceActionUpdate), stateWas(a, b))
}

// stateWas checks the prior states of the sides in the plan.
func stateWas(a, b string) plancheck.PlanCheck { return priorStates{a, b} }

type priorStates struct{ a, b string }

func (p priorStates) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != accAddr {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		for side, want := range map[string]string{"a": p.a, "b": p.b} {
			s, _ := before[side].(map[string]any)
			if got, _ := s["peering_state"].(string); got != want {
				resp.Error = fmt.Errorf("side %s was %q before the apply, want %q", side, got, want)
			}
		}
		return
	}
	resp.Error = fmt.Errorf("%s is not in the plan", accAddr)
}

// expectRepairPlan: an update that brings both sides back to Connected.
func expectRepairPlan() []plancheck.PlanCheck {
	return []plancheck.PlanCheck{
		plancheck.ExpectResourceAction(accAddr, plancheck.ResourceActionUpdate),
		plancheck.ExpectKnownValue(accAddr, sideValue("a", "peering_state"), knownvalue.StringExact("Connected")),
		plancheck.ExpectKnownValue(accAddr, sideValue("b", "peering_state"), knownvalue.StringExact("Connected")),
	}
}

func TestAccBidirectionalPeering_repairsADeletedSide(t *testing.T) {
	accPreCheck(t)
	f := newFixture(t, "", "")
	main := f.vnet("main", []string{"10.0.0.0/16"})
	remote := f.vnet("remote", []string{"10.1.0.0/16"})
	cfg := pairConfig(main, remote, ``, ``, ``)
	guids := map[string]string{}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: accProviders(),
		CheckDestroy:             linksGone(f),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: func(*terraform.State) error {
					guids["a"], guids["b"] = f.guid("main", "main-to-remote"), f.guid("remote", "remote-to-main")
					return nil
				},
			},
			{
				// Someone deletes link b in the portal: the refresh records it.
				PreConfig:          func() { f.deleteLink("remote", "remote-to-main") },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(accAddr, "a.peering_state", "Disconnected"),
					resource.TestCheckResourceAttr(accAddr, "b.peering_state", "Missing"),
					resource.TestCheckResourceAttr(accAddr, "connected", "false"),
				),
			},
			{
				Config:            cfg,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: expectRepairPlan(), PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: expectConnected(),
				Check: func(*terraform.State) error {
					// Only the deleted side is new; a was put back in place.
					if g := f.guid("main", "main-to-remote"); g != guids["a"] {
						return fmt.Errorf("link a was recreated (%s → %s)", guids["a"], g)
					}
					if g := f.guid("remote", "remote-to-main"); g == "" || g == guids["b"] {
						return fmt.Errorf("link b was not recreated (%q)", g)
					}
					return nil
				},
			},
		},
	})
}

func TestAccBidirectionalPeering_repairsADisconnectedSide(t *testing.T) {
	accPreCheck(t)
	f := newFixture(t, "", "")
	main := f.vnet("main", []string{"10.0.0.0/16"})
	remote := f.vnet("remote", []string{"10.1.0.0/16"})
	cfg := pairConfig(main, remote, `allow_forwarded_traffic = true`, ``, ``)
	var guidA string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: accProviders(),
		CheckDestroy:             linksGone(f),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check:  func(*terraform.State) error { guidA = f.guid("main", "main-to-remote"); return nil },
			},
			{
				// The remote VNet is deleted and created again: its link goes
				// with it and link a turns Disconnected, for good.
				PreConfig: func() {
					f.deleteVNet("remote")
					f.vnet("remote", []string{"10.1.0.0/16"})
				},
				Config:            cfg,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: expectRepairPlan(), PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: expectConnected(),
				Check: func(*terraform.State) error {
					if g := f.guid("main", "main-to-remote"); g != guidA {
						return fmt.Errorf("the Disconnected side was recreated rather than put back (%s → %s)", guidA, g)
					}
					return nil
				},
			},
		},
	})
}

func TestAccBidirectionalPeering_resyncsAResizedVNet(t *testing.T) {
	accPreCheck(t)
	f := newFixture(t, "", "")
	main := f.vnet("main", []string{"10.0.0.0/16"})
	remote := f.vnet("remote", []string{"10.1.0.0/16"})
	cfg := pairConfig(main, remote, ``, ``, ``)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: accProviders(),
		CheckDestroy:             linksGone(f),
		Steps: []resource.TestStep{
			{Config: cfg, ConfigStateChecks: expectConnected()},
			{
				PreConfig:          func() { f.resize("remote", "10.1.0.0/16", "10.2.0.0/16") },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(accAddr, "a.sync_level", "RemoteNotInSync"),
					resource.TestCheckResourceAttr(accAddr, "b.sync_level", "LocalNotInSync"),
					resource.TestCheckResourceAttr(accAddr, "a.peering_state", "Connected"),
				),
			},
			{
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: expectRepairPlan(), PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: append(expectConnected(),
					statecheck.ExpectKnownValue(accAddr, sideValue("a", "remote_address_space"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("10.1.0.0/16"), knownvalue.StringExact("10.2.0.0/16"),
					}))),
				Check: func(*terraform.State) error {
					if n := calls(t, "PUT", f.rg, "/virtualNetworkPeerings/")[http.StatusOK]; n < 2 {
						return fmt.Errorf("%d successful link updates, want the two syncs", n)
					}
					return nil
				},
			},
		},
	})
}

func TestAccBidirectionalPeering_rollsBackWhenTheSecondLinkFails(t *testing.T) {
	accPreCheck(t)
	f := newFixture(t, "", "")
	main := f.vnet("main", []string{"10.0.0.0/16"})
	remote := f.vnet("remote", []string{"10.1.0.0/16"})
	fault(t, "PUT", "/resourceGroups/"+f.rg+"/providers/Microsoft.Network/virtualNetworks/remote/virtualNetworkPeerings/", 1, 400, "InvalidRequestFormat", 0)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: accProviders(),
		Steps: []resource.TestStep{
			{
				Config:      pairConfig(main, remote, ``, ``, ``),
				ExpectError: regexp.MustCompile(`(?s)Could not create peering.*creating link b.*InvalidRequestFormat.*Rolled back: deleted link a`),
			},
			{
				Config: accConfig("", ""),
				Check: func(*terraform.State) error {
					if f.link("main", "main-to-remote") != nil || f.link("remote", "remote-to-main") != nil {
						return fmt.Errorf("a half peering is left behind")
					}
					return nil
				},
			},
		},
	})
}

func TestAccBidirectionalPeering_retriesBusyAndThrottledCalls(t *testing.T) {
	accPreCheck(t)
	f := newFixture(t, "", "")
	main := f.vnet("main", []string{"10.0.0.0/16"})
	remote := f.vnet("remote", []string{"10.1.0.0/16"})
	base := "/resourceGroups/" + f.rg + "/providers/Microsoft.Network/virtualNetworks/"
	fault(t, "PUT", base+"main/virtualNetworkPeerings/", 2, 409, "AnotherOperationInProgress", 0)
	fault(t, "PUT", base+"remote/virtualNetworkPeerings/", 2, 429, "TooManyRequests", 1)
	fault(t, "PUT", base+"remote/virtualNetworkPeerings/", 1, 400, "ReferencedResourceNotProvisioned", 0)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: accProviders(),
		CheckDestroy:             linksGone(f),
		Steps: []resource.TestStep{{
			Config:            pairConfig(main, remote, ``, ``, ``),
			ConfigStateChecks: expectConnected(),
			Check: func(*terraform.State) error {
				a := calls(t, "PUT", f.rg, "/virtualNetworks/main/virtualNetworkPeerings/")
				b := calls(t, "PUT", f.rg, "/virtualNetworks/remote/virtualNetworkPeerings/")
				if a[http.StatusConflict] != 2 || b[http.StatusTooManyRequests] != 2 || b[http.StatusBadRequest] != 1 {
					return fmt.Errorf("answers seen: a %v, b %v", a, b)
				}
				return nil
			},
		}},
	})
}

// TestAccBidirectionalPeering_twentySpokesOnOneHub runs on an emulator of
// its own with the realistic profile, where a VNet busy with one operation
// refuses another (AnotherOperationInProgress) and writes take time.
func TestAccBidirectionalPeering_twentySpokesOnOneHub(t *testing.T) {
	accPreCheck(t)
	emu := startRealisticEmulator(t)
	f := newFixtureOn(t, emu, "", "")
	hub := f.vnet("hub", []string{"10.0.0.0/16"})
	body := ""
	for i := 1; i <= 20; i++ {
		spoke := f.vnet(fmt.Sprintf("spoke%02d", i), []string{fmt.Sprintf("10.%d.0.0/16", 100+i)})
		body += fmt.Sprintf(`
resource "peerlab_bidirectional_peering" "spoke%02d" {
  a = { virtual_network_id = %q }
  b = { virtual_network_id = %q }
}
`, i, hub, spoke)
	}
	body += `
variable "client_secret" {
  type      = string
  sensitive = true
}

output "all_connected" {
  value = alltrue([for p in [` + spokeRefs() + `] : p.connected])
}
`
	creds := emu.Credentials()
	settings := fmt.Sprintf("metadata_host = %q\n  tenant_id = %q\n  client_id = %q\n  client_secret = var.client_secret", emu.Host, creds.TenantID, creds.ClientID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: accProviders(),
		CheckDestroy:             linksGone(f),
		Steps: []resource.TestStep{{
			// Terraform applies ten resources at a time by default.
			Config:            accConfig(settings, body),
			ConfigVariables:   config.Variables{"client_secret": config.StringVariable(creds.ClientSecret)},
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownOutputValue("all_connected", knownvalue.Bool(true))},
			ConfigPlanChecks:  resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Check: func(*terraform.State) error {
				// Every hub link was created once, and the per-VNet locks left
				// nothing for Azure to refuse as a concurrent change.
				links := callsOn(t, emu, "PUT", f.rg, "/virtualNetworks/hub/virtualNetworkPeerings/")
				if links[http.StatusCreated] != 20 || links[http.StatusConflict] != 0 {
					return fmt.Errorf("hub link writes by status: %v", links)
				}
				return nil
			},
		}},
	})
}

func spokeRefs() string {
	s := ""
	for i := 1; i <= 20; i++ {
		s += fmt.Sprintf("peerlab_bidirectional_peering.spoke%02d, ", i)
	}
	return s
}
