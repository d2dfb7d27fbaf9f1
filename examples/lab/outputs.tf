output "resource_group_name" {
  value = module.lab.resource_group_name
}

output "main_vm_name" {
  value = module.lab.main_vm_name
}

output "remote_vm_name" {
  value = module.lab.remote_vm_name
}

output "main_vm_id" {
  value = module.lab.main_vm_id
}

output "remote_vm_id" {
  value = module.lab.remote_vm_id
}

output "main_vm_private_ip" {
  value = module.lab.main_vm_private_ip
}

output "remote_vm_private_ip" {
  value = module.lab.remote_vm_private_ip
}

output "main_vm_public_ip" {
  value = module.lab.main_vm_public_ip
}

output "remote_vm_public_ip" {
  value = module.lab.remote_vm_public_ip
}

output "main_nic_id" {
  value = module.lab.main_nic_id
}

output "remote_nic_id" {
  value = module.lab.remote_nic_id
}

output "main_nsg_id" {
  value = module.lab.main_nsg_id
}

output "remote_nsg_id" {
  value = module.lab.remote_nsg_id
}

output "peering_id" {
  value = module.lab.peering_id
}

output "main_to_remote_state" {
  value = module.lab.main_to_remote_state
}

output "remote_to_main_state" {
  value = module.lab.remote_to_main_state
}

output "peering_connected" {
  value = module.lab.peering_connected
}

output "ping_main_to_remote_command" {
  value = module.lab.ping_main_to_remote_command
}

output "ping_remote_to_main_command" {
  value = module.lab.ping_remote_to_main_command
}

output "main_effective_routes_command" {
  value = module.lab.main_effective_routes_command
}

output "main_address_space" {
  value = module.lab.main_address_space
}

output "remote_address_space" {
  value = module.lab.remote_address_space
}
