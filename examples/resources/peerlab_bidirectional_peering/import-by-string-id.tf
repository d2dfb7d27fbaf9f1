# Two azurerm_virtual_network_peering links that already exist become one
# peerlab_bidirectional_peering.
import {
  to = peerlab_bidirectional_peering.main_remote
  id = "${azurerm_virtual_network.main.id}/virtualNetworkPeerings/Main-to-Remote"
}
