package network_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
)

// putSubnet creates or updates one subnet through the subnets API.
func (l *lab) putSubnet(group, vnet string, s *armnetwork.Subnet) (armnetwork.Subnet, error) {
	p, err := l.net.NewSubnetsClient().BeginCreateOrUpdate(l.t.Context(), group, vnet, *s.Name, *s, nil)
	if err != nil {
		return armnetwork.Subnet{}, err
	}
	r, err := p.PollUntilDone(l.t.Context(), poll)
	return r.Subnet, err
}

func TestSubnet_CreateGetListDelete(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.fixture("rg", "vnet1", "westeurope", "10.0.0.0/16")
	s, err := l.putSubnet("rg", "vnet1", subnet("web", "10.0.1.0/24"))
	if err != nil {
		t.Fatal(err)
	}
	want := vnetID(sub, "rg", "vnet1") + "/subnets/web"
	if *s.ID != want || *s.Properties.AddressPrefix != "10.0.1.0/24" || *s.Properties.ProvisioningState != armnetwork.ProvisioningStateSucceeded {
		t.Errorf("subnet %s %s %s", *s.ID, *s.Properties.AddressPrefix, *s.Properties.ProvisioningState)
	}
	if *s.Type != "Microsoft.Network/virtualNetworks/subnets" || s.Etag == nil {
		t.Errorf("subnet type %v etag %v", s.Type, s.Etag)
	}
	if _, err := l.putSubnet("rg", "vnet1", subnet("db", "10.0.2.0/24")); err != nil {
		t.Fatal(err)
	}

	v, err := l.net.NewVirtualNetworksClient().Get(t.Context(), "rg", "vnet1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := subnetNames(v.VirtualNetwork); got != "db,web" {
		t.Errorf("the VNet embeds %s, want db,web", got)
	}
	var names []string
	pager := l.net.NewSubnetsClient().NewListPager("rg", "vnet1", nil)
	for pager.More() {
		page, err := pager.NextPage(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range page.Value {
			names = append(names, *s.Name)
		}
	}
	if strings.Join(names, ",") != "db,web" {
		t.Errorf("list: %v", names)
	}

	p, err := l.net.NewSubnetsClient().BeginDelete(t.Context(), "rg", "vnet1", "web", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.PollUntilDone(t.Context(), poll); err != nil {
		t.Fatal(err)
	}
	_, err = l.net.NewSubnetsClient().Get(t.Context(), "rg", "vnet1", "web", nil)
	wantError(t, err, http.StatusNotFound, "NotFound")
	// Deleting what is gone succeeds (204).
	resp, _ := l.do(http.MethodDelete, want+"?api-version="+networkAPI, nil, nil)
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("DELETE of a missing subnet: %d, want 204", resp.StatusCode)
	}
}

func TestSubnet_RangeOutsideVnet(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.fixture("rg", "vnet1", "westeurope", "10.0.0.0/16")
	_, err := l.putSubnet("rg", "vnet1", subnet("web", "10.1.0.0/24"))
	e := wantError(t, err, http.StatusBadRequest, "NetcfgSubnetRangeOutsideVnet")
	if want := "Subnet 'web' is not valid because its IP address range is outside the IP address range of virtual network 'vnet1'."; e.Message != want {
		t.Errorf("message %q, want %q", e.Message, want)
	}
	// The same rule in a VNet PUT, and for a subnet only partly inside.
	_, err = l.putVNet(nil, "rg", "vnet1", vnetBody("westeurope", []string{"10.0.0.0/16"}, subnet("big", "10.0.0.0/15")))
	wantError(t, err, http.StatusBadRequest, "NetcfgSubnetRangeOutsideVnet")
}

func TestSubnet_RangesOverlap(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.fixture("rg", "vnet1", "westeurope", "10.0.0.0/16")
	if _, err := l.putSubnet("rg", "vnet1", subnet("web", "10.0.1.0/24")); err != nil {
		t.Fatal(err)
	}
	_, err := l.putSubnet("rg", "vnet1", subnet("db", "10.0.1.128/25"))
	e := wantError(t, err, http.StatusBadRequest, "NetcfgSubnetRangesOverlap")
	if want := "Subnet 'db' is not valid because its IP address range overlaps with that of an existing subnet in virtual network 'vnet1'."; e.Message != want {
		t.Errorf("message %q, want %q", e.Message, want)
	}
	// Updating a subnet does not clash with itself.
	if _, err := l.putSubnet("rg", "vnet1", subnet("web", "10.0.0.0/23")); err != nil {
		t.Errorf("growing a subnet over its own range: %v", err)
	}
	_, err = l.putVNet(nil, "rg", "vnet1", vnetBody("westeurope", []string{"10.0.0.0/16"},
		subnet("a", "10.0.4.0/24"), subnet("b", "10.0.4.0/25")))
	wantError(t, err, http.StatusBadRequest, "NetcfgSubnetRangesOverlap")
}

func TestSubnet_InvalidCIDRNotation(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.fixture("rg", "vnet1", "westeurope", "10.0.0.0/16")
	_, err := l.putSubnet("rg", "vnet1", subnet("web", "10.0.1.5/24"))
	e := wantError(t, err, http.StatusBadRequest, "InvalidCIDRNotation")
	want := "The address prefix 10.0.1.5/24 in resource " + vnetID(sub, "rg", "vnet1") + "/subnets/web has an invalid CIDR notation. For the given prefix length, the address prefix should be 10.0.1.0/24."
	if e.Message != want {
		t.Errorf("message %q, want %q", e.Message, want)
	}
}

func TestSubnet_DualStackAndMissingParent(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.fixture("rg", "vnet1", "westeurope", "10.0.0.0/16", "fd00:db8:deca::/48")
	s, err := l.putSubnet("rg", "vnet1", subnet("web", "10.0.1.0/24", "fd00:db8:deca:1::/64"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(prefixes(&armnetwork.AddressSpace{AddressPrefixes: s.Properties.AddressPrefixes}), ","); got != "10.0.1.0/24,fd00:db8:deca:1::/64" {
		t.Errorf("addressPrefixes %s", got)
	}
	_, err = l.putSubnet("rg", "vnet1", subnet("v6", "fd00:db8:dead::/64"))
	wantError(t, err, http.StatusBadRequest, "NetcfgSubnetRangeOutsideVnet")
	_, err = l.putSubnet("rg", "nosuchvnet", subnet("web", "10.0.1.0/24"))
	wantError(t, err, http.StatusNotFound, "ResourceNotFound")
}
