package network_test

import (
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
)

// pipBody is a public IP PUT body; empty strings leave a setting out.
func pipBody(sku armnetwork.PublicIPAddressSKUName, alloc armnetwork.IPAllocationMethod, version armnetwork.IPVersion) armnetwork.PublicIPAddress {
	b := armnetwork.PublicIPAddress{Location: to.Ptr("westeurope"), Properties: &armnetwork.PublicIPAddressPropertiesFormat{}}
	if sku != "" {
		b.SKU = &armnetwork.PublicIPAddressSKU{Name: to.Ptr(sku)}
	}
	if alloc != "" {
		b.Properties.PublicIPAllocationMethod = to.Ptr(alloc)
	}
	if version != "" {
		b.Properties.PublicIPAddressVersion = to.Ptr(version)
	}
	return b
}

func (l *lab) putPIP(rg, name string, body armnetwork.PublicIPAddress) (armnetwork.PublicIPAddress, error) {
	p, err := l.net.NewPublicIPAddressesClient().BeginCreateOrUpdate(l.t.Context(), rg, name, body, nil)
	if err != nil {
		return armnetwork.PublicIPAddress{}, err
	}
	r, err := p.PollUntilDone(l.t.Context(), poll)
	return r.PublicIPAddress, err
}

func (l *lab) mustPIP(rg, name string, body armnetwork.PublicIPAddress) armnetwork.PublicIPAddress {
	l.t.Helper()
	p, err := l.putPIP(rg, name, body)
	if err != nil {
		l.t.Fatalf("putting public IP %s: %v", name, err)
	}
	return p
}

func (l *lab) getPIP(rg, name string) armnetwork.PublicIPAddress {
	l.t.Helper()
	r, err := l.net.NewPublicIPAddressesClient().Get(l.t.Context(), rg, name, nil)
	if err != nil {
		l.t.Fatalf("getting public IP %s: %v", name, err)
	}
	return r.PublicIPAddress
}

func (l *lab) deletePIP(rg, name string) error {
	p, err := l.net.NewPublicIPAddressesClient().BeginDelete(l.t.Context(), rg, name, nil)
	if err != nil {
		return err
	}
	_, err = p.PollUntilDone(l.t.Context(), poll)
	return err
}

func address(p armnetwork.PublicIPAddress) string {
	if p.Properties == nil || p.Properties.IPAddress == nil {
		return ""
	}
	return *p.Properties.IPAddress
}

func TestPublicIP_StaticGetsAnAddressAtCreation(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.group(nil, "rg", "westeurope")
	p := l.mustPIP("rg", "pip", pipBody(armnetwork.PublicIPAddressSKUNameStandard, armnetwork.IPAllocationMethodStatic, ""))
	a, err := netip.ParseAddr(address(p))
	if err != nil || !netip.MustParsePrefix("20.0.0.0/8").Contains(a) || a.As4()[3] == 0 || a.As4()[3] == 255 {
		t.Fatalf("address %q is not a usable address of 20.0.0.0/8", address(p))
	}
	if *p.SKU.Name != armnetwork.PublicIPAddressSKUNameStandard || *p.SKU.Tier != armnetwork.PublicIPAddressSKUTierRegional ||
		*p.Properties.PublicIPAddressVersion != armnetwork.IPVersionIPv4 || *p.Properties.IdleTimeoutInMinutes != 4 ||
		*p.Properties.ProvisioningState != armnetwork.ProvisioningStateSucceeded || p.Properties.IPConfiguration != nil ||
		*p.ID != resID("rg", "publicIPAddresses/pip") || *p.Type != "Microsoft.Network/publicIPAddresses" {
		t.Errorf("public IP = %+v %+v", p, p.Properties)
	}
	other := l.mustPIP("rg", "other", pipBody(armnetwork.PublicIPAddressSKUNameStandard, armnetwork.IPAllocationMethodStatic, ""))
	if address(other) == address(p) {
		t.Errorf("two public IPs share %s", address(p))
	}
	// An update keeps the address; the same resource made again gets the
	// same one.
	if again := l.mustPIP("rg", "pip", pipBody(armnetwork.PublicIPAddressSKUNameStandard, armnetwork.IPAllocationMethodStatic, "")); address(again) != address(p) {
		t.Errorf("update moved the address from %s to %s", address(p), address(again))
	}
	if err := l.deletePIP("rg", "pip"); err != nil {
		t.Fatal(err)
	}
	if again := l.mustPIP("rg", "pip", pipBody(armnetwork.PublicIPAddressSKUNameStandard, armnetwork.IPAllocationMethodStatic, "")); address(again) != address(p) {
		t.Errorf("recreated with %s, first had %s", address(again), address(p))
	}

	v6 := l.mustPIP("rg", "v6", pipBody(armnetwork.PublicIPAddressSKUNameStandard, armnetwork.IPAllocationMethodStatic, armnetwork.IPVersionIPv6))
	if a, err := netip.ParseAddr(address(v6)); err != nil || !a.Is6() || !netip.MustParsePrefix("2603:1030::/32").Contains(a) {
		t.Errorf("IPv6 public IP has address %q", address(v6))
	}
}

