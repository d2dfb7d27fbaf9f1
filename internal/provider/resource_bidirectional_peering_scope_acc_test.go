package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

func TestAccBidirectionalPeering_crossSubscription(t *testing.T) {
	accPreCheck(t)
	f := newFixture(t, "", "")
	g := newFixture(t, os.Getenv("PEERLAB_EMULATOR_SECOND_SUBSCRIPTION_ID"), "")
	main := f.vnet("main", []string{"10.0.0.0/16"})
	remote := g.vnet("remote", []string{"10.1.0.0/16"})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: accProviders(),
		CheckDestroy:             linksGone(f, g),
		Steps: []resource.TestStep{{
			// One provider block reaches both subscriptions.
			Config:            pairConfig(main, remote, ``, ``, ``),
			ConfigStateChecks: expectConnected(),
			ConfigPlanChecks:  resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Check: func(*terraform.State) error {
				if g.link("remote", "remote-to-main") == nil {
					return fmt.Errorf("link b is not in the second subscription")
				}
				return nil
			},
		}},
	})
}

func TestAccBidirectionalPeering_crossTenant(t *testing.T) {
	accPreCheck(t)
	partnerTenant := os.Getenv("PEERLAB_EMULATOR_SECOND_TENANT_ID")
	f := newFixture(t, "", "")
	g := newFixture(t, os.Getenv("PEERLAB_EMULATOR_SECOND_TENANT_SUBSCRIPTION_ID"), partnerTenant)
	main := f.vnet("main", []string{"10.0.0.0/16"})
	partner := g.vnet("partner", []string{"10.1.0.0/16"})
	body := fmt.Sprintf(`
resource "peerlab_bidirectional_peering" "test" {
  a = { virtual_network_id = %q }
  b = { virtual_network_id = %q }
}
`, main, partner)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: accProviders(),
		CheckDestroy:             linksGone(f, g),
		Steps: []resource.TestStep{
			{
				// Without the partner tenant, Azure refuses the token.
				Config:      accConfig("", body),
				ExpectError: regexp.MustCompile(`(?s)auxiliary_tenant_ids.*InvalidAuthenticationTokenTenant`),
			},
			{
				Config:            accConfig(fmt.Sprintf("auxiliary_tenant_ids = [%q]", partnerTenant), body),
				ConfigStateChecks: expectConnected(),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: func(*terraform.State) error {
					if g.link("partner", "partner-to-main") == nil {
						return fmt.Errorf("link b is not in the partner tenant's subscription")
					}
					return nil
				},
			},
		},
	})
}

// TestAccBidirectionalPeering_noSecretsInTraceLogs runs alone: it sets
// TF_LOG for the whole process.
func TestAccBidirectionalPeering_noSecretsInTraceLogs(t *testing.T) {
	accPreCheck(t)
	logFile := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logFile)
	secret := os.Getenv("ARM_CLIENT_SECRET")
	f := newFixture(t, "", "")
	main := f.vnet("main", []string{"10.0.0.0/16"})
	remote := f.vnet("remote", []string{"10.1.0.0/16"})
	// The secret reaches the provider block through a sensitive variable, as
	// it would in a real configuration (and ARM_CLIENT_SECRET is set too).
	cfg := accConfig("client_secret = var.client_secret", fmt.Sprintf(`
variable "client_secret" {
  type      = string
  sensitive = true
}

resource "peerlab_bidirectional_peering" "test" {
  a = { virtual_network_id = %q }
  b = { virtual_network_id = %q }
}
`, main, remote))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: accProviders(),
		CheckDestroy:             linksGone(f),
		Steps: []resource.TestStep{{
			Config:            cfg,
			ConfigVariables:   config.Variables{"client_secret": config.StringVariable(secret)},
			ConfigStateChecks: expectConnected(),
		}},
	})
	b, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	log := string(b)
	if !strings.Contains(log, "peerlab") || len(log) < 10_000 {
		t.Fatalf("the trace log has %d bytes and does not look like a trace of this test", len(log))
	}
	for name, value := range map[string]string{"the client secret": secret, "the emulator admin key": os.Getenv("PEERLAB_EMULATOR_ADMIN_KEY")} {
		if i := strings.Index(log, value); value != "" && i >= 0 {
			t.Errorf("the trace log contains %s: …%s…", name, log[max(0, i-600):min(len(log), i+100)])
		}
	}
	if i := strings.Index(log, "Bearer ey"); i >= 0 {
		t.Errorf("the trace log contains a bearer token: %q", log[i:min(len(log), i+40)])
	}
	if strings.Contains(log, "access_token") || strings.Contains(log, "client_assertion=") {
		t.Error("the trace log contains a token exchange")
	}
}
