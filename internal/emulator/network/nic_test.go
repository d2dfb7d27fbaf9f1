package network_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/network"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// webSubnetID is the subnet of newNICLab's VNet: 10.0.1.0/24.
var webSubnetID = resID("rg", "virtualNetworks/vnet/subnets/web")

// newNICLab is a lab with group rg and VNet vnet (10.0.0.0/16, and
// fd00:db8::/48) whose subnet web is 10.0.1.0/24 and fd00:db8:0:1::/64.
func newNICLab(t *testing.T, opts emulator.Options) *lab {
	l := newLab(t, opts)
	l.group(nil, "rg", "westeurope")
	l.mustVNet(nil, "rg", "vnet", vnetBody("westeurope", []string{"10.0.0.0/16", "fd00:db8::/48"}, subnet("web", "10.0.1.0/24", "fd00:db8:0:1::/64")))
	return l
}

func ipConfig(name, subnetID string) *armnetwork.InterfaceIPConfiguration {
	return &armnetwork.InterfaceIPConfiguration{Name: to.Ptr(name), Properties: &armnetwork.InterfaceIPConfigurationPropertiesFormat{
		Subnet: &armnetwork.Subnet{ID: to.Ptr(subnetID)},
	}}
}

func staticConfig(name, subnetID, addr string) *armnetwork.InterfaceIPConfiguration {
	c := ipConfig(name, subnetID)
	c.Properties.PrivateIPAllocationMethod = to.Ptr(armnetwork.IPAllocationMethodStatic)
	c.Properties.PrivateIPAddress = to.Ptr(addr)
	return c
}

func nicBody(ipcs ...*armnetwork.InterfaceIPConfiguration) armnetwork.Interface {
	return armnetwork.Interface{Location: to.Ptr("westeurope"), Properties: &armnetwork.InterfacePropertiesFormat{IPConfigurations: ipcs}}
}

func (l *lab) putNIC(rg, name string, body armnetwork.Interface) (armnetwork.Interface, error) {
	p, err := l.net.NewInterfacesClient().BeginCreateOrUpdate(l.t.Context(), rg, name, body, nil)
	if err != nil {
		return armnetwork.Interface{}, err
	}
	r, err := p.PollUntilDone(l.t.Context(), poll)
	return r.Interface, err
}

func (l *lab) mustNIC(rg, name string, body armnetwork.Interface) armnetwork.Interface {
	l.t.Helper()
	n, err := l.putNIC(rg, name, body)
	if err != nil {
		l.t.Fatalf("putting NIC %s: %v", name, err)
	}
	return n
}

func (l *lab) deleteNIC(rg, name string) error {
	p, err := l.net.NewInterfacesClient().BeginDelete(l.t.Context(), rg, name, nil)
	if err == nil {
		_, err = p.PollUntilDone(l.t.Context(), poll)
	}
	return err
}

// privateIP is the private address of a NIC's first IP configuration.
func privateIP(n armnetwork.Interface) string {
	if p := n.Properties.IPConfigurations[0].Properties; p.PrivateIPAddress != nil {
		return *p.PrivateIPAddress
	}
	return ""
}

