data "peerlab_virtual_network_peerings" "hub" {
  virtual_network_id = azurerm_virtual_network.hub.id
}

# Links that need attention.
output "unhealthy_links" {
  value = [
    for p in data.peerlab_virtual_network_peerings.hub.peerings : p.name
    if p.peering_state != "Connected" || p.sync_level != "FullyInSync"
  ]
}

# IDs to import into peerlab_bidirectional_peering.
output "link_ids" {
  value = { for p in data.peerlab_virtual_network_peerings.hub.peerings : p.name => p.id }
}
