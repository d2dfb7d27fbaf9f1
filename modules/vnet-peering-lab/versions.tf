terraform {
  # 1.9: validations that refer to other variables; 1.8: provider functions.
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
