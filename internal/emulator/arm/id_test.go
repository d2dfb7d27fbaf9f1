package arm

import (
	"strings"
	"testing"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

func TestParseID(t *testing.T) {
	id, err := ParseID("/subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/v/virtualNetworkPeerings/p")
	if err != nil {
		t.Fatal(err)
	}
	if id.Subscription != "S" || id.ResourceGroup != "RG" || id.FullType() != "Microsoft.Network/virtualNetworks/virtualNetworkPeerings" || id.Name() != "p" {
		t.Errorf("parsed %+v", id)
	}
	if got := id.Parent().String(); got != "/subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/v" {
		t.Errorf("parent %s", got)
	}
	if got := id.Parent().Parent().String(); got != "/subscriptions/S/resourceGroups/RG" {
		t.Errorf("grandparent %s", got)
	}
	for _, bad := range []string{"", "/resourceGroups/rg", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks"} {
		if _, err := ParseID(bad); err == nil {
			t.Errorf("ParseID(%q) must fail", bad)
		}
	}
	if !SameID("/subscriptions/s/resourceGroups/RG/", "//SUBSCRIPTIONS/s/resourcegroups/rg") {
		t.Error("SameID must ignore case and extra slashes")
	}
}

func TestRouterPrefersLiteralSegments(t *testing.T) {
	r := &Router{}
	r.Handle("GET", "/subscriptions/{subscriptionId}/providers/{namespace}/locations/{location}/operations/{operationId}", "", nil)
	r.Handle("GET", "/subscriptions/{subscriptionId}/providers/Microsoft.Network/locations/{location}/{kind}/{name}", "", nil)
	rt, vars, _ := r.match("GET", "/Subscriptions/s/providers/microsoft.network/locations/eastus/operations/42")
	if rt == nil || vars["operationId"] != "42" {
		t.Fatalf("matched %+v %v", rt, vars)
	}
	if _, _, known := r.match("DELETE", "/subscriptions/s/providers/x/locations/l/operations/1"); !known {
		t.Error("a path served under another method must be known (for 405)")
	}
}

func TestProfiles(t *testing.T) {
	if d := FastProfile().Duration("PutVirtualNetworkPeeringOperation"); d != 0 {
		t.Errorf("fast profile: %v", d)
	}
	p, err := ParseProfile("realistic", 0.5)
	if err != nil || p.Duration("PutVirtualNetworkPeeringOperation") != 4e9 {
		t.Errorf("realistic at half speed: %v %v", err, p.Duration("PutVirtualNetworkPeeringOperation"))
	}
	if _, err := ParseProfile("slow", 1); err == nil {
		t.Error("an unknown profile must be refused")
	}
}

func TestCanonicalIDKeepsStoredNames(t *testing.T) {
	st, _ := store.New("")
	_ = st.Write(func(tx *store.Tx) error {
		_ = tx.Put("/subscriptions/s/resourceGroups/Lab-RG", TypeResourceGroup, map[string]string{})
		return tx.Put("/subscriptions/s/resourceGroups/Lab-RG/providers/Microsoft.Network/virtualNetworks/Hub", "Microsoft.Network/virtualNetworks", map[string]string{})
	})
	id, _ := ParseID("/subscriptions/s/resourcegroups/lab-rg/providers/Microsoft.Network/virtualNetworks/HUB/subnets/NewOne")
	_ = st.Read(func(tx *store.Tx) error {
		got := CanonicalID(tx, id).String()
		if want := "/subscriptions/s/resourceGroups/Lab-RG/providers/Microsoft.Network/virtualNetworks/Hub/subnets/NewOne"; got != want {
			t.Errorf("got %s, want %s", got, want)
		}
		return nil
	})
	if id.Names[0] != "HUB" {
		t.Error("CanonicalID must not change the caller's ID")
	}
}

func TestLocationRules(t *testing.T) {
	if RequireLocation(nil) == nil || RequireLocation(new(string)) == nil {
		t.Error("a missing or empty location must be refused")
	}
	if e := KeepLocation("v", "rg", "eastus", "East US"); e != nil {
		t.Errorf("the same region in its display name is no move: %v", e)
	}
	e := KeepLocation("v", "rg", "eastus", "westus")
	if e == nil || e.Status != 409 || e.Code != "InvalidResourceLocation" {
		t.Fatalf("a move to another region: %v, want 409 InvalidResourceLocation", e)
	}
	for _, s := range []string{"'v'", "'eastus'", "'rg'", "'westus'"} {
		if !strings.Contains(e.Message, s) {
			t.Errorf("the message %q does not name %s", e.Message, s)
		}
	}
}
