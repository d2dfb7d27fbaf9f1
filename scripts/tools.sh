#!/usr/bin/env bash
# Builds the offline tool chain once, into a cache outside the repository:
#   - the azurerm provider, built from the Go module proxy at a pinned commit,
#     placed in a Terraform filesystem mirror as version 5.2.0;
#   - bin/terraformrc: a Terraform CLI configuration that installs azurerm
#     from that mirror and peerlab from this checkout's bin/ (dev_overrides);
#   - bin/mirror: a stand-in for peerlab, so that `terraform init` resolves a
#     configuration that needs both providers (see below).
# Rerunning it costs seconds: the mirror is reused while its binary exists.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${PEERLAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/peerlab}

# The proxy serves this one main-branch commit of 2026-08-24, four days after
# the v5.2.0 release (azurerm's release tags are not valid module versions).
azurerm_module=github.com/hashicorp/terraform-provider-azurerm
azurerm_pseudo=v1.44.1-0.20260824201233-fae580791926
azurerm_version=5.2.0
# The version `terraform init` records for peerlab; dev_overrides serves
# whatever bin/ holds, whatever this says.
peerlab_version=0.1.0

command -v terraform >/dev/null || { echo "tools: terraform is not on PATH; install Terraform 1.11 (the tests run the real binary)" >&2; exit 1; }
command -v go >/dev/null || { echo "tools: go is not on PATH; install Go 1.26" >&2; exit 1; }

goos=$(go env GOOS); goarch=$(go env GOARCH)

# Ask Terraform which host a bare "hashicorp/azurerm" source means, so the
# mirror's directory layout matches what `terraform init` looks for.
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'terraform {\n  required_providers {\n    azurerm = { source = "hashicorp/azurerm" }\n  }\n}\n' >"$probe/main.tf"
host=$(cd "$probe" && CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null TF_DATA_DIR="$probe/.terraform" terraform providers 2>/dev/null | sed -n 's/.*provider\[\([^/]*\)\/hashicorp\/azurerm\].*/\1/p' | head -n1)
[ -n "$host" ] || { echo "tools: could not learn the default provider host from 'terraform providers'" >&2; exit 1; }

mirror="$cache/mirror"
target_dir="$mirror/$host/hashicorp/azurerm/$azurerm_version/${goos}_${goarch}"
target="$target_dir/terraform-provider-azurerm_v$azurerm_version"
if [ ! -x "$target" ]; then
  echo "tools: building azurerm $azurerm_version ($azurerm_pseudo) into $mirror — about 15 minutes on 2 cores the first time"
  mkdir -p "$cache/build" "$target_dir"
  # Same flags every time, so a warm Go build cache makes this take seconds.
  CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOBIN="$cache/build" \
    go install -ldflags "-s -w" "$azurerm_module@$azurerm_pseudo"
  cp "$cache/build/terraform-provider-azurerm" "$target.tmp"
  mv "$target.tmp" "$target"
fi

# `terraform init` installs every provider a configuration needs, even one
# under dev_overrides, and fails when no source has it. So a mirror in bin/
# holds a stand-in for peerlab: init records it, and every other command
# runs the build in bin/ through dev_overrides, never the stand-in.
local_mirror="$repo/bin/mirror"
stand_in_dir="$local_mirror/$host/peerlab/peerlab/$peerlab_version/${goos}_${goarch}"
mkdir -p "$stand_in_dir"
cat >"$stand_in_dir/terraform-provider-peerlab_v$peerlab_version" <<STUB
#!/bin/sh
echo "terraform-provider-peerlab: this stand-in only lets 'terraform init' resolve peerlab/peerlab; the provider is $repo/bin/terraform-provider-peerlab (make build), served through dev_overrides in $repo/bin/terraformrc" >&2
exit 1
STUB
chmod +x "$stand_in_dir/terraform-provider-peerlab_v$peerlab_version"

cat >"$repo/bin/terraformrc.tmp" <<RC
# Written by scripts/tools.sh. azurerm comes from the local mirror; peerlab
# from this checkout's build (make build); nothing is fetched from a network.
provider_installation {
  dev_overrides {
    "peerlab/peerlab" = "$repo/bin"
  }
  filesystem_mirror {
    path    = "$local_mirror"
    include = ["peerlab/peerlab"]
  }
  filesystem_mirror {
    path    = "$mirror"
    include = ["hashicorp/*"]
  }
}
disable_checkpoint = true
RC
mv "$repo/bin/terraformrc.tmp" "$repo/bin/terraformrc"
echo "tools: azurerm $azurerm_version in $mirror; CLI configuration in bin/terraformrc"
