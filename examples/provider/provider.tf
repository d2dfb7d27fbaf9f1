terraform {
  required_providers {
    peerlab = { source = "peerlab/peerlab" }
  }
}

# The same settings and ARM_* environment variables as azurerm. With
# ARM_TENANT_ID, ARM_CLIENT_ID and ARM_CLIENT_SECRET set, an empty block is
# enough; without them the Azure CLI's account is used.
provider "peerlab" {}

# A service principal, two tenants: peer VNets of the second tenant too.
provider "peerlab" {
  alias                = "cross_tenant"
  tenant_id            = "00000000-0000-0000-0000-000000000001"
  client_id            = "00000000-0000-0000-0000-000000000002"
  client_secret        = var.client_secret
  auxiliary_tenant_ids = ["00000000-0000-0000-0000-000000000003"]
}

# Workload identity federation in CI, in the US Government cloud.
provider "peerlab" {
  alias                = "ci"
  use_oidc             = true
  oidc_token_file_path = "/var/run/secrets/azure/tokens/azure-identity-token"
  environment          = "usgovernment"
}

# A cloud described by a metadata endpoint, such as the peerlab emulator
# (ARM_METADATA_HOSTNAME=127.0.0.1:PORT).
provider "peerlab" {
  alias         = "emulator"
  metadata_host = "127.0.0.1:8443"
}

variable "client_secret" {
  type      = string
  sensitive = true
}
