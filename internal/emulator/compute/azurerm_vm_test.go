package compute_test

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/emulatortest"
)

// TestAzurermLinuxVirtualMachineOffline: the real terraform and azurerm
// (from the mirror) create a Linux VM with its NIC, public IP and NSG
// against the emulator; the next plan is empty; the VM runs with the first
// address of its subnet; destroy removes the VM and its OS disk (and
// everything else).
func TestAzurermLinuxVirtualMachineOffline(t *testing.T) {
	tc := emulatortest.RequireToolChain(t)
	l := emulatortest.New(t, emulator.Options{DataDir: filepath.Join(t.TempDir(), "emulator")})
	d := tc.NewTerraformDir(t, filepath.Join("testdata", "azurerm_vm"), l.Emu)
	vars := []string{"-var", "ssh_public_key=" + emulatortest.TestSSHKey}

	d.Must("init", "-input=false")
	emulatortest.Timed(t, "terraform apply", func() { d.Must(append([]string{"apply", "-input=false", "-auto-approve"}, vars...)...) })
	emulatortest.Timed(t, "terraform plan", func() {
		if code, out := d.Run(append([]string{"plan", "-input=false", "-detailed-exitcode"}, vars...)...); code != 0 {
			t.Errorf("the plan after apply is not empty (exit %d, want 0):\n%s%s", code, out, d.LogTail())
		}
	})

	var outputs map[string]struct{ Value string }
	if err := json.Unmarshal([]byte(d.Must("output", "-json")), &outputs); err != nil {
		t.Fatal(err)
	}
	if got := outputs["private_ip"].Value; got != "10.30.1.4" {
		t.Errorf("the VM's private IP is %q, want the subnet's first address 10.30.1.4", got)
	}
	if outputs["public_ip"].Value == "" {
		t.Error("the VM shows no public IP")
	}
	vmID, diskID := outputs["vm_id"].Value, outputs["os_disk_id"].Value
	if diskID == "" {
		t.Fatal("the VM shows no OS disk ID")
	}
	if stdout, _ := l.RunShell("rg-azurerm-vm", "vm-lab", "hostname"); stdout != "vm-lab\n" {
		t.Errorf("Run Command hostname on the VM = %q, want \"vm-lab\\n\"", stdout)
	}

	emulatortest.Timed(t, "terraform destroy", func() { d.Must(append([]string{"destroy", "-input=false", "-auto-approve"}, vars...)...) })
	for _, id := range []string{vmID, diskID} {
		api := "2024-03-01"
		if strings.Contains(strings.ToLower(id), "/disks/") {
			api = "2023-04-02"
		}
		if resp, body := l.Do(http.MethodGet, id+"?api-version="+api, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("after destroy GET %s answers %d, want 404: %s", id, resp.StatusCode, body)
		}
	}
}
