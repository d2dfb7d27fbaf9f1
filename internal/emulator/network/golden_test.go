package network_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
)

// golden is one example of the Azure REST API specification, reduced by
// hand to what these tests need; each file under testdata/golden names the
// example it is derived from.
type golden struct {
	DerivedFrom string          `json:"derivedFrom"`
	Peering     string          `json:"peering"`
	Query       string          `json:"query"`
	Request     json.RawMessage `json:"request"`
	Status      int             `json:"status"`
	Response    json.RawMessage `json:"response"`
}

// exampleSubscription is the subscription of the examples' IDs; the tests
// rewrite it to the emulator's.
const exampleSubscription = "00000000-0000-0000-0000-000000000000"

// goldenExtras are keys real Azure answers carry that the examples leave
// out (seen in az CLI output of peerings in 2024): the emulator may send
// them. Any other key the examples lack fails the test.
var goldenExtras = map[string]bool{
	"etag":                                 true,
	"type":                                 true,
	"properties.resourceGuid":              true,
	"properties.doNotVerifyRemoteGateways": true,
	"properties.peerCompleteVnets":         true,
	"properties.remoteVirtualNetworkEncryption": true,
}

// goldenUnmodelled are keys of the examples the emulator cannot produce,
// and why.
var goldenUnmodelled = map[string]string{
	"properties.remoteBgpCommunities.regionalCommunity": "Azure assigns each region its own BGP community; the emulator knows no region's value and leaves it out",
}

func loadGolden(t *testing.T, name string) golden {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "golden", name))
	if err != nil {
		t.Fatal(err)
	}
	b = []byte(strings.ReplaceAll(string(b), "/subscriptions/"+exampleSubscription+"/", "/subscriptions/"+sub+"/"))
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if g.DerivedFrom == "" {
		t.Fatalf("%s does not name the example it comes from", name)
	}
	for k, why := range goldenUnmodelled {
		t.Logf("not compared: %s (%s)", k, why)
	}
	return g
}

// checkGolden sends the example's request and compares the PUT answer and
// the resource once its operation is done with the example's answer.
func (l *lab) checkGolden(g golden) {
	l.t.Helper()
	query := "?api-version=" + networkAPI
	if g.Query != "" {
		query = "?" + g.Query + "&api-version=" + networkAPI
	}
	resp, b := l.do(http.MethodPut, g.Peering+query, g.Request, nil)
	if resp.StatusCode != g.Status {
		l.t.Fatalf("PUT answered %d, the example %d: %s", resp.StatusCode, g.Status, b)
	}
	compareShape(l.t, "PUT answer", g.Response, b)
	if got := l.pollStatus(resp.Header.Get("Azure-AsyncOperation")); got[len(got)-1] != "Succeeded" {
		l.t.Fatalf("operation ended %v", got)
	}
	resp, b = l.do(http.MethodGet, g.Peering+"?api-version="+networkAPI, nil, nil)
	if resp.StatusCode != http.StatusOK {
		l.t.Fatalf("GET: %d %s", resp.StatusCode, b)
	}
	compareShape(l.t, "GET answer", g.Response, b)
}

// compareShape fails the test on every difference shapeDiff finds.
func compareShape(t *testing.T, what string, want, got []byte) {
	t.Helper()
	for _, d := range shapeDiff(want, got) {
		t.Errorf("%s: %s", what, d)
	}
}

// shapeDiff lists how got differs from want: keys of want missing from got
// (recursively, less goldenUnmodelled), keys of got that want lacks (but
// goldenExtras), and other values; lists are compared as sets, since Azure
// does not promise their order.
func shapeDiff(wantJSON, gotJSON []byte) []string {
	var want, got any
	if err := json.Unmarshal(wantJSON, &want); err != nil {
		return []string{"the example is not JSON: " + err.Error()}
	}
	if err := json.Unmarshal(gotJSON, &got); err != nil {
		return []string{"the answer is not JSON: " + err.Error()}
	}
	var diffs []string
	var walk func(path string, w, g any)
	walk = func(path string, w, g any) {
		switch wv := w.(type) {
		case map[string]any:
			gv, ok := g.(map[string]any)
			if !ok {
				diffs = append(diffs, fmt.Sprintf("%s is %v, the example has an object", path, g))
				return
			}
			for k, wk := range wv {
				p := strings.TrimPrefix(path+"."+k, ".")
				if _, skip := goldenUnmodelled[p]; skip {
					continue
				}
				gk, ok := gv[k]
				if !ok {
					diffs = append(diffs, fmt.Sprintf("%s is missing (the example has %v)", p, wk))
					continue
				}
				walk(p, wk, gk)
			}
			for k, gk := range gv {
				p := strings.TrimPrefix(path+"."+k, ".")
				if _, ok := wv[k]; !ok && !goldenExtras[p] {
					diffs = append(diffs, fmt.Sprintf("%s = %v is not in Azure's example", p, gk))
				}
			}
		case []any:
			gv, ok := g.([]any)
			if !ok || !reflect.DeepEqual(sortedStrings(wv), sortedStrings(gv)) {
				diffs = append(diffs, fmt.Sprintf("%s is %v, the example has %v", path, g, w))
			}
		default:
			if !reflect.DeepEqual(w, g) {
				diffs = append(diffs, fmt.Sprintf("%s is %v, the example has %v", path, g, w))
			}
		}
	}
	walk("", want, got)
	sort.Strings(diffs)
	return diffs
}

