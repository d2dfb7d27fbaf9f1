package peering

import (
	"strings"
	"testing"
)

const (
	vnetA = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-main/providers/Microsoft.Network/virtualNetworks/main"
	vnetB = "/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/rg-remote/providers/Microsoft.Network/virtualNetworks/remote"
	linkA = vnetA + "/virtualNetworkPeerings/main-to-remote"
	linkB = vnetB + "/virtualNetworkPeerings/remote-to-main"
)

func TestParseVirtualNetworkID(t *testing.T) {
	v, err := ParseVirtualNetworkID(vnetA)
	if err != nil {
		t.Fatal(err)
	}
	if v.SubscriptionID != "11111111-1111-1111-1111-111111111111" || v.ResourceGroup != "rg-main" || v.Name != "main" || v.String() != vnetA {
		t.Errorf("parsed %+v", v)
	}
	// ARM matches the fixed words case-insensitively; names keep their case.
	odd, err := ParseVirtualNetworkID("/SUBSCRIPTIONS/S1/RESOURCEGROUPS/Rg/PROVIDERS/microsoft.network/VIRTUALNETWORKS/Main")
	if err != nil || odd.Name != "Main" || odd.ResourceGroup != "Rg" {
		t.Fatalf("odd casing: %+v, %v", odd, err)
	}
	if odd.String() != "/subscriptions/S1/resourceGroups/Rg/providers/Microsoft.Network/virtualNetworks/Main" {
		t.Errorf("String = %q", odd.String())
	}
	other, _ := ParseVirtualNetworkID("/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/main")
	if !odd.Equal(other) || odd.Key() != other.Key() {
		t.Error("IDs differing only in case are not equal")
	}
}

func TestParseVirtualNetworkIDSaysWhatWasGiven(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"", []string{"a virtual network ID is required"}},
		{"main", []string{`"main" is not an Azure resource ID`, "/providers/Microsoft.Network/virtualNetworks/<name>"}},
		{vnetA + "/subnets/default", []string{`the ID of subnet "default" in virtual network "main"`, `pass the virtual network's ID, "` + vnetA + `"`, "subnet_names"}},
		{linkA, []string{`the ID of peering link "main-to-remote" of virtual network "main"`, `"` + vnetA + `"`}},
		{"/subscriptions/s/resourceGroups/rg-main", []string{"is a resource group ID", "/subscriptions/s/resourceGroups/rg-main/providers/Microsoft.Network/virtualNetworks/<name>"}},
		{"/subscriptions/s", []string{"is a subscription ID"}},
		{"/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/vm", []string{"the ID of a Microsoft.Compute/virtualMachines resource"}},
		{vnetA + "/", []string{"is not an Azure resource ID"}},
		{"/subscriptions//resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v", []string{"is not an Azure resource ID"}},
	}
	for _, tc := range cases {
		_, err := ParseVirtualNetworkID(tc.in)
		if err == nil {
			t.Errorf("%q: no error", tc.in)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%q: error %q lacks %q", tc.in, err, w)
			}
		}
	}
}

func TestParseLinkAndPairIDs(t *testing.T) {
	l, err := ParseLinkID(linkA)
	if err != nil || l.Name != "main-to-remote" || l.VirtualNetwork.Name != "main" || l.String() != linkA {
		t.Fatalf("%+v %v", l, err)
	}
	if _, err := ParseLinkID(vnetA); err == nil || !strings.Contains(err.Error(), "is a virtual network ID; want a peering link ID") {
		t.Errorf("vnet as link: %v", err)
	}
	a, b, err := ParsePairID(linkA + "|" + linkB)
	if err != nil || a.String() != linkA || b.String() != linkB {
		t.Fatalf("pair: %v %v %v", a, b, err)
	}
	if PairID(a, b) != linkA+"|"+linkB {
		t.Error("PairID does not round-trip")
	}
	for in, want := range map[string]string{
		linkA + "|" + linkB + "|" + linkA:                    "is not a pair ID",
		linkA + "|" + vnetB:                                  "side b of pair ID",
		vnetA + "|" + linkB:                                  "side a of pair ID",
		linkA + "|" + vnetA + "/virtualNetworkPeerings/loop": "names two links of the same virtual network",
	} {
		if _, _, err := ParsePairID(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
}

func TestParseImportID(t *testing.T) {
	id, err := ParseImportID(" " + linkA + "|" + linkB + " ")
	if err != nil || id.Single || id.B.String() != linkB {
		t.Fatalf("pair: %+v %v", id, err)
	}
	id, err = ParseImportID(linkB)
	if err != nil || !id.Single || id.A.String() != linkB {
		t.Fatalf("single: %+v %v", id, err)
	}
	_, err = ParseImportID(vnetA)
	for _, w := range []string{"is a virtual network ID, which cannot be imported as a peering", "pass a peering link ID", "or a pair ID", "peerlab_virtual_network_peerings", vnetA} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("vnet: %v lacks %q", err, w)
		}
	}
	_, err = ParseImportID(vnetA + "/subnets/s1")
	if err == nil || !strings.Contains(err.Error(), `the ID of subnet "s1"`) || !strings.Contains(err.Error(), "pass a peering link ID") {
		t.Errorf("subnet: %v", err)
	}
	if _, err := ParseImportID("main-to-remote"); err == nil || !strings.Contains(err.Error(), "not an Azure resource ID") {
		t.Errorf("name: %v", err)
	}
}
