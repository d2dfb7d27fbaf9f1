# A hub and three spokes, each spoke peered with the hub by one
# peerlab_bidirectional_peering (for_each), and a small Linux VM in every
# VNet. Peering is not transitive: a spoke reaches the hub, never another
# spoke (that would take a router or firewall in the hub, and routes).
terraform {
  required_version = ">= 1.9"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = ">= 4.0"
    }
    peerlab = {
      source = "peerlab/peerlab"
    }
  }
}

provider "azurerm" {
  features {}
}

provider "peerlab" {}

locals {
  # Every VNet, hub first; each gets one subnet: the first /24 of its space.
  vnets = merge(
    { hub = { address_space = var.hub_address_space } },
    { for name, space in var.spokes : name => { address_space = space } },
  )
  # What each spoke's space overlaps among the hub's and the other spokes'.
  others   = { for name, space in var.spokes : name => concat([var.hub_address_space], [for o, s in var.spokes : s if o != name]) }
  overlaps = { for name, space in var.spokes : name => provider::peerlab::overlapping_prefixes(local.others[name], [space]) if length(provider::peerlab::overlapping_prefixes([space], local.others[name])) > 0 }
}

resource "azurerm_resource_group" "hub_spoke" {
  name     = var.resource_group_name
  location = var.location

  lifecycle {
    # Azure refuses to peer VNets whose address spaces overlap: stop the
    # plan before anything is created.
    precondition {
      condition     = length(local.overlaps) == 0
      error_message = "Spoke address spaces must overlap neither the hub (${var.hub_address_space}) nor each other: ${join("; ", [for name, o in local.overlaps : "${name} (${var.spokes[name]}) overlaps ${join(", ", o)}"])}."
    }
  }
}

resource "azurerm_virtual_network" "vnet" {
  for_each = local.vnets

  name                = "vnet-${each.key}"
  location            = var.location
  resource_group_name = azurerm_resource_group.hub_spoke.name
  address_space       = [each.value.address_space]
}

resource "azurerm_subnet" "workload" {
  for_each = local.vnets

  name                 = "snet-workload"
  resource_group_name  = azurerm_resource_group.hub_spoke.name
  virtual_network_name = azurerm_virtual_network.vnet[each.key].name
  address_prefixes     = [cidrsubnet(each.value.address_space, 24 - tonumber(split("/", each.value.address_space)[1]), 0)]
}

resource "peerlab_bidirectional_peering" "hub_spoke" {
  for_each = var.spokes

  a = {
    virtual_network_id      = azurerm_virtual_network.vnet["hub"].id
    name                    = "hub-to-${each.key}"
    allow_forwarded_traffic = true
  }
  b = {
    virtual_network_id      = azurerm_virtual_network.vnet[each.key].id
    name                    = "${each.key}-to-hub"
    allow_forwarded_traffic = true
  }

  depends_on = [azurerm_subnet.workload]
}

resource "azurerm_network_interface" "vm" {
  for_each = local.vnets

  name                = "vm-${each.key}-nic"
  location            = var.location
  resource_group_name = azurerm_resource_group.hub_spoke.name

  ip_configuration {
    name                          = "ipconfig1"
    subnet_id                     = azurerm_subnet.workload[each.key].id
    private_ip_address_allocation = "Dynamic"
  }
}

resource "azurerm_linux_virtual_machine" "vm" {
  for_each = local.vnets

  name                            = "vm-${each.key}"
  location                        = var.location
  resource_group_name             = azurerm_resource_group.hub_spoke.name
  size                            = var.vm_size
  admin_username                  = "azureuser"
  disable_password_authentication = true
  network_interface_ids           = [azurerm_network_interface.vm[each.key].id]

  admin_ssh_key {
    username   = "azureuser"
    public_key = var.ssh_public_key
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Standard_LRS"
  }

  source_image_reference {
    publisher = "Canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts-gen2"
    version   = "latest"
  }
}
