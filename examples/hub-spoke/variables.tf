variable "resource_group_name" {
  description = "Resource group for the hub, the spokes and their VMs."
  type        = string
  default     = "peerlab-hub-spoke-rg"
}

variable "location" {
  description = "Region of everything."
  type        = string
  default     = "eastus"
}

variable "hub_address_space" {
  description = "Address space of the hub VNet (a /24 or larger)."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrsubnet(var.hub_address_space, 0, 0)) && tonumber(split("/", var.hub_address_space)[1]) <= 24
    error_message = "hub_address_space must be one IPv4 prefix of /24 or larger, such as \"10.0.0.0/16\"."
  }
}

variable "spokes" {
  description = "The spokes: name => address space (a /24 or larger each, none overlapping the hub or each other)."
  type        = map(string)
  default = {
    spoke1 = "10.1.0.0/16"
    spoke2 = "10.2.0.0/16"
    spoke3 = "10.3.0.0/16"
  }

  validation {
    condition     = alltrue([for name, space in var.spokes : can(regex("^[a-z0-9][a-z0-9-]{0,30}$", name)) && can(cidrsubnet(space, 0, 0)) && try(tonumber(split("/", space)[1]) <= 24, false)])
    error_message = "Each spoke needs a short lower-case name (letters, digits, hyphens) and one IPv4 prefix of /24 or larger."
  }

  validation {
    condition     = !contains(keys(var.spokes), "hub")
    error_message = "No spoke may be called \"hub\"."
  }
}

variable "vm_size" {
  description = "Size of every VM."
  type        = string
  default     = "Standard_B1s"
}

variable "ssh_public_key" {
  description = "OpenSSH public key for azureuser on every VM (the content, such as that of ~/.ssh/id_rsa.pub)."
  type        = string
}