func TestPublicIP_StandardMustBeStatic(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.group(nil, "rg", "westeurope")
	_, err := l.putPIP("rg", "pip", pipBody(armnetwork.PublicIPAddressSKUNameStandard, armnetwork.IPAllocationMethodDynamic, ""))
	e := wantError(t, err, http.StatusBadRequest, "StandardSkuPublicIPAddressesMustBeStatic")
	if want := "Standard sku publicIp " + resID("rg", "publicIPAddresses/pip") + " must have AllocationMethod set to Static."; e.Message != want {
		t.Errorf("message %q, want %q", e.Message, want)
	}
	// Standard without a method is Static; Basic without one is Dynamic, as
	// the REST specification's example shows.
	if p := l.mustPIP("rg", "std", pipBody(armnetwork.PublicIPAddressSKUNameStandard, "", "")); *p.Properties.PublicIPAllocationMethod != armnetwork.IPAllocationMethodStatic || address(p) == "" {
		t.Errorf("Standard default: %s %q", *p.Properties.PublicIPAllocationMethod, address(p))
	}
	p := l.mustPIP("rg", "basic", pipBody("", "", ""))
	if *p.SKU.Name != armnetwork.PublicIPAddressSKUNameBasic || *p.Properties.PublicIPAllocationMethod != armnetwork.IPAllocationMethodDynamic || address(p) != "" {
		t.Errorf("defaults: %s %s %q", *p.SKU.Name, *p.Properties.PublicIPAllocationMethod, address(p))
	}
}

