package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccVirtualNetworkPeeringsDataSource(t *testing.T) {
	accPreCheck(t)
	f := newFixture(t, "", "")
	hub := f.vnet("hub", []string{"10.0.0.0/16"})
	one := f.vnet("one", []string{"10.1.0.0/16"})
	two := f.vnet("two", []string{"10.2.0.0/16"})
	body := fmt.Sprintf(`
resource "peerlab_bidirectional_peering" "one" {
  a = { virtual_network_id = %[1]q }
  b = { virtual_network_id = %[2]q }
}
resource "peerlab_bidirectional_peering" "two" {
  a = {
    virtual_network_id    = %[1]q
    allow_gateway_transit = true
  }
  b = { virtual_network_id = %[3]q }
}
data "peerlab_virtual_network_peerings" "hub" {
  virtual_network_id = %[1]q
  depends_on         = [peerlab_bidirectional_peering.one, peerlab_bidirectional_peering.two]
}
`, hub, one, two)
	peerings := tfjsonpath.New("peerings")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: accProviders(),
		CheckDestroy:             linksGone(f),
		Steps: []resource.TestStep{
			{
				Config:      accConfig("", fmt.Sprintf("data \"peerlab_virtual_network_peerings\" \"x\" {\n  virtual_network_id = %q\n}\n", hub+"/subnets/default")),
				ExpectError: regexp.MustCompile(`(?s)Not a virtual network ID.*subnet "default"`),
			},
			{
				Config: accConfig("", body),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.peerlab_virtual_network_peerings.hub", tfjsonpath.New("id"), knownvalue.StringExact(hub)),
					statecheck.ExpectKnownValue("data.peerlab_virtual_network_peerings.hub", peerings, knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue("data.peerlab_virtual_network_peerings.hub", peerings.AtSliceIndex(0), knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"name":                      knownvalue.StringExact("hub-to-one"),
						"id":                        knownvalue.StringExact(hub + "/virtualNetworkPeerings/hub-to-one"),
						"remote_virtual_network_id": knownvalue.StringExact(one),
						"peering_state":             knownvalue.StringExact("Connected"),
						"sync_level":                knownvalue.StringExact("FullyInSync"),
						"peer_complete_vnets":       knownvalue.Bool(true),
						"remote_address_space":      knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("10.1.0.0/16")}),
					})),
					statecheck.ExpectKnownValue("data.peerlab_virtual_network_peerings.hub", peerings.AtSliceIndex(1).AtMapKey("allow_gateway_transit"), knownvalue.Bool(true)),
				},
			},
		},
	})
}