func sortedStrings(list []any) []string {
	out := make([]string, 0, len(list))
	for _, v := range list {
		out = append(out, fmt.Sprint(v))
	}
	sort.Strings(out)
	return out
}

// withCommunity sets the VNet's BGP community, as the examples' vnet2 has.
func withCommunity(v armnetwork.VirtualNetwork, community string) armnetwork.VirtualNetwork {
	v.Properties.BgpCommunities = &armnetwork.VirtualNetworkBgpCommunities{VirtualNetworkCommunity: to.Ptr(community)}
	return v
}

func TestGolden_PeeringCreate(t *testing.T) {
	l := newLab(t, emulator.Options{})
	g := loadGolden(t, "peering-create.json")
	l.group(nil, "peerTest", "westus")
	l.mustVNet(nil, "peerTest", "vnet1", vnetBody("westus", []string{"10.0.0.0/16"}))
	l.mustVNet(nil, "peerTest", "vnet2", withCommunity(vnetBody("westus", []string{"12.0.0.0/8"}), "12076:20002"))
	l.checkGolden(g)
}

func TestGolden_SubnetPeeringCreate(t *testing.T) {
	l := newLab(t, emulator.Options{})
	g := loadGolden(t, "subnet-peering-create.json")
	l.group(nil, "peerTest", "westus")
	// vnet1 has more space and one more subnet than it peers: the example's
	// local spaces list the peered subnets only.
	l.mustVNet(nil, "peerTest", "vnet1", vnetBody("westus", []string{"212.0.0.0/16", "13.0.0.0/8", "2002:2002::/48", "10.20.0.0/16"},
		subnet("Subnet1", "212.0.0.0/16", "2002:2002::/64"), subnet("Subnet4", "13.0.0.0/8"), subnet("Subnet3", "10.20.1.0/24")))
	l.mustVNet(nil, "peerTest", "vnet2", withCommunity(vnetBody("westus", []string{"12.0.0.0/8", "2001:2001::/48"},
		subnet("Subnet2", "12.0.0.0/8", "2001:2001::/64")), "12076:20002"))
	l.checkGolden(g)
}

func TestGolden_PeeringSync(t *testing.T) {
	l := newLab(t, emulator.Options{})
	g := loadGolden(t, "peering-sync.json")
	l.group(nil, "peerTest", "westus")
	l.mustVNet(nil, "peerTest", "vnet1", vnetBody("westus", []string{"10.0.0.0/16"}))
	l.mustVNet(nil, "peerTest", "vnet2", withCommunity(vnetBody("westus", []string{"12.0.0.0/16"}), "12076:20002"))
	l.mustPeering(nil, "peerTest", "vnet1", "peer", link(vnetID(sub, "peerTest", "vnet2")))
	// vnet2 grows to the example's 12.0.0.0/8: the link needs the sync.
	l.mustVNet(nil, "peerTest", "vnet2", withCommunity(vnetBody("westus", []string{"12.0.0.0/8"}), "12076:20002"))
	if p := l.getPeering(nil, "peerTest", "vnet1", "peer"); syncLevel(p) != armnetwork.VirtualNetworkPeeringLevelRemoteNotInSync {
		t.Fatalf("before the sync the link is %s, want RemoteNotInSync", syncLevel(p))
	}
	l.checkGolden(g)
}

func TestGolden_ShapeDiffCatchesDifferences(t *testing.T) {
	// The comparison itself must see a missing key, an extra key, a changed
	// value and a changed list, and accept an allowed extra key and a
	// reordered list.
	want := []byte(`{"a":1,"b":{"c":["x","y"]},"properties":{"peeringState":"Initiated"}}`)
	for _, got := range []string{
		`{"b":{"c":["x","y"]},"properties":{"peeringState":"Initiated"}}`,
		`{"a":1,"b":{"c":["x","y"]},"properties":{"peeringState":"Initiated","localAddressSpace":{}}}`,
		`{"a":1,"b":{"c":["x","y"]},"properties":{"peeringState":"Connected"}}`,
		`{"a":1,"b":{"c":["x"]},"properties":{"peeringState":"Initiated"}}`,
	} {
		if d := shapeDiff(want, []byte(got)); len(d) != 1 {
			t.Errorf("%s against %s: %v, want one difference", got, want, d)
		}
	}
	if d := shapeDiff(want, []byte(`{"etag":"W/\"1\"","a":1,"b":{"c":["y","x"]},"properties":{"peeringState":"Initiated"}}`)); len(d) != 0 {
		t.Errorf("differences reported: %v", d)
	}
}
