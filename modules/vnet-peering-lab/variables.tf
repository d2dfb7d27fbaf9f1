# Defaults reproduce the AZ-104 virtual network peering lab, with the one
# change Azure forces: the lab guide's Main VNet space (192.168.0.0/16)
# contains the Remote VNet's, and Azure refuses to peer overlapping VNets.

variable "resource_group_name" {
  description = "Name of the resource group that holds everything the lab creates."
  type        = string
  default     = "AZ104-VNetPeering-RG"

  validation {
    condition     = can(regex("^[-\\w.()]{1,89}[-\\w()]$", var.resource_group_name))
    error_message = "resource_group_name must be 1 to 90 letters, digits, underscores, hyphens, periods or parentheses, and must not end with a period."
  }
}

variable "resource_group_location" {
  description = "Region of the resource group itself; null means main_location."
  type        = string
  default     = null

  validation {
    condition     = var.resource_group_location == null || can(regex("^[a-z0-9]+$", var.resource_group_location))
    error_message = "resource_group_location must be a region name such as \"eastus\" (lower case, no spaces)."
  }
}

variable "main_location" {
  description = "Region of the Main VNet and MainVM."
  type        = string
  default     = "eastus"

  validation {
    condition     = can(regex("^[a-z0-9]+$", var.main_location))
    error_message = "main_location must be a region name such as \"eastus\" (lower case, no spaces)."
  }
}

variable "remote_location" {
  description = "Region of the Remote VNet and RemoteVM."
  type        = string
  default     = "westus"

  validation {
    condition     = can(regex("^[a-z0-9]+$", var.remote_location))
    error_message = "remote_location must be a region name such as \"westus\" (lower case, no spaces)."
  }
}

variable "main_vnet_name" {
  description = "Name of the Main VNet."
  type        = string
  default     = "AZ104-Main-VNet"

  validation {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}[a-zA-Z0-9_]$", var.main_vnet_name))
    error_message = "main_vnet_name must be 2 to 64 letters, digits, underscores, periods or hyphens, start with a letter or digit and end with a letter, digit or underscore."
  }
}

variable "remote_vnet_name" {
  description = "Name of the Remote VNet."
  type        = string
  default     = "AZ104-Remote-VNet"

  validation {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}[a-zA-Z0-9_]$", var.remote_vnet_name))
    error_message = "remote_vnet_name must be 2 to 64 letters, digits, underscores, periods or hyphens, start with a letter or digit and end with a letter, digit or underscore."
  }
}

variable "main_address_space" {
  description = "Address space of the Main VNet. The lab guide's 192.168.0.0/16 overlaps the Remote VNet, which Azure cannot peer: the plan stops and says so."
  type        = list(string)
  default     = ["192.168.0.0/24"]

  validation {
    condition     = length(var.main_address_space) > 0 && alltrue([for p in var.main_address_space : can(cidrsubnet(p, 0, 0)) && try(cidrsubnet(p, 0, 0) == p, false)])
    error_message = "main_address_space must hold at least one CIDR prefix, each written with its network address, such as \"192.168.0.0/24\" (not \"192.168.0.1/24\")."
  }
}

variable "remote_address_space" {
  description = "Address space of the Remote VNet."
  type        = list(string)
  default     = ["192.168.1.0/24"]

  validation {
    condition     = length(var.remote_address_space) > 0 && alltrue([for p in var.remote_address_space : can(cidrsubnet(p, 0, 0)) && try(cidrsubnet(p, 0, 0) == p, false)])
    error_message = "remote_address_space must hold at least one CIDR prefix, each written with its network address, such as \"192.168.1.0/24\"."
  }
}

variable "main_subnet_name" {
  description = "Name of the Main VNet's subnet."
  type        = string
  default     = "MainSubnet"

  validation {
    condition     = can(regex("^[a-zA-Z0-9]([a-zA-Z0-9_.-]{0,78}[a-zA-Z0-9_])?$", var.main_subnet_name))
    error_message = "main_subnet_name must be 1 to 80 letters, digits, underscores, periods or hyphens, start with a letter or digit and end with a letter, digit or underscore."
  }
}

