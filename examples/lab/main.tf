# The AZ-104 virtual network peering lab, from the module, as a root
# configuration. It runs against real Azure with the usual ARM_* variables
# (or `az login`), and against the peerlab emulator after
# `source .lab/emulator/env` (see README.md; `make lab` does all of it).
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

  # Local state; `make lab` points it at .lab/ with -backend-config=path=….
  backend "local" {}
}

# Both read ARM_SUBSCRIPTION_ID, ARM_TENANT_ID, ARM_CLIENT_ID, … and
# ARM_METADATA_HOSTNAME (a custom cloud such as the emulator).
provider "azurerm" {
  features {}
}

provider "peerlab" {}

module "lab" {
  source = "../../modules/vnet-peering-lab"

  resource_group_name  = var.resource_group_name
  main_address_space   = var.main_address_space
  ssh_public_key       = var.ssh_public_key
  admin_password       = var.admin_password
  create_public_ips    = var.create_public_ips
  extra_security_rules = var.extra_security_rules
}
