package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

func TestAccOverlappingPrefixesFunction(t *testing.T) {
	accPreCheck(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: accProviders(),
		Steps: []resource.TestStep{
			{
				Config: accConfig("", `
output "overlaps" {
  value = provider::peerlab::overlapping_prefixes(["10.0.0.0/16", "192.168.0.0/24", "fd00:1::/48"], ["10.0.8.0/24", "fd00:1:0:2::/64"])
}
output "none" {
  value = provider::peerlab::overlapping_prefixes(["10.0.0.0/16"], ["10.1.0.0/16"])
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("overlaps", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("10.0.0.0/16"), knownvalue.StringExact("fd00:1::/48")})),
					statecheck.ExpectKnownOutputValue("none", knownvalue.ListSizeExact(0)),
				},
			},
			{
				Config:      accConfig("", `output "bad" { value = provider::peerlab::overlapping_prefixes(["10.0.0.0/16"], ["10.1.0.0"]) }`),
				ExpectError: regexp.MustCompile(`"10\.1\.0\.0" is not a CIDR prefix`),
			},
		},
	})
}