func TestPublicIP_DynamicAddressFollowsItsNIC(t *testing.T) {
	l := newNICLab(t, emulator.Options{})
	l.mustPIP("rg", "pip", pipBody(armnetwork.PublicIPAddressSKUNameBasic, armnetwork.IPAllocationMethodDynamic, ""))
	if a := address(l.getPIP("rg", "pip")); a != "" {
		t.Fatalf("an unattached Dynamic public IP has address %s", a)
	}
	withPIP := nicBody(ipConfig("ipconfig1", webSubnetID))
	withPIP.Properties.IPConfigurations[0].Properties.PublicIPAddress = &armnetwork.PublicIPAddress{ID: to.Ptr(resID("rg", "publicIPAddresses/pip"))}
	l.mustNIC("rg", "nic", withPIP)

	p := l.getPIP("rg", "pip")
	ipcID := resID("rg", "networkInterfaces/nic/ipConfigurations/ipconfig1")
	if address(p) == "" || p.Properties.IPConfiguration == nil || *p.Properties.IPConfiguration.ID != ipcID {
		t.Fatalf("attached public IP: address %q, ipConfiguration %v", address(p), p.Properties.IPConfiguration)
	}
	e := wantError(t, l.deletePIP("rg", "pip"), http.StatusBadRequest, "PublicIPAddressCannotBeDeleted")
	if !strings.HasPrefix(e.Message, "Public IP address "+resID("rg", "publicIPAddresses/pip")+" can not be deleted since it is still allocated to resource "+ipcID+".") {
		t.Errorf("message %q", e.Message)
	}

	// Detached, a Dynamic public IP gives its address back.
	l.mustNIC("rg", "nic", nicBody(ipConfig("ipconfig1", webSubnetID)))
	if p := l.getPIP("rg", "pip"); address(p) != "" || p.Properties.IPConfiguration != nil {
		t.Errorf("detached: address %q, ipConfiguration %v", address(p), p.Properties.IPConfiguration)
	}
	// So it does when its NIC is deleted.
	l.mustNIC("rg", "nic", withPIP)
	if err := l.deleteNIC("rg", "nic"); err != nil {
		t.Fatal(err)
	}
	if a := address(l.getPIP("rg", "pip")); a != "" {
		t.Errorf("the NIC is gone, the Dynamic public IP still has %s", a)
	}
	if err := l.deletePIP("rg", "pip"); err != nil {
		t.Fatalf("deleting the free public IP: %v", err)
	}
}

func TestPublicIP_ListsTagsAndNotFound(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.group(nil, "rg", "westeurope")
	l.mustPIP("rg", "a", pipBody("", "", ""))
	l.mustPIP("rg", "b", pipBody(armnetwork.PublicIPAddressSKUNameStandard, armnetwork.IPAllocationMethodStatic, ""))
	n := 0
	for pg := l.net.NewPublicIPAddressesClient().NewListAllPager(nil); pg.More(); {
		page, err := pg.NextPage(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		n += len(page.Value)
	}
	if n != 2 {
		t.Errorf("listed %d public IPs, want 2", n)
	}
	r, err := l.net.NewPublicIPAddressesClient().UpdateTags(t.Context(), "rg", "a", armnetwork.TagsObject{Tags: map[string]*string{"k": to.Ptr("v")}}, nil)
	if err != nil || *r.Tags["k"] != "v" {
		t.Fatalf("UpdateTags: %v", err)
	}
	_, err = l.net.NewPublicIPAddressesClient().Get(t.Context(), "rg", "nope", nil)
	e := wantError(t, err, http.StatusNotFound, "ResourceNotFound")
	if !strings.HasPrefix(e.Message, "The Resource 'Microsoft.Network/publicIPAddresses/nope' under resource group 'rg' was not found.") {
		t.Errorf("message %q", e.Message)
	}
	path := resID("rg", "publicIPAddresses/raw") + "?api-version=" + networkAPI
	body := map[string]any{"location": "westeurope", "sku": map[string]any{"name": "Standard"}, "properties": map[string]any{"publicIPAllocationMethod": "Static"}}
	if resp, _ := l.do(http.MethodPut, path, body, nil); resp.StatusCode != http.StatusCreated || resp.Header.Get("Azure-AsyncOperation") == "" {
		t.Fatalf("first PUT: %d", resp.StatusCode)
	}
	if resp, _ := l.do(http.MethodPut, path, body, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("second PUT: %d", resp.StatusCode)
	}
	resp, _ := l.do(http.MethodDelete, path, nil, nil)
	if resp.StatusCode != http.StatusAccepted || resp.Header.Get("Location") == "" || resp.Header.Get("Azure-AsyncOperation") == "" {
		t.Fatalf("DELETE: %d %v", resp.StatusCode, resp.Header)
	}
	if resp, _ := l.do(http.MethodDelete, path, nil, nil); resp.StatusCode != http.StatusNoContent {
		t.Errorf("DELETE of nothing: %d", resp.StatusCode)
	}
}
