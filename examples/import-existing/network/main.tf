# The part of the stack that does not change between the two steps: a
# resource group and two VNets with a subnet each.
terraform {
  required_providers {
    azurerm = {
      source = "hashicorp/azurerm"
    }
  }
}

variable "resource_group_name" {
  type = string
}

variable "location" {
  type = string
}

resource "azurerm_resource_group" "this" {
  name     = var.resource_group_name
  location = var.location
}

resource "azurerm_virtual_network" "main" {
  name                = "vnet-main"
  location            = var.location
  resource_group_name = azurerm_resource_group.this.name
  address_space       = ["10.10.0.0/16"]
}

resource "azurerm_subnet" "main" {
  name                 = "snet-workload"
  resource_group_name  = azurerm_resource_group.this.name
  virtual_network_name = azurerm_virtual_network.main.name
  address_prefixes     = ["10.10.1.0/24"]
}

resource "azurerm_virtual_network" "remote" {
  name                = "vnet-remote"
  location            = var.location
  resource_group_name = azurerm_resource_group.this.name
  address_space       = ["10.20.0.0/16"]
}

resource "azurerm_subnet" "remote" {
  name                 = "snet-workload"
  resource_group_name  = azurerm_resource_group.this.name
  virtual_network_name = azurerm_virtual_network.remote.name
  address_prefixes     = ["10.20.1.0/24"]
}

output "resource_group_name" {
  value = azurerm_resource_group.this.name
}

output "main_vnet_name" {
  value = azurerm_virtual_network.main.name
}

output "main_vnet_id" {
  value = azurerm_virtual_network.main.id
}

output "remote_vnet_name" {
  value = azurerm_virtual_network.remote.name
}

output "remote_vnet_id" {
  value = azurerm_virtual_network.remote.id
}