func TestInterface_DynamicAddressesStartAtFourAndAreReused(t *testing.T) {
	l := newNICLab(t, emulator.Options{})
	a := l.mustNIC("rg", "a", nicBody(ipConfig("ipconfig1", webSubnetID)))
	b := l.mustNIC("rg", "b", nicBody(ipConfig("ipconfig1", webSubnetID)))
	if privateIP(a) != "10.0.1.4" || privateIP(b) != "10.0.1.5" {
		t.Fatalf("first NICs got %s and %s, want 10.0.1.4 and 10.0.1.5", privateIP(a), privateIP(b))
	}
	p := a.Properties.IPConfigurations[0]
	if *p.ID != resID("rg", "networkInterfaces/a/ipConfigurations/ipconfig1") || !*p.Properties.Primary ||
		*p.Properties.PrivateIPAllocationMethod != armnetwork.IPAllocationMethodDynamic || *p.Properties.PrivateIPAddressVersion != armnetwork.IPVersionIPv4 ||
		*p.Properties.Subnet.ID != webSubnetID || *a.Properties.ProvisioningState != armnetwork.ProvisioningStateSucceeded {
		t.Errorf("ipconfig = %+v", p.Properties)
	}
	if err := l.deleteNIC("rg", "a"); err != nil {
		t.Fatal(err)
	}
	// An update keeps a Dynamic address even when a lower one is free.
	b.Properties.EnableIPForwarding = to.Ptr(true)
	if b = l.mustNIC("rg", "b", b); privateIP(b) != "10.0.1.5" || !*b.Properties.EnableIPForwarding {
		t.Errorf("update: %s, forwarding %v", privateIP(b), *b.Properties.EnableIPForwarding)
	}
	if c := l.mustNIC("rg", "c", nicBody(ipConfig("ipconfig1", webSubnetID))); privateIP(c) != "10.0.1.4" {
		t.Errorf("the freed address was not reused: %s", privateIP(c))
	}
	// The subnet shows the IP configurations placed in it.
	s, err := l.net.NewSubnetsClient().Get(t.Context(), "rg", "vnet", "web", nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range s.Properties.IPConfigurations {
		ids = append(ids, *c.ID)
	}
	if want := resID("rg", "networkInterfaces/b/ipConfigurations/ipconfig1") + " " + resID("rg", "networkInterfaces/c/ipConfigurations/ipconfig1"); strings.Join(ids, " ") != want {
		t.Errorf("subnet ipConfigurations = %v", ids)
	}
}

func TestInterface_StaticAddresses(t *testing.T) {
	l := newNICLab(t, emulator.Options{})
	n := l.mustNIC("rg", "fixed", nicBody(staticConfig("ipconfig1", webSubnetID, "10.0.1.10")))
	if privateIP(n) != "10.0.1.10" || *n.Properties.IPConfigurations[0].Properties.PrivateIPAllocationMethod != armnetwork.IPAllocationMethodStatic {
		t.Fatalf("static NIC got %s", privateIP(n))
	}
	// Static and Dynamic configurations of one NIC: the Static address is
	// taken first.
	two := nicBody(ipConfig("dyn", webSubnetID), staticConfig("stat", webSubnetID, "10.0.1.4"))
	two.Properties.IPConfigurations[0].Properties.Primary = to.Ptr(true)
	if n := l.mustNIC("rg", "two", two); privateIP(n) != "10.0.1.5" || *n.Properties.IPConfigurations[1].Properties.PrivateIPAddress != "10.0.1.4" {
		t.Errorf("dyn %s, stat %s", privateIP(n), *n.Properties.IPConfigurations[1].Properties.PrivateIPAddress)
	}
	owner := resID("rg", "networkInterfaces/fixed/ipConfigurations/ipconfig1")
	ipc := resID("rg", "networkInterfaces/other/ipConfigurations/ipconfig1")
	for _, c := range []struct{ addr, code, message string }{
		{"10.0.1.1", "PrivateIPAddressInReservedRange", "Private static IP address 10.0.1.1 falls within reserved IP range of subnet prefix 10.0.1.0/24."},
		{"10.0.1.3", "PrivateIPAddressInReservedRange", "Private static IP address 10.0.1.3 falls within reserved IP range of subnet prefix 10.0.1.0/24."},
		{"10.0.1.255", "PrivateIPAddressInReservedRange", "Private static IP address 10.0.1.255 falls within reserved IP range of subnet prefix 10.0.1.0/24."},
		{"10.0.2.10", "PrivateIPAddressNotInSubnet", "Private static IP address 10.0.2.10 does not belong to the range of subnet prefix 10.0.1.0/24."},
		{"10.0.1.10", "PrivateIPAddressIsAllocated", "IP configuration " + ipc + " is using the private IP address 10.0.1.10 which is already allocated to resource " + owner + "."},
		{"10.0.1", "InvalidPrivateIPAddress", ""},
	} {
		_, err := l.putNIC("rg", "other", nicBody(staticConfig("ipconfig1", webSubnetID, c.addr)))
		e := wantError(t, err, http.StatusBadRequest, c.code)
		if c.message != "" && e.Message != c.message {
			t.Errorf("%s: message %q, want %q", c.addr, e.Message, c.message)
		}
	}
	if _, err := l.net.NewInterfacesClient().Get(t.Context(), "rg", "other", nil); err == nil {
		t.Error("a refused NIC exists")
	}
	// IPv6 configurations take addresses from the subnet's IPv6 prefix.
	v6 := nicBody(ipConfig("v4", webSubnetID), ipConfig("v6", webSubnetID))
	v6.Properties.IPConfigurations[0].Properties.Primary = to.Ptr(true)
	v6.Properties.IPConfigurations[1].Properties.PrivateIPAddressVersion = to.Ptr(armnetwork.IPVersionIPv6)
	if n := l.mustNIC("rg", "dual", v6); *n.Properties.IPConfigurations[1].Properties.PrivateIPAddress != "fd00:db8:0:1::4" {
		t.Errorf("IPv6 configuration got %s", *n.Properties.IPConfigurations[1].Properties.PrivateIPAddress)
	}
}

func TestInterface_References(t *testing.T) {
	l := newNICLab(t, emulator.Options{})
	nicID := resID("rg", "networkInterfaces/nic")
	missing := resID("rg", "virtualNetworks/vnet/subnets/nope")
	_, err := l.putNIC("rg", "nic", nicBody(ipConfig("ipconfig1", missing)))
	e := wantError(t, err, http.StatusBadRequest, "InvalidResourceReference")
	if !strings.HasPrefix(e.Message, "Resource "+missing+" referenced by resource "+nicID+" was not found.") {
		t.Errorf("message %q", e.Message)
	}
	noSubnet := nicBody(&armnetwork.InterfaceIPConfiguration{Name: to.Ptr("ipconfig1"), Properties: &armnetwork.InterfaceIPConfigurationPropertiesFormat{}})
	e = wantError(t, second(l.putNIC("rg", "nic", noSubnet)), http.StatusBadRequest, "SubnetIsRequired")
	if e.Message != "Subnet reference is required for ipconfiguration "+nicID+"/ipConfigurations/ipconfig1." {
		t.Errorf("message %q", e.Message)
	}
	wantError(t, second(l.putNIC("rg", "nic", nicBody())), http.StatusBadRequest, "NetworkInterfaceMustHaveAtLeastOneIpConfiguration")

	withPIP := func(pip string) armnetwork.Interface {
		b := nicBody(ipConfig("ipconfig1", webSubnetID))
		b.Properties.IPConfigurations[0].Properties.PublicIPAddress = &armnetwork.PublicIPAddress{ID: to.Ptr(resID("rg", "publicIPAddresses/"+pip))}
		return b
	}
	wantError(t, second(l.putNIC("rg", "nic", withPIP("nope"))), http.StatusBadRequest, "InvalidResourceReference")
	l.mustPIP("rg", "pip", pipBody(armnetwork.PublicIPAddressSKUNameStandard, armnetwork.IPAllocationMethodStatic, ""))
	l.mustNIC("rg", "first", withPIP("pip"))
	e = wantError(t, second(l.putNIC("rg", "nic", withPIP("pip"))), http.StatusBadRequest, "PublicIPAddressInUse")
	if want := "Resource " + nicID + "/ipConfigurations/ipconfig1 is referencing public IP address " + resID("rg", "publicIPAddresses/pip") +
		" that is already allocated to resource " + resID("rg", "networkInterfaces/first/ipConfigurations/ipconfig1") + "."; e.Message != want {
		t.Errorf("message %q", e.Message)
	}

	withNSG := nicBody(ipConfig("ipconfig1", webSubnetID))
	withNSG.Properties.NetworkSecurityGroup = &armnetwork.SecurityGroup{ID: to.Ptr(resID("rg", "networkSecurityGroups/nope"))}
	wantError(t, second(l.putNIC("rg", "nic", withNSG)), http.StatusBadRequest, "InvalidResourceReference")

	// A subnet in another region is a reference Azure does not accept.
	l.mustVNet(nil, "rg", "far", vnetBody("eastus", []string{"10.9.0.0/16"}, subnet("s", "10.9.0.0/24")))
	wantError(t, second(l.putNIC("rg", "nic", nicBody(ipConfig("ipconfig1", resID("rg", "virtualNetworks/far/subnets/s"))))), http.StatusBadRequest, "InvalidResourceReference")
}

func second[T any](_ T, err error) error { return err }

func TestInterface_PrimaryAndSettings(t *testing.T) {
	l := newNICLab(t, emulator.Options{})
	wantError(t, second(l.putNIC("rg", "nic", nicBody(ipConfig("a", webSubnetID), ipConfig("b", webSubnetID)))),
		http.StatusBadRequest, "NetworkInterfaceMustHaveOneOneIPConfigAsPrimary")
	both := nicBody(ipConfig("a", webSubnetID), ipConfig("b", webSubnetID))
	both.Properties.IPConfigurations[0].Properties.Primary = to.Ptr(true)
	both.Properties.IPConfigurations[1].Properties.Primary = to.Ptr(true)
	wantError(t, second(l.putNIC("rg", "nic", both)), http.StatusBadRequest, "NetworkInterfaceMustHaveOneOneIPConfigAsPrimary")

	body := nicBody(ipConfig("a", webSubnetID), ipConfig("b", webSubnetID))
	body.Properties.IPConfigurations[1].Properties.Primary = to.Ptr(true)
	body.Properties.EnableAcceleratedNetworking = to.Ptr(true)
	body.Properties.DNSSettings = &armnetwork.InterfaceDNSSettings{DNSServers: to.SliceOfPtrs("10.0.0.10"), InternalDNSNameLabel: to.Ptr("web1")}
	n := l.mustNIC("rg", "nic", body)
	p := n.Properties
	if *p.IPConfigurations[0].Properties.Primary || !*p.IPConfigurations[1].Properties.Primary {
		t.Errorf("primary flags %v %v", *p.IPConfigurations[0].Properties.Primary, *p.IPConfigurations[1].Properties.Primary)
	}
	if !*p.EnableAcceleratedNetworking || *p.EnableIPForwarding || *p.DNSSettings.DNSServers[0] != "10.0.0.10" ||
		*p.DNSSettings.AppliedDNSServers[0] != "10.0.0.10" || *p.DNSSettings.InternalDNSNameLabel != "web1" ||
		!strings.HasSuffix(*p.DNSSettings.InternalDomainNameSuffix, ".internal.cloudapp.net") {
		t.Errorf("settings = %+v %+v", p, p.DNSSettings)
	}
	if p.MacAddress != nil || p.VirtualMachine != nil || *n.Type != "Microsoft.Network/networkInterfaces" {
		t.Errorf("a NIC without a VM has MAC %v, VM %v", p.MacAddress, p.VirtualMachine)
	}
}

func TestInterface_InUseByVM(t *testing.T) {
	l := newNICLab(t, emulator.Options{})
	l.mustNIC("rg", "nic", nicBody(ipConfig("ipconfig1", webSubnetID)))
	nicID := resID("rg", "networkInterfaces/nic")
	vmID := "/subscriptions/" + l.emu.Credentials().SubscriptionID + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm"
	attach := func() {
		t.Helper()
		if err := l.emu.Store().Write(func(tx *store.Tx) error { return network.AttachToVM(tx, nicID, vmID, true) }); err != nil {
			t.Fatal(err)
		}
	}
	attach()
	r, err := l.net.NewInterfacesClient().Get(t.Context(), "rg", "nic", nil)
	if err != nil {
		t.Fatal(err)
	}
	mac := r.Properties.MacAddress
	if r.Properties.VirtualMachine == nil || *r.Properties.VirtualMachine.ID != vmID || !*r.Properties.Primary ||
		mac == nil || !regexp.MustCompile(`^00-0D-3A-[0-9A-F]{2}-[0-9A-F]{2}-[0-9A-F]{2}$`).MatchString(*mac) {
		t.Fatalf("attached NIC: vm %v primary %v mac %v", r.Properties.VirtualMachine, r.Properties.Primary, mac)
	}
	// A PUT keeps what the VM set.
	if n := l.mustNIC("rg", "nic", nicBody(ipConfig("ipconfig1", webSubnetID))); n.Properties.VirtualMachine == nil || *n.Properties.MacAddress != *mac {
		t.Errorf("PUT dropped the VM or the MAC: %v %v", n.Properties.VirtualMachine, n.Properties.MacAddress)
	}
	e := wantError(t, l.deleteNIC("rg", "nic"), http.StatusBadRequest, "NicInUse")
	if want := "Network Interface " + nicID + " is used by existing resource " + vmID + ". In order to delete the network interface, it must be dissociated from the resource. To learn more, see aka.ms/deletenic."; e.Message != want {
		t.Errorf("message %q", e.Message)
	}
	if err := l.emu.Store().Write(func(tx *store.Tx) error { return network.DetachFromVM(tx, nicID) }); err != nil {
		t.Fatal(err)
	}
	attach()
	if r, _ := l.net.NewInterfacesClient().Get(t.Context(), "rg", "nic", nil); *r.Properties.MacAddress != *mac {
		t.Errorf("the MAC changed from %s to %s", *mac, *r.Properties.MacAddress)
	}
	if err := l.emu.Store().Write(func(tx *store.Tx) error { return network.DetachFromVM(tx, nicID) }); err != nil {
		t.Fatal(err)
	}
	if err := l.deleteNIC("rg", "nic"); err != nil {
		t.Fatalf("deleting the detached NIC: %v", err)
	}
	_, err = l.net.NewInterfacesClient().Get(t.Context(), "rg", "nic", nil)
	wantError(t, err, http.StatusNotFound, "ResourceNotFound")
}

// In the realistic profile a NIC is busy while it is written, and a subnet,
// NSG or public IP being written cannot be referenced.
func TestInterface_BusyResources(t *testing.T) {
	l := newNICLab(t, emulator.Options{Profile: arm.RealisticProfile(0.25)})
	// The subnet is mid-update.
	sp, err := l.net.NewSubnetsClient().BeginCreateOrUpdate(t.Context(), "rg", "vnet", "web",
		armnetwork.Subnet{Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefixes: to.SliceOfPtrs("10.0.1.0/24", "fd00:db8:0:1::/64")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := wantError(t, second(l.net.NewInterfacesClient().BeginCreateOrUpdate(t.Context(), "rg", "nic", nicBody(ipConfig("ipconfig1", webSubnetID)), nil)),
		http.StatusBadRequest, "ReferencedResourceNotProvisioned")
	if !strings.Contains(e.Message, webSubnetID) || !strings.Contains(e.Message, "PutSubnetOperation") {
		t.Errorf("message %q", e.Message)
	}
	if _, err := sp.PollUntilDone(t.Context(), poll); err != nil {
		t.Fatal(err)
	}
	// The NSG is mid-update.
	np, err := l.net.NewSecurityGroupsClient().BeginCreateOrUpdate(t.Context(), "rg", "nsg", armnetwork.SecurityGroup{Location: to.Ptr("westeurope")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	withNSG := nicBody(ipConfig("ipconfig1", webSubnetID))
	withNSG.Properties.NetworkSecurityGroup = &armnetwork.SecurityGroup{ID: to.Ptr(resID("rg", "networkSecurityGroups/nsg"))}
	wantError(t, second(l.net.NewInterfacesClient().BeginCreateOrUpdate(t.Context(), "rg", "nic", withNSG, nil)), http.StatusBadRequest, "ReferencedResourceNotProvisioned")
	if _, err := np.PollUntilDone(t.Context(), poll); err != nil {
		t.Fatal(err)
	}
	// The NIC itself is mid-update.
	first, err := l.net.NewInterfacesClient().BeginCreateOrUpdate(t.Context(), "rg", "nic", withNSG, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantError(t, second(l.net.NewInterfacesClient().BeginCreateOrUpdate(t.Context(), "rg", "nic", withNSG, nil)), http.StatusConflict, "AnotherOperationInProgress")
	if _, err := first.PollUntilDone(t.Context(), poll); err != nil {
		t.Fatal(err)
	}
}

func TestInterface_ListsTagsAndAnswers(t *testing.T) {
	l := newNICLab(t, emulator.Options{})
	path := resID("rg", "networkInterfaces/raw") + "?api-version=" + networkAPI
	body := map[string]any{"location": "westeurope", "properties": map[string]any{"ipConfigurations": []any{
		map[string]any{"name": "ipconfig1", "properties": map[string]any{"subnet": map[string]any{"id": webSubnetID}}},
	}}}
	if resp, _ := l.do(http.MethodPut, path, body, nil); resp.StatusCode != http.StatusCreated || resp.Header.Get("Azure-AsyncOperation") == "" {
		t.Fatalf("first PUT: %d", resp.StatusCode)
	}
	if resp, _ := l.do(http.MethodPut, path, body, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("second PUT: %d", resp.StatusCode)
	}
	l.mustNIC("rg", "other", nicBody(ipConfig("ipconfig1", webSubnetID)))
	n := 0
	for pg := l.net.NewInterfacesClient().NewListPager("rg", nil); pg.More(); {
		page, err := pg.NextPage(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		n += len(page.Value)
	}
	if n != 2 {
		t.Errorf("listed %d NICs", n)
	}
	r, err := l.net.NewInterfacesClient().UpdateTags(t.Context(), "rg", "raw", armnetwork.TagsObject{Tags: map[string]*string{"k": to.Ptr("v")}}, nil)
	if err != nil || *r.Tags["k"] != "v" || privateIP(r.Interface) != "10.0.1.4" {
		t.Fatalf("UpdateTags: %v", err)
	}
	resp, _ := l.do(http.MethodDelete, path, nil, nil)
	if resp.StatusCode != http.StatusAccepted || resp.Header.Get("Location") == "" || resp.Header.Get("Azure-AsyncOperation") == "" {
		t.Fatalf("DELETE: %d %v", resp.StatusCode, resp.Header)
	}
	if resp, _ := l.do(http.MethodDelete, path, nil, nil); resp.StatusCode != http.StatusNoContent {
		t.Errorf("DELETE of nothing: %d", resp.StatusCode)
	}
}
