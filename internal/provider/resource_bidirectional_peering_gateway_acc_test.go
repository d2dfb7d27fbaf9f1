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
)

// A spoke uses the hub's VPN gateway: the hub's link, which allows gateway
// transit, must exist before the spoke's link that uses remote gateways
// (Azure refuses the other order), and both change in place.
func TestAccBidirectionalPeering_gatewayTransit(t *testing.T) {
	accPreCheck(t)
	f := newFixture(t, "", "")
	hub := f.vnet("hub", []string{"10.0.0.0/16"}, "default=10.0.1.0/24", "GatewaySubnet=10.0.255.0/27")
	f.gateway("hub")
	bare := f.vnet("bare", []string{"10.2.0.0/16"}, "default=10.2.1.0/24")
	spoke := f.vnet("spoke", []string{"10.1.0.0/16"}, "default=10.1.1.0/24")
	uses, offers := `use_remote_gateways = true`, `allow_gateway_transit = true`
	var guids [2]string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: accProviders(),
		CheckDestroy:             linksGone(f),
		Steps: []resource.TestStep{
			{
				// A remote VNet without a gateway stops the plan.
				Config:      pairConfig(spoke, bare, uses, offers, ``),
				ExpectError: regexp.MustCompile(`(?s)No gateway in the remote virtual network.*has no virtual network gateway`),
			},
			{
				Config: pairConfig(spoke, hub, uses, offers, ``),
				ConfigStateChecks: append(expectConnected(),
					statecheck.ExpectKnownValue(accAddr, sideValue("a", "use_remote_gateways"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(accAddr, sideValue("b", "allow_gateway_transit"), knownvalue.Bool(true)),
				),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: func(*terraform.State) error {
					if l := f.link("bare", "bare-to-spoke"); l != nil {
						return fmt.Errorf("the refused plan left a link on the bare VNet")
					}
					a, b := f.link("spoke", "spoke-to-hub"), f.link("hub", "hub-to-spoke")
					if !*a.Properties.UseRemoteGateways || !*b.Properties.AllowGatewayTransit {
						return fmt.Errorf("gateway transit is not set in Azure: use %v, allow %v", *a.Properties.UseRemoteGateways, *b.Properties.AllowGatewayTransit)
					}
					guids = [2]string{*a.Properties.ResourceGUID, *b.Properties.ResourceGUID}
					return nil
				},
			},
			{ResourceName: accAddr, ImportState: true, ImportStateIdFunc: stateID("a"), ImportStateVerify: true},
			{
				// Turned off: the spoke stops using the gateway before the
				// hub stops offering it, and no link is recreated.
				Config: pairConfig(spoke, hub, ``, ``, ``),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(accAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: expectConnected(),
				Check: func(*terraform.State) error {
					a, b := f.link("spoke", "spoke-to-hub"), f.link("hub", "hub-to-spoke")
					if *a.Properties.UseRemoteGateways || *b.Properties.AllowGatewayTransit {
						return fmt.Errorf("gateway transit is still set in Azure")
					}
					if *a.Properties.ResourceGUID != guids[0] || *b.Properties.ResourceGUID != guids[1] {
						return fmt.Errorf("an in-place update recreated a link")
					}
					return nil
				},
			},
		},
	})
}
