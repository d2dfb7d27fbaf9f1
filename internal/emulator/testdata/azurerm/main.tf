# The azurerm provider, from the offline mirror, against the emulator: the
# networking that the peering lab needs, in two regions. The emulator's env
# file supplies ARM_METADATA_HOSTNAME (the custom cloud), the tenant, the
# subscription and the client credentials, and SSL_CERT_FILE for its CA.
terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "5.2.0"
    }
  }
}

provider "azurerm" {
  features {}
  resource_provider_registrations = "none"
  # metadata_host is read from ARM_METADATA_HOSTNAME.
}

variable "name" {
  description = "Prefix of every resource name."
  type        = string
  default     = "azurerm-offline"
}

resource "azurerm_resource_group" "lab" {
  name     = "rg-${var.name}"
  location = "eastus"
}

resource "azurerm_virtual_network" "east" {
  name                = "vnet-${var.name}-east"
  location            = "eastus"
  resource_group_name = azurerm_resource_group.lab.name
  address_space       = ["10.10.0.0/16"]
}

resource "azurerm_subnet" "east" {
  name                 = "snet-workload"
  resource_group_name  = azurerm_resource_group.lab.name
  virtual_network_name = azurerm_virtual_network.east.name
  address_prefixes     = ["10.10.1.0/24"]
}

resource "azurerm_virtual_network" "west" {
  name                = "vnet-${var.name}-west"
  location            = "westeurope"
  resource_group_name = azurerm_resource_group.lab.name
  address_space       = ["10.20.0.0/16"]
}

resource "azurerm_subnet" "west" {
  name                 = "snet-workload"
  resource_group_name  = azurerm_resource_group.lab.name
  virtual_network_name = azurerm_virtual_network.west.name
  address_prefixes     = ["10.20.1.0/24"]
}

resource "azurerm_virtual_network_peering" "east_to_west" {
  name                      = "east-to-west"
  resource_group_name       = azurerm_resource_group.lab.name
  virtual_network_name      = azurerm_virtual_network.east.name
  remote_virtual_network_id = azurerm_virtual_network.west.id
  allow_forwarded_traffic   = true
}

resource "azurerm_virtual_network_peering" "west_to_east" {
  name                      = "west-to-east"
  resource_group_name       = azurerm_resource_group.lab.name
  virtual_network_name      = azurerm_virtual_network.west.name
  remote_virtual_network_id = azurerm_virtual_network.east.id
  allow_forwarded_traffic   = true
}

resource "azurerm_network_security_group" "east" {
  name                = "nsg-${var.name}-east"
  location            = "eastus"
  resource_group_name = azurerm_resource_group.lab.name
}

resource "azurerm_network_security_rule" "icmp_from_west" {
  name                        = "allow-icmp-from-west"
  resource_group_name         = azurerm_resource_group.lab.name
  network_security_group_name = azurerm_network_security_group.east.name
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Icmp"
  source_port_range           = "*"
  destination_port_range      = "*"
  source_address_prefix       = "10.20.0.0/16"
  destination_address_prefix  = "*"
}

resource "azurerm_public_ip" "east" {
  name                = "pip-${var.name}-east"
  location            = "eastus"
  resource_group_name = azurerm_resource_group.lab.name
  allocation_method   = "Static"
  sku                 = "Standard"
}

resource "azurerm_network_interface" "east" {
  name                = "nic-${var.name}-east"
  location            = "eastus"
  resource_group_name = azurerm_resource_group.lab.name

  ip_configuration {
    name                          = "ipconfig1"
    subnet_id                     = azurerm_subnet.east.id
    private_ip_address_allocation = "Dynamic"
    public_ip_address_id          = azurerm_public_ip.east.id
  }
}

resource "azurerm_network_interface_security_group_association" "east" {
  network_interface_id      = azurerm_network_interface.east.id
  network_security_group_id = azurerm_network_security_group.east.id
}
