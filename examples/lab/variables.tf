variable "ssh_public_key" {
  description = "OpenSSH public key for azureuser on both VMs (the content, such as that of ~/.ssh/id_rsa.pub)."
  type        = string
}

variable "admin_password" {
  description = "Optional password for azureuser, for the serial console."
  type        = string
  default     = null
  sensitive   = true
}

variable "resource_group_name" {
  description = "The lab's resource group."
  type        = string
  default     = "AZ104-VNetPeering-RG"
}

variable "main_address_space" {
  description = "Address space of AZ104-Main-VNet. Try the lab guide's [\"192.168.0.0/16\"] to see the plan stop on the overlap."
  type        = list(string)
  default     = ["192.168.0.0/24"]
}

variable "create_public_ips" {
  description = "Whether the VMs get public IPs."
  type        = bool
  default     = false
}

variable "extra_security_rules" {
  description = "More NSG rules per side (main, remote), such as a deny rule that makes the pings fail."
  type = object({
    main = optional(list(object({
      name                       = string
      priority                   = number
      direction                  = optional(string, "Inbound")
      access                     = string
      protocol                   = optional(string, "*")
      source_address_prefix      = optional(string, "*")
      source_port_range          = optional(string, "*")
      destination_address_prefix = optional(string, "*")
      destination_port_range     = optional(string, "*")
    })), [])
    remote = optional(list(object({
      name                       = string
      priority                   = number
      direction                  = optional(string, "Inbound")
      access                     = string
      protocol                   = optional(string, "*")
      source_address_prefix      = optional(string, "*")
      source_port_range          = optional(string, "*")
      destination_address_prefix = optional(string, "*")
      destination_port_range     = optional(string, "*")
    })), [])
  })
  default = {}
}