variable "remote_subnet_name" {
  description = "Name of the Remote VNet's subnet."
  type        = string
  default     = "RemoteSubnet"

  validation {
    condition     = can(regex("^[a-zA-Z0-9]([a-zA-Z0-9_.-]{0,78}[a-zA-Z0-9_])?$", var.remote_subnet_name))
    error_message = "remote_subnet_name must be 1 to 80 letters, digits, underscores, periods or hyphens, start with a letter or digit and end with a letter, digit or underscore."
  }
}

variable "main_subnet_prefix" {
  description = "Address prefix of MainSubnet; it must lie inside main_address_space. MainVM gets its fifth address (.4)."
  type        = string
  default     = "192.168.0.0/24"

  validation {
    condition = can(cidrsubnet(var.main_subnet_prefix, 0, 0)) && anytrue([
      for p in var.main_address_space : try(
        tonumber(split("/", p)[1]) <= tonumber(split("/", var.main_subnet_prefix)[1]) &&
        cidrsubnet("${cidrhost(var.main_subnet_prefix, 0)}/${split("/", p)[1]}", 0, 0) == p,
      false)
    ])
    error_message = "main_subnet_prefix (${var.main_subnet_prefix}) must be a CIDR prefix inside main_address_space (${join(", ", var.main_address_space)})."
  }
}

variable "remote_subnet_prefix" {
  description = "Address prefix of RemoteSubnet; it must lie inside remote_address_space. RemoteVM gets its fifth address (.4)."
  type        = string
  default     = "192.168.1.0/24"

  validation {
    condition = can(cidrsubnet(var.remote_subnet_prefix, 0, 0)) && anytrue([
      for p in var.remote_address_space : try(
        tonumber(split("/", p)[1]) <= tonumber(split("/", var.remote_subnet_prefix)[1]) &&
        cidrsubnet("${cidrhost(var.remote_subnet_prefix, 0)}/${split("/", p)[1]}", 0, 0) == p,
      false)
    ])
    error_message = "remote_subnet_prefix (${var.remote_subnet_prefix}) must be a CIDR prefix inside remote_address_space (${join(", ", var.remote_address_space)})."
  }
}

variable "main_to_remote_name" {
  description = "Name of the peering link on the Main VNet."
  type        = string
  default     = "Main-to-Remote"

  validation {
    condition     = can(regex("^[a-zA-Z0-9]([a-zA-Z0-9_.-]{0,78}[a-zA-Z0-9_])?$", var.main_to_remote_name))
    error_message = "main_to_remote_name must be 1 to 80 letters, digits, underscores, periods or hyphens, start with a letter or digit and end with a letter, digit or underscore."
  }
}

variable "remote_to_main_name" {
  description = "Name of the peering link on the Remote VNet."
  type        = string
  default     = "Remote-to-Main"

  validation {
    condition     = can(regex("^[a-zA-Z0-9]([a-zA-Z0-9_.-]{0,78}[a-zA-Z0-9_])?$", var.remote_to_main_name))
    error_message = "remote_to_main_name must be 1 to 80 letters, digits, underscores, periods or hyphens, start with a letter or digit and end with a letter, digit or underscore."
  }
}

variable "allow_forwarded_traffic" {
  description = "Whether each side accepts traffic forwarded from the other (the lab turns it on for both links)."
  type        = bool
  default     = true
}

variable "main_vm_name" {
  description = "Name (and host name) of the VM in the Main VNet; its NSG is <name>-NSG."
  type        = string
  default     = "MainVM"

  validation {
    condition     = can(regex("^[a-zA-Z0-9]([a-zA-Z0-9.-]{0,58}[a-zA-Z0-9])?$", var.main_vm_name))
    error_message = "main_vm_name must be 1 to 60 letters, digits, periods or hyphens, and start and end with a letter or digit."
  }
}

variable "remote_vm_name" {
  description = "Name (and host name) of the VM in the Remote VNet; its NSG is <name>-NSG."
  type        = string
  default     = "RemoteVM"

  validation {
    condition     = can(regex("^[a-zA-Z0-9]([a-zA-Z0-9.-]{0,58}[a-zA-Z0-9])?$", var.remote_vm_name))
    error_message = "remote_vm_name must be 1 to 60 letters, digits, periods or hyphens, and start and end with a letter or digit."
  }
}

