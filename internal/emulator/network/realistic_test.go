package network_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
	emuarm "github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
)

// realisticScale makes a VNet PUT take 0.6 s and a peering PUT 0.8 s: long
// enough for a second request to arrive while the first runs, even under
// the race detector.
const realisticScale = 0.1

func newRealisticLab(t *testing.T) *lab {
	return newLab(t, emulator.Options{Profile: emuarm.RealisticProfile(realisticScale)})
}

// provisioningState reads properties.provisioningState of a raw answer.
func provisioningState(t *testing.T, b []byte) string {
	t.Helper()
	var r struct {
		Properties struct {
			ProvisioningState string `json:"provisioningState"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("answer is not JSON: %v: %s", err, b)
	}
	return r.Properties.ProvisioningState
}

func TestRealistic_ProvisioningStateAndOperationStatus(t *testing.T) {
	t.Parallel()
	l := newRealisticLab(t)
	l.group(nil, "rg", "westeurope")
	path := vnetID(sub, "rg", "vnet1") + "?api-version=" + networkAPI
	resp, b := l.do(http.MethodPut, path, vnetBody("westeurope", []string{"10.0.0.0/16"}), nil)
	if resp.StatusCode != http.StatusCreated || provisioningState(t, b) != "Updating" {
		t.Fatalf("PUT: %d, provisioningState %s, want 201 Updating", resp.StatusCode, provisioningState(t, b))
	}
	if resp.Header.Get("Retry-After") == "" || resp.Header.Get("Retry-After") == "0" {
		t.Errorf("Retry-After %q while the operation runs", resp.Header.Get("Retry-After"))
	}
	if _, b = l.do(http.MethodGet, path, nil, nil); provisioningState(t, b) != "Updating" {
		t.Errorf("GET during the operation: %s, want Updating", provisioningState(t, b))
	}
	if got := l.pollStatus(resp.Header.Get("Azure-AsyncOperation")); strings.Join(got, ",") != "InProgress,Succeeded" {
		t.Errorf("operation statuses %v, want InProgress then Succeeded", got)
	}
	if _, b = l.do(http.MethodGet, path, nil, nil); provisioningState(t, b) != "Succeeded" {
		t.Errorf("GET after the operation: %s, want Succeeded", provisioningState(t, b))
	}
}

func TestRealistic_AnotherOperationInProgress(t *testing.T) {
	t.Parallel()
	l := newRealisticLab(t)
	l.fixture("rg", "vnet1", "westeurope", "10.0.0.0/16")
	path := vnetID(sub, "rg", "vnet1") + "?api-version=" + networkAPI
	resp, _ := l.do(http.MethodPut, path, vnetBody("westeurope", []string{"10.0.0.0/16", "10.1.0.0/16"}), nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("update: %d", resp.StatusCode)
	}
	async := resp.Header.Get("Azure-AsyncOperation")

	again, b := l.do(http.MethodPut, path, vnetBody("westeurope", []string{"10.0.0.0/16"}), nil)
	if again.StatusCode != http.StatusConflict || !strings.Contains(string(b), `"AnotherOperationInProgress"`) {
		t.Fatalf("second write to the busy VNet: %d %s, want 409 AnotherOperationInProgress", again.StatusCode, b)
	}
	if msg := errorMessage(b); !strings.Contains(msg, "To retrieve status of the operation use uri: "+strings.Split(async, "?")[0]) {
		t.Errorf("message does not point at the running operation %s: %s", async, msg)
	}
	_, err := l.putSubnet("rg", "vnet1", subnet("web", "10.0.1.0/24"))
	wantError(t, err, http.StatusConflict, "AnotherOperationInProgress")

	l.pollStatus(async)
	if _, err := l.putSubnet("rg", "vnet1", subnet("web", "10.0.1.0/24")); err != nil {
		t.Errorf("once the operation ended: %v", err)
	}
}

func TestRealistic_ReferencedResourceNotProvisioned(t *testing.T) {
	t.Parallel()
	l := newRealisticLab(t)
	v1, v2 := l.pair()

	// The remote VNet is being updated.
	resp, _ := l.do(http.MethodPut, v2+"?api-version="+networkAPI, vnetBody("northeurope", []string{"10.1.0.0/16", "10.2.0.0/16"}), nil)
	_, err := l.putPeering(nil, "rg", "vnet1", "to-vnet2", link(v2), false)
	e := wantError(t, err, http.StatusBadRequest, "ReferencedResourceNotProvisioned")
	want := "Cannot proceed with operation because resource " + v2 + " used by resource " + v1 + "/virtualNetworkPeerings/to-vnet2 is not in Succeeded state. Resource is in Updating state and the last operation that updated/is updating the resource is PutVirtualNetworkOperation."
	if e.Message != want {
		t.Errorf("message\n %s\nwant\n %s", e.Message, want)
	}
	l.pollStatus(resp.Header.Get("Azure-AsyncOperation"))

	// The link's own VNet has a subnet being put.
	sp, err := l.net.NewSubnetsClient().BeginCreateOrUpdate(t.Context(), "rg", "vnet1", "web", *subnet("web", "10.0.1.0/24"), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = l.putPeering(nil, "rg", "vnet1", "to-vnet2", link(v2), false)
	e = wantError(t, err, http.StatusBadRequest, "ReferencedResourceNotProvisioned")
	if !strings.HasPrefix(e.Message, "Cannot proceed with operation because resource "+v1+" used by resource ") || !strings.HasSuffix(e.Message, "is PutSubnetOperation.") {
		t.Errorf("message %s", e.Message)
	}
	if _, err := sp.PollUntilDone(t.Context(), poll); err != nil {
		t.Fatal(err)
	}
	p := l.mustPeering(nil, "rg", "vnet1", "to-vnet2", link(v2))
	if state(p) != initiated || *p.Properties.ProvisioningState != armnetwork.ProvisioningStateSucceeded {
		t.Errorf("after waiting: %s %s", state(p), *p.Properties.ProvisioningState)
	}
}

func TestRealistic_PeeringPutAndDelete(t *testing.T) {
	t.Parallel()
	l := newRealisticLab(t)
	v1, v2 := l.pair()
	l.mustVNet(nil, "rg", "vnet3", vnetBody("westeurope", []string{"10.3.0.0/16"}))
	path := v1 + "/virtualNetworkPeerings/to-vnet2?api-version=" + networkAPI
	resp, b := l.do(http.MethodPut, path, link(v2), nil)
	if resp.StatusCode != http.StatusCreated || provisioningState(t, b) != "Updating" {
		t.Fatalf("PUT: %d %s", resp.StatusCode, provisioningState(t, b))
	}
	// A second link on the same VNet must wait for the first.
	_, err := l.putPeering(nil, "rg", "vnet1", "to-vnet3", link(vnetID(sub, "rg", "vnet3")), false)
	wantError(t, err, http.StatusConflict, "AnotherOperationInProgress")
	l.pollStatus(resp.Header.Get("Azure-AsyncOperation"))
	if p := l.getPeering(nil, "rg", "vnet1", "to-vnet2"); *p.Properties.ProvisioningState != armnetwork.ProvisioningStateSucceeded || state(p) != initiated {
		t.Errorf("after the operation: %s %s", *p.Properties.ProvisioningState, state(p))
	}

	resp, _ = l.do(http.MethodDelete, path, nil, nil)
	if resp.StatusCode != http.StatusAccepted || resp.Header.Get("Location") == "" || resp.Header.Get("Azure-AsyncOperation") == "" {
		t.Fatalf("DELETE: %d %v", resp.StatusCode, resp.Header)
	}
	if r, _ := l.do(http.MethodGet, resp.Header.Get("Location"), nil, nil); r.StatusCode != http.StatusAccepted {
		t.Errorf("Location during the delete: %d, want 202", r.StatusCode)
	}
	if _, b = l.do(http.MethodGet, path, nil, nil); provisioningState(t, b) != "Deleting" {
		t.Errorf("GET during the delete: %s, want Deleting", provisioningState(t, b))
	}
	l.pollStatus(resp.Header.Get("Azure-AsyncOperation"))
	if r, _ := l.do(http.MethodGet, path, nil, nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("GET after the delete: %d, want 404", r.StatusCode)
	}

	// The SDK's pollers wait out both operations.
	l.mustPeering(nil, "rg", "vnet2", "to-vnet1", link(v1))
	l.deletePeering(nil, "rg", "vnet2", "to-vnet1")
}
