# Step 2 — the same stack with the two links taken over by one
# peerlab_bidirectional_peering. Terraform forgets the azurerm links
# (removed, destroy = false) and imports the pair: the plan changes nothing
# in Azure, and after the apply the plan is empty.
terraform {
  required_version = ">= 1.7"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = ">= 4.0"
    }
    peerlab = {
      source = "peerlab/peerlab"
    }
  }

  # The state step 1 wrote.
  backend "local" {
    path = "../terraform.tfstate"
  }
}

provider "azurerm" {
  features {}
}

provider "peerlab" {}

variable "resource_group_name" {
  type    = string
  default = "peerlab-import-rg"
}

variable "location" {
  type    = string
  default = "eastus"
}

module "network" {
  source = "../network"

  resource_group_name = var.resource_group_name
  location            = var.location
}

# The azurerm links leave the configuration but stay in Azure.
removed {
  from = azurerm_virtual_network_peering.main_to_remote

  lifecycle {
    destroy = false
  }
}

removed {
  from = azurerm_virtual_network_peering.remote_to_main

  lifecycle {
    destroy = false
  }
}

# One link's ID is enough: it becomes side a, and the reverse link is found
# on the remote VNet.
import {
  to = peerlab_bidirectional_peering.main_remote
  id = "${module.network.main_vnet_id}/virtualNetworkPeerings/main-to-remote"
}

# The same settings as the links had, so that nothing changes.
resource "peerlab_bidirectional_peering" "main_remote" {
  a = {
    virtual_network_id      = module.network.main_vnet_id
    name                    = "main-to-remote"
    allow_forwarded_traffic = true
  }
  b = {
    virtual_network_id      = module.network.remote_vnet_id
    name                    = "remote-to-main"
    allow_forwarded_traffic = true
  }
}

output "peering_connected" {
  value = peerlab_bidirectional_peering.main_remote.connected
}

output "peering_id" {
  value = peerlab_bidirectional_peering.main_remote.id
}
