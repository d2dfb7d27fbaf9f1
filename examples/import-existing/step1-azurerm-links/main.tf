# Step 1 — what many stacks have today: the peering as two
# azurerm_virtual_network_peering links, one per direction.
terraform {
  required_version = ">= 1.7"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = ">= 4.0"
    }
  }

  # Both steps share one state, beside them.
  backend "local" {
    path = "../terraform.tfstate"
  }
}

provider "azurerm" {
  features {}
}

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

resource "azurerm_virtual_network_peering" "main_to_remote" {
  name                      = "main-to-remote"
  resource_group_name       = module.network.resource_group_name
  virtual_network_name      = module.network.main_vnet_name
  remote_virtual_network_id = module.network.remote_vnet_id
  allow_forwarded_traffic   = true
}

resource "azurerm_virtual_network_peering" "remote_to_main" {
  name                      = "remote-to-main"
  resource_group_name       = module.network.resource_group_name
  virtual_network_name      = module.network.remote_vnet_name
  remote_virtual_network_id = module.network.main_vnet_id
  allow_forwarded_traffic   = true
}
