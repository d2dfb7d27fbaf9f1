package emulator_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/emulatortest"
)

// TestAzurermAppliesPlansAndDestroysOffline is the proof that azurerm works
// offline: the real terraform and the real azurerm provider, from the
// mirror, apply testdata/azurerm (a resource group, VNets with subnets in
// two regions, an NSG with a rule, a public IP, a NIC and two peering
// links) to the emulator; the next plan is empty; both links are
// Connected; destroy leaves nothing behind.
func TestAzurermAppliesPlansAndDestroysOffline(t *testing.T) {
	t.Parallel() // a minute of azurerm's own polling delays: overlap it with the package's other tests
	tc := emulatortest.RequireToolChain(t)
	e, err := emulator.Start(emulator.Options{DataDir: filepath.Join(t.TempDir(), "emulator")})
	if err != nil {
		t.Fatalf("starting the emulator: %v", err)
	}
	t.Cleanup(func() { e.Close() })
	d := tc.NewTerraformDir(t, filepath.Join("testdata", "azurerm"), e)

	d.Must("init", "-input=false")
	emulatortest.Timed(t, "terraform apply", func() { d.Must("apply", "-input=false", "-auto-approve") })

	emulatortest.Timed(t, "terraform plan", func() {
		if code, out := d.Run("plan", "-input=false", "-detailed-exitcode"); code != 0 {
			t.Errorf("the plan after apply is not empty (exit %d, want 0):\n%s%s", code, out, d.LogTail())
		}
	})

	state := d.State()
	for _, addr := range []string{"azurerm_virtual_network_peering.east_to_west", "azurerm_virtual_network_peering.west_to_east"} {
		id, _ := state[addr]["id"].(string)
		if id == "" {
			t.Errorf("%s is not in the state", addr)
			continue
		}
		if got := peeringState(t, e, id); got != armnetwork.VirtualNetworkPeeringStateConnected {
			t.Errorf("%s (%s) is %s, want Connected", addr, id, got)
		}
	}
	// Azure gives the first NIC of a subnet its fifth address (.4).
	if got := state["azurerm_network_interface.east"]["private_ip_address"]; got != "10.10.1.4" {
		t.Errorf("azurerm_network_interface.east has private_ip_address %v, want 10.10.1.4", got)
	}

	emulatortest.Timed(t, "terraform destroy", func() { d.Must("destroy", "-input=false", "-auto-approve") })
	if left := emulatorResources(t, e); len(left) > 0 {
		t.Errorf("after destroy the emulator still holds:\n%s", strings.Join(left, "\n"))
	}
}

// peeringState reads a link back with the Azure SDK, as any client would.
func peeringState(t *testing.T, e *emulator.Emulator, id string) armnetwork.VirtualNetworkPeeringState {
	t.Helper()
	parts := strings.Split(id, "/")
	if len(parts) != 11 {
		t.Fatalf("%q is not a peering ID", id)
	}
	cred, err := e.Credential("", "", "")
	if err != nil {
		t.Fatal(err)
	}
	client, err := armnetwork.NewVirtualNetworkPeeringsClient(parts[2], cred, e.ClientOptions())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	got, err := client.Get(ctx, parts[4], parts[8], parts[10], nil)
	if err != nil {
		t.Fatalf("reading %s: %v", id, err)
	}
	if got.Properties == nil || got.Properties.PeeringState == nil {
		t.Fatalf("%s has no peeringState", id)
	}
	return *got.Properties.PeeringState
}

// emulatorResources lists every resource the emulator holds, through its
// test-control API.
func emulatorResources(t *testing.T, e *emulator.Emulator) []string {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, e.URL+"/_emulator/resources", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.AdminKey())
	resp, err := e.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var ids []string
	if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &ids) != nil {
		t.Fatalf("GET /_emulator/resources: %s\n%s", resp.Status, b)
	}
	return ids
}
