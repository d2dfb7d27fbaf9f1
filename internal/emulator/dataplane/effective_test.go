package dataplane_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/emulatortest"
)

const networkAPI = "?api-version=2025-05-01"

// The effective routes of vma's NIC once a and b are peered, exactly as
// Azure shows them: VnetLocal, the peer's space (source Default, next hop
// VNetPeering), the Internet, and None for the private ranges other than
// b's 192.168.0.0/16, which the peering route replaces.
const peeredRoutes = `{"value":[` +
	`{"addressPrefix":["10.1.0.0/16"],"nextHopIpAddress":[],"nextHopType":"VnetLocal","source":"Default","state":"Active"},` +
	`{"addressPrefix":["192.168.0.0/16"],"nextHopIpAddress":[],"nextHopType":"VNetPeering","source":"Default","state":"Active"},` +
	`{"addressPrefix":["0.0.0.0/0"],"nextHopIpAddress":[],"nextHopType":"Internet","source":"Default","state":"Active"},` +
	`{"addressPrefix":["10.0.0.0/8"],"nextHopIpAddress":[],"nextHopType":"None","source":"Default","state":"Active"},` +
	`{"addressPrefix":["100.64.0.0/10"],"nextHopIpAddress":[],"nextHopType":"None","source":"Default","state":"Active"},` +
	`{"addressPrefix":["172.16.0.0/12"],"nextHopIpAddress":[],"nextHopType":"None","source":"Default","state":"Active"}]}`

func TestEffectiveRouteTableIsWhatAzureShows(t *testing.T) {
	l := newTwoRegions(t)
	l.Peer("rg", "a", "b")
	path := l.ID("rg", "Microsoft.Network/networkInterfaces", "vma-nic") + "/effectiveRouteTable" + networkAPI
	resp, body := l.Do(http.MethodPost, path, nil)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusAccepted || !strings.Contains(loc, "/providers/Microsoft.Network/locations/eastus/operationResults/") {
		t.Fatalf("POST effectiveRouteTable: %d, Location %q: %s; want 202 with a Location", resp.StatusCode, loc, body)
	}
	r, b := l.Do(http.MethodGet, loc, nil)
	if r.StatusCode != http.StatusOK || string(b) != peeredRoutes {
		t.Errorf("effective routes: %d\n%s\nwant\n%s", r.StatusCode, b, peeredRoutes)
	}
	// The SDK's poller reads the same.
	got, _ := json.Marshal(map[string]any{"value": l.EffectiveRoutes("rg", "vma-nic")})
	if string(got) != peeredRoutes {
		t.Errorf("BeginGetEffectiveRouteTable: %s", got)
	}
}

func TestEffectiveRoutesBeforePeeringHaveNoPeer(t *testing.T) {
	l := newTwoRegions(t)
	var hops []string
	for _, r := range l.EffectiveRoutes("rg", "vmb-nic") {
		hops = append(hops, deref(r.AddressPrefix[0])+" "+string(deref(r.NextHopType)))
	}
	want := "192.168.0.0/16 VnetLocal|0.0.0.0/0 Internet|10.0.0.0/8 None|100.64.0.0/10 None|172.16.0.0/12 None"
	if got := strings.Join(hops, "|"); got != want {
		t.Errorf("vmb's routes without peering: %s\nwant %s", got, want)
	}
}

func TestEffectiveRoutesNeedARunningVM(t *testing.T) {
	l := emulatortest.New(t, emulator.Options{})
	l.Group("rg", "eastus")
	l.VNet("rg", "a", "eastus", []string{"10.1.0.0/16"}, "s=10.1.1.0/24")
	l.NIC("rg", "lonely", "eastus", l.ID("rg", "Microsoft.Network/virtualNetworks", "a", "subnets", "s"), emulatortest.NICOptions{})
	_, err := l.Net.NewInterfacesClient().BeginGetEffectiveRouteTable(t.Context(), "rg", "lonely", nil)
	if err == nil || !strings.Contains(err.Error(), "NicNotAttachedToRunningVm") {
		t.Errorf("effective routes of a NIC without a VM: %v, want 400 NicNotAttachedToRunningVm", err)
	}
	if resp, _ := l.Do(http.MethodPost, l.ID("rg", "Microsoft.Network/networkInterfaces", "nope")+"/effectiveRouteTable"+networkAPI, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("effective routes of a missing NIC: %d, want 404", resp.StatusCode)
	}
}
