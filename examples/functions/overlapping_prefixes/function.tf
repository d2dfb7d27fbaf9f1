# Stop the plan before peering two VNets whose address spaces overlap.
resource "terraform_data" "peering_guard" {
  lifecycle {
    precondition {
      condition = length(provider::peerlab::overlapping_prefixes(
        azurerm_virtual_network.main.address_space,
        azurerm_virtual_network.remote.address_space,
      )) == 0
      error_message = "The address spaces overlap: ${join(", ", provider::peerlab::overlapping_prefixes(
        azurerm_virtual_network.main.address_space,
        azurerm_virtual_network.remote.address_space,
      ))}."
    }
  }
}

output "overlaps" {
  # ["10.0.0.0/16", "fd00:1::/48"]
  value = provider::peerlab::overlapping_prefixes(
    ["10.0.0.0/16", "192.168.0.0/24", "fd00:1::/48"],
    ["10.0.8.0/24", "fd00:1:0:2::/64"],
  )
}
