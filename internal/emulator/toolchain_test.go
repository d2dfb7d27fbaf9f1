package emulator_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/emulatortest"
)

// TestToolChainInitsAzurermAndPeerlabOffline checks what `make tools`
// promises: bin/terraformrc serves peerlab from this checkout's bin/ and
// azurerm from the mirror, and `terraform init` resolves a configuration
// that needs both with no network.
func TestToolChainInitsAzurermAndPeerlabOffline(t *testing.T) {
	tc := emulatortest.RequireToolChain(t)
	rc, err := os.ReadFile(tc.CLIConfig)
	if err != nil {
		t.Fatal(err)
	}
	override := regexp.MustCompile(`(?s)dev_overrides\s*\{[^}]*"peerlab/peerlab"\s*=\s*"([^"]+)"`).FindStringSubmatch(string(rc))
	if override == nil {
		t.Fatalf("%s has no dev_overrides entry for peerlab/peerlab: run `make tools`", tc.CLIConfig)
	}
	if want := filepath.Join(tc.Repo, "bin"); filepath.Clean(override[1]) != want {
		t.Errorf("dev_overrides serves peerlab/peerlab from %s, want this checkout's %s", override[1], want)
	}

	d := tc.NewTerraformDir(t, "", nil)
	config := `terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "` + emulatortest.AzurermVersion + `"
    }
    peerlab = {
      source = "peerlab/peerlab"
    }
  }
}
`
	if err := os.WriteFile(filepath.Join(d.Dir, "main.tf"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	out := d.Must("init", "-input=false")
	if !strings.Contains(out, "Installed hashicorp/azurerm v"+emulatortest.AzurermVersion) {
		t.Errorf("terraform init did not install azurerm %s from the mirror:\n%s", emulatortest.AzurermVersion, out)
	}
	out = d.Must("version", "-json")
	var v struct {
		Selections map[string]string `json:"provider_selections"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("terraform version -json: %v\n%s", err, out)
	}
	got := map[string]string{}
	for addr, ver := range v.Selections {
		got[addr[strings.Index(addr, "/")+1:]] = ver // drop the host
	}
	if got["hashicorp/azurerm"] != emulatortest.AzurermVersion || got["peerlab/peerlab"] == "" {
		t.Errorf("provider selections after init = %v, want hashicorp/azurerm %s and peerlab/peerlab", v.Selections, emulatortest.AzurermVersion)
	}
}
