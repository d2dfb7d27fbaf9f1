output "resource_group_name" {
  description = "The lab's resource group."
  value       = azurerm_resource_group.lab.name
}

output "main_vnet_id" {
  description = "ID of the Main VNet."
  value       = azurerm_virtual_network.lab["main"].id
}

output "remote_vnet_id" {
  description = "ID of the Remote VNet."
  value       = azurerm_virtual_network.lab["remote"].id
}

output "main_vm_name" {
  description = "Name of the VM in the Main VNet."
  value       = azurerm_linux_virtual_machine.lab["main"].name
}

output "remote_vm_name" {
  description = "Name of the VM in the Remote VNet."
  value       = azurerm_linux_virtual_machine.lab["remote"].name
}

output "main_vm_id" {
  description = "ID of MainVM."
  value       = azurerm_linux_virtual_machine.lab["main"].id
}

output "remote_vm_id" {
  description = "ID of RemoteVM."
  value       = azurerm_linux_virtual_machine.lab["remote"].id
}

output "main_vm_private_ip" {
  description = "Private address of MainVM (192.168.0.4 with the defaults)."
  value       = azurerm_network_interface.lab["main"].private_ip_address
}

output "remote_vm_private_ip" {
  description = "Private address of RemoteVM (192.168.1.4 with the defaults)."
  value       = azurerm_network_interface.lab["remote"].private_ip_address
}

output "main_vm_public_ip" {
  description = "Public address of MainVM, or null without create_public_ips."
  value       = var.create_public_ips ? azurerm_public_ip.lab["main"].ip_address : null
}

output "remote_vm_public_ip" {
  description = "Public address of RemoteVM, or null without create_public_ips."
  value       = var.create_public_ips ? azurerm_public_ip.lab["remote"].ip_address : null
}

output "main_nic_id" {
  description = "ID of MainVM's network interface."
  value       = azurerm_network_interface.lab["main"].id
}

output "remote_nic_id" {
  description = "ID of RemoteVM's network interface."
  value       = azurerm_network_interface.lab["remote"].id
}

output "main_nsg_id" {
  description = "ID of MainVM-NSG."
  value       = azurerm_network_security_group.lab["main"].id
}

output "remote_nsg_id" {
  description = "ID of RemoteVM-NSG."
  value       = azurerm_network_security_group.lab["remote"].id
}

output "peering_id" {
  description = "ID of the peering: \"<Main-to-Remote link ID>|<Remote-to-Main link ID>\"."
  value       = peerlab_bidirectional_peering.main_remote.id
}

output "main_to_remote_state" {
  description = "State of the Main-to-Remote link as of the last refresh: Initiated, Connected, Disconnected or Missing."
  value       = peerlab_bidirectional_peering.main_remote.a.peering_state
}

output "remote_to_main_state" {
  description = "State of the Remote-to-Main link as of the last refresh: Initiated, Connected, Disconnected or Missing."
  value       = peerlab_bidirectional_peering.main_remote.b.peering_state
}

output "peering_connected" {
  description = "Whether both links are Connected."
  value       = peerlab_bidirectional_peering.main_remote.connected
}

output "ping_main_to_remote_command" {
  description = "Azure CLI command that pings RemoteVM from MainVM through Run Command."
  value       = "az vm run-command invoke --resource-group ${azurerm_resource_group.lab.name} --name ${azurerm_linux_virtual_machine.lab["main"].name} --command-id RunShellScript --scripts 'ping -c 4 ${azurerm_network_interface.lab["remote"].private_ip_address}'"
}

output "ping_remote_to_main_command" {
  description = "Azure CLI command that pings MainVM from RemoteVM through Run Command."
  value       = "az vm run-command invoke --resource-group ${azurerm_resource_group.lab.name} --name ${azurerm_linux_virtual_machine.lab["remote"].name} --command-id RunShellScript --scripts 'ping -c 4 ${azurerm_network_interface.lab["main"].private_ip_address}'"
}

output "main_effective_routes_command" {
  description = "Azure CLI command that shows MainVM's effective routes, where the Remote VNet appears with next hop VNetPeering."
  value       = "az network nic show-effective-route-table --resource-group ${azurerm_resource_group.lab.name} --name ${azurerm_network_interface.lab["main"].name} --output table"
}

output "main_address_space" {
  description = "Address space of the Main VNet."
  value       = azurerm_virtual_network.lab["main"].address_space
}

output "remote_address_space" {
  description = "Address space of the Remote VNet."
  value       = azurerm_virtual_network.lab["remote"].address_space
}
