package provider

import (
	"fmt"
	"os"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// TestAccProvider_signInMethods signs in with each method the emulator
// serves, reading a VNet's links through the data source.
func TestAccProvider_signInMethods(t *testing.T) {
	accPreCheck(t)
	f := newFixture(t, "", "")
	hub := f.vnet("hub", []string{"10.0.0.0/16"})
	read := fmt.Sprintf(`
variable "token" {
  type      = string
  sensitive = true
  default   = ""
}

data "peerlab_virtual_network_peerings" "hub" {
  virtual_network_id = %q
}
`, hub)
	listed := []statecheck.StateCheck{statecheck.ExpectKnownValue("data.peerlab_virtual_network_peerings.hub", tfjsonpath.New("peerings"), knownvalue.ListSizeExact(0))}
	// client_secret = "" in the block wins over ARM_CLIENT_SECRET, so the
	// next method in azurerm's order is used.
	noSecret := `client_secret = ""` + "\n  "
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: accProviders(),
		Steps: []resource.TestStep{
			{Config: accConfig("", read), ConfigStateChecks: listed},
			{
				Config:            accConfig(noSecret+fmt.Sprintf("use_oidc = true\n  oidc_token_file_path = %q", os.Getenv("PEERLAB_EMULATOR_OIDC_TOKEN_FILE")), read),
				ConfigStateChecks: listed,
			},
			{
				Config:            accConfig(noSecret+fmt.Sprintf("use_oidc = true\n  oidc_request_url = %q\n  oidc_request_token = var.token", os.Getenv("PEERLAB_EMULATOR_OIDC_REQUEST_URL")), read),
				ConfigVariables:   config.Variables{"token": config.StringVariable(os.Getenv("PEERLAB_EMULATOR_ADMIN_KEY"))},
				ConfigStateChecks: listed,
			},
			{
				Config:      accConfig(noSecret+"use_oidc = true", read),
				ExpectError: regexp.MustCompile(`(?s)use_oidc is set but no token is.*oidc_token \(or ARM_OIDC_TOKEN\)`),
			},
			{
				Config:      accConfig(noSecret+`use_cli = false`, read),
				ExpectError: regexp.MustCompile(`(?s)no way to sign in is configured.*client_secret \(or\s+ARM_CLIENT_SECRET\)`),
			},
			{
				Config:      accConfig(`metadata_host = "127.0.0.1:1"`, read),
				ExpectError: regexp.MustCompile(`metadata_host \(or ARM_METADATA_HOSTNAME\)`),
			},
			{Config: accConfig("", read), ConfigStateChecks: listed},
		},
	})
}
