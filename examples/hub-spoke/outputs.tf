output "resource_group_name" {
  value = azurerm_resource_group.hub_spoke.name
}

output "vm_names" {
  description = "VM of each VNet: hub, spoke1, …"
  value       = { for k, vm in azurerm_linux_virtual_machine.vm : k => vm.name }
}

output "vm_private_ips" {
  description = "Private address of each VNet's VM."
  value       = { for k, nic in azurerm_network_interface.vm : k => nic.private_ip_address }
}

output "peerings" {
  description = "Each spoke's peering with the hub: both links' states and whether it is Connected."
  value = { for k, p in peerlab_bidirectional_peering.hub_spoke : k => {
    id               = p.id
    hub_link_state   = p.a.peering_state
    spoke_link_state = p.b.peering_state
    connected        = p.connected
  } }
}

output "ping_commands" {
  description = "Run Command pings from the hub's VM to each spoke's VM."
  value = { for k, nic in azurerm_network_interface.vm : k =>
    "az vm run-command invoke --resource-group ${azurerm_resource_group.hub_spoke.name} --name ${azurerm_linux_virtual_machine.vm["hub"].name} --command-id RunShellScript --scripts 'ping -c 4 ${nic.private_ip_address}'"
    if k != "hub"
  }
}
