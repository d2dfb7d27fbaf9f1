package compute_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/compute"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/emulatortest"
)

const computeAPI = "?api-version=2025-04-01"

// The exact result of `echo hello; echo oops >&2`, as Azure's Linux Run
// Command reports it.
const helloResult = `{"value":[{"code":"ProvisioningState/succeeded","displayStatus":"Provisioning succeeded","level":"Info","message":"Enable succeeded: \n[stdout]\nhello\n\n[stderr]\noops\n"}]}`

func TestRunCommandResultShapeThroughLocationAndAsyncOperation(t *testing.T) {
	// Realistic timing, scaled down, so that the operation is seen running.
	l := emulatortest.New(t, emulator.Options{Profile: arm.RealisticProfile(0.02)})
	l.Group("rg", "westeurope")
	l.VNet("rg", "vnet", "westeurope", []string{"10.1.0.0/16"}, "default=10.1.1.0/24")
	l.Machine("rg", "vm1", "westeurope", l.ID("rg", "Microsoft.Network/virtualNetworks", "vnet", "subnets", "default"), emulatortest.NICOptions{})

	path := l.ID("rg", "Microsoft.Compute/virtualMachines", "vm1") + "/runCommand" + computeAPI
	resp, body := l.Do(http.MethodPost, path, map[string]any{"commandId": "RunShellScript", "script": []string{"echo hello", "echo oops >&2"}})
	if resp.StatusCode != http.StatusAccepted || len(body) != 0 {
		t.Fatalf("POST runCommand: %d %s, want 202 without a body", resp.StatusCode, body)
	}
	loc, async := resp.Header.Get("Location"), resp.Header.Get("Azure-AsyncOperation")
	if !strings.Contains(loc, "/providers/Microsoft.Compute/locations/westeurope/operations/") || !strings.Contains(loc, "monitor=true") ||
		!strings.Contains(async, "/providers/Microsoft.Compute/locations/westeurope/operations/") {
		t.Fatalf("polling headers Location %q, Azure-AsyncOperation %q: want the compute operations URL (with monitor=true for Location)", loc, async)
	}
	if r, b := l.Do(http.MethodGet, loc, nil); r.StatusCode != http.StatusAccepted || r.Header.Get("Location") == "" {
		t.Errorf("Location while running: %d (Location %q) %s, want 202 with Location", r.StatusCode, r.Header.Get("Location"), b)
	}
	var doc struct {
		Status     string `json:"status"`
		Properties *struct {
			Output json.RawMessage `json:"output"`
		} `json:"properties"`
	}
	deadline := time.Now().Add(30 * time.Second)
	for doc.Status != "Succeeded" && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		r, b := l.Do(http.MethodGet, async, nil)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("Azure-AsyncOperation: %d %s", r.StatusCode, b)
		}
		decode(t, b, &doc)
		if doc.Status != "InProgress" && doc.Status != "Succeeded" {
			t.Fatalf("operation status %q: %s", doc.Status, b)
		}
	}
	if doc.Properties == nil || string(doc.Properties.Output) != helloResult {
		t.Errorf("status document properties.output = %s, want %s", outputOf(doc.Properties), helloResult)
	}
	r, b := l.Do(http.MethodGet, loc, nil)
	if r.StatusCode != http.StatusOK || string(b) != helloResult {
		t.Errorf("Location when done: %d %s\nwant 200 %s", r.StatusCode, b, helloResult)
	}
}

func outputOf(p *struct {
	Output json.RawMessage `json:"output"`
}) string {
	if p == nil {
		return "(no properties)"
	}
	return string(p.Output)
}

func TestRunCommandThroughTheSDKPoller(t *testing.T) {
	l, nicID := oneNIC(t)
	l.VM("rg", "vm1", "westeurope", nicID)
	r := l.RunCommand("rg", "vm1", "echo hello", "echo oops >&2", "exit 3")
	b, _ := json.Marshal(r)
	if string(b) != helloResult {
		t.Errorf("BeginRunCommand + PollUntilDone = %s\nwant %s (a failing script still reports success, as Azure does)", b, helloResult)
	}
}

func TestRunCommandNeedsARunningVMAndRunShellScript(t *testing.T) {
	l, nicID := oneNIC(t)
	l.VM("rg", "vm1", "westeurope", nicID)
	c := l.Compute.NewVirtualMachinesClient()
	_, err := c.BeginRunCommand(t.Context(), "rg", "vm1", armcompute.RunCommandInput{CommandID: to.Ptr("RunPowerShellScript"), Script: to.SliceOfPtrs("dir")}, nil)
	wantErr(t, "RunPowerShellScript on Linux", err, 400, "InvalidParameter")

	p, err := c.BeginDeallocate(t.Context(), "rg", "vm1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.PollUntilDone(t.Context(), emulatortest.Poll); err != nil {
		t.Fatal(err)
	}
	_, err = c.BeginRunCommand(t.Context(), "rg", "vm1", armcompute.RunCommandInput{CommandID: to.Ptr("RunShellScript"), Script: to.SliceOfPtrs("hostname")}, nil)
	wantErr(t, "Run Command on a deallocated VM", err, 409, "OperationNotAllowed")
}

func TestRunCommandKeepsTheLast4096BytesOfEachStream(t *testing.T) {
	long := strings.Repeat("x", 5000)
	r := compute.RunCommandResult(long+"END", "")
	msg := *r.Value[0].Message
	out, _ := emulatortest.SplitOutput(t, msg)
	if len(out) != 4096 || !strings.HasSuffix(out, "END") {
		t.Errorf("stdout kept %d bytes ending %q, want the last 4096", len(out), out[len(out)-3:])
	}
}
