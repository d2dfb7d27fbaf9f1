# A hub and a spoke, peered both ways as one resource.
resource "peerlab_bidirectional_peering" "main_remote" {
  a = {
    virtual_network_id      = azurerm_virtual_network.main.id
    name                    = "Main-to-Remote" # default "<vnet a>-to-<vnet b>"
    allow_forwarded_traffic = true
  }
  b = {
    virtual_network_id = azurerm_virtual_network.remote.id
    name               = "Remote-to-Main"
  }
  timeouts = { create = "30m", read = "5m", update = "30m", delete = "30m" }
}

# Subnet peering: only the named subnets see each other, so VNets whose
# address spaces overlap elsewhere can be peered.
resource "peerlab_bidirectional_peering" "apps" {
  a = {
    virtual_network_id = azurerm_virtual_network.main.id
    name               = "main-apps-to-shared"
    subnet_names       = ["apps"]
  }
  b = {
    virtual_network_id = azurerm_virtual_network.shared.id
    subnet_names       = ["services"]
  }
}

# Gateway transit: the spoke uses the hub's VPN gateway.
resource "peerlab_bidirectional_peering" "hub_spoke" {
  a = {
    virtual_network_id    = azurerm_virtual_network.hub.id
    allow_gateway_transit = true
  }
  b = {
    virtual_network_id  = azurerm_virtual_network.spoke.id
    use_remote_gateways = true
  }
}

output "main_remote_connected" {
  value = peerlab_bidirectional_peering.main_remote.connected
}