variable "vm_size" {
  description = "Size of both VMs."
  type        = string
  default     = "Standard_B1s"

  validation {
    condition     = can(regex("^(Standard|Basic)_[A-Za-z0-9_]+$", var.vm_size))
    error_message = "vm_size must be an Azure VM size such as \"Standard_B1s\"."
  }
}

variable "admin_username" {
  description = "Administrator user of both VMs."
  type        = string
  default     = "azureuser"

  validation {
    condition = can(regex("^[a-z_][a-z0-9_-]{0,31}$", var.admin_username)) && !contains([
      "administrator", "admin", "user", "user1", "test", "user2", "test1", "user3", "admin1", "1", "123", "a",
      "actuser", "adm", "admin2", "aspnet", "backup", "console", "david", "guest", "john", "owner", "root",
      "server", "sql", "support", "support_388945a0", "sys", "test2", "test3", "user4", "user5",
    ], var.admin_username)
    error_message = "admin_username must be a Linux user name (lower case, up to 32 characters) that Azure does not reserve (such as admin or root)."
  }
}

variable "ssh_public_key" {
  description = "OpenSSH public key of the administrator (the content of id_rsa.pub, not a path). Either this or admin_password must be set; the lab signs in with a key by default."
  type        = string
  default     = null

  validation {
    condition     = var.ssh_public_key == null || can(regex("^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+( .*)?$", trimspace(var.ssh_public_key)))
    error_message = "ssh_public_key must be an OpenSSH public key line such as \"ssh-rsa AAAA... user@host\" (the file's content, not its path)."
  }
}

variable "admin_password" {
  description = "Optional administrator password for both VMs, for the serial console. Null (the default) turns password sign-in off."
  type        = string
  default     = null
  sensitive   = true

  validation {
    condition = var.admin_password == null || (
      length(coalesce(var.admin_password, "x")) >= 12 && length(coalesce(var.admin_password, "x")) <= 72 &&
      length([for re in ["[a-z]", "[A-Z]", "[0-9]", "[^a-zA-Z0-9]"] : re if can(regex(re, coalesce(var.admin_password, "x")))]) >= 3
    )
    error_message = "admin_password must be 12 to 72 characters with three of: a lower-case letter, an upper-case letter, a digit, a special character."
  }

  validation {
    condition     = var.admin_password != null || var.ssh_public_key != null
    error_message = "Set ssh_public_key (the content of an OpenSSH public key), or admin_password, or both: the VMs need a way to sign in."
  }
}

variable "create_public_ips" {
  description = "Whether each VM gets a Standard static public IP (<vm>-ip). The lab itself needs none: pings go through Run Command."
  type        = bool
  default     = false
}

variable "extra_security_rules" {
  description = "More rules for the VMs' NSGs, besides Allow-ICMP-Inbound (priority 1000): for example a deny rule to watch pings fail."
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
  default  = {}
  nullable = false

  validation {
    condition = alltrue([for r in concat(var.extra_security_rules.main, var.extra_security_rules.remote) :
      r.priority >= 100 && r.priority <= 4096 && floor(r.priority) == r.priority &&
      contains(["Inbound", "Outbound"], r.direction) && contains(["Allow", "Deny"], r.access) &&
      contains(["*", "Tcp", "Udp", "Icmp", "Esp", "Ah"], r.protocol) && r.name != "Allow-ICMP-Inbound"
    ])
    error_message = "Each extra security rule needs a priority from 100 to 4096, direction Inbound or Outbound, access Allow or Deny, protocol *, Tcp, Udp, Icmp, Esp or Ah, and a name other than Allow-ICMP-Inbound."
  }

  validation {
    condition = alltrue([for side in ["main", "remote"] :
      length(distinct(concat(["Inbound/1000"], [for r in var.extra_security_rules[side] : "${r.direction}/${r.priority}"]))) ==
      length(var.extra_security_rules[side]) + 1
    ])
    error_message = "Two rules of one NSG may not share a priority and direction; priority 1000 inbound is Allow-ICMP-Inbound's."
  }
}

variable "tags" {
  description = "Tags for every resource that takes them."
  type        = map(string)
  default     = {}
  nullable    = false
}
