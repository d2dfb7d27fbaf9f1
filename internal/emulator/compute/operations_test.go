package compute_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/emulatortest"
)

func TestVirtualMachinePutIsPolledThroughComputeOperationStatus(t *testing.T) {
	l := emulatortest.New(t, emulator.Options{Profile: arm.RealisticProfile(0.02)})
	l.Group("rg", "westeurope")
	l.VNet("rg", "vnet", "westeurope", []string{"10.1.0.0/16"}, "default=10.1.1.0/24")
	nic := l.NIC("rg", "nic", "westeurope", l.ID("rg", "Microsoft.Network/virtualNetworks", "vnet", "subnets", "default"), emulatortest.NICOptions{})
	body := emulatortest.VMBody("westeurope", *nic.ID)
	body.Properties.OSProfile.ComputerName = to.Ptr("vm1")
	resp, b := l.Do(http.MethodPut, l.ID("rg", "Microsoft.Compute/virtualMachines", "vm1")+computeAPI, body)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("PUT: %d %s", resp.StatusCode, b)
	}
	var vm struct {
		Properties struct{ ProvisioningState string } `json:"properties"`
	}
	decode(t, b, &vm)
	async := resp.Header.Get("Azure-AsyncOperation")
	if vm.Properties.ProvisioningState != "Creating" || !strings.Contains(async, "/providers/Microsoft.Compute/locations/westeurope/operations/") || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("PUT answered provisioningState %q, Azure-AsyncOperation %q, Retry-After %q; want Creating and the compute operation URL",
			vm.Properties.ProvisioningState, async, resp.Header.Get("Retry-After"))
	}
	var seen []string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		r, b := l.Do(http.MethodGet, async, nil)
		var doc struct{ Name, Status, StartTime, EndTime string }
		if r.StatusCode != http.StatusOK || json.Unmarshal(b, &doc) != nil {
			t.Fatalf("operation status: %d %s", r.StatusCode, b)
		}
		if len(seen) == 0 || seen[len(seen)-1] != doc.Status {
			seen = append(seen, doc.Status)
		}
		if doc.Status != "InProgress" {
			if doc.EndTime == "" || doc.StartTime == "" || doc.Name == "" {
				t.Errorf("finished operation document %s lacks times", b)
			}
			break
		}
	}
	if strings.Join(seen, ",") != "InProgress,Succeeded" {
		t.Errorf("operation statuses %v, want InProgress then Succeeded", seen)
	}
	if r, b := l.Do(http.MethodGet, "/subscriptions/"+l.Sub+"/providers/Microsoft.Compute/locations/westeurope/operations/nope"+computeAPI, nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown operation: %d %s, want 404", r.StatusCode, b)
	}
}
