// Package emulatortest helps tests drive an in-process emulator the way any
// client would: with the official Azure SDK clients (armresources,
// armnetwork, armcompute) over HTTPS, and with the real terraform binary
// and the azurerm provider from the offline mirror.
package emulatortest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources/v3"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
)

// Poll is how often tests poll long-running operations (the emulator's
// Retry-After wins when it asks for longer).
var Poll = &runtime.PollUntilDoneOptions{Frequency: 50 * time.Millisecond}

// Lab is one in-process emulator with SDK clients for its default
// subscription.
type Lab struct {
	T    *testing.T
	Emu  *emulator.Emulator
	Cred azcore.TokenCredential
	Sub  string

	Res     *armresources.ClientFactory
	Net     *armnetwork.ClientFactory
	Compute *armcompute.ClientFactory
}

// New starts an emulator for one test (fast profile unless opts say
// otherwise) and stops it when the test ends.
func New(t *testing.T, opts emulator.Options) *Lab {
	t.Helper()
	e, err := emulator.Start(opts)
	if err != nil {
		t.Fatalf("starting the emulator: %v", err)
	}
	t.Cleanup(func() { _ = e.Close() })
	cred, err := e.Credential("", "", "")
	if err != nil {
		t.Fatalf("credential: %v", err)
	}
	l := &Lab{T: t, Emu: e, Cred: cred, Sub: e.Credentials().SubscriptionID}
	if l.Res, err = armresources.NewClientFactory(l.Sub, cred, e.ClientOptions()); err != nil {
		t.Fatal(err)
	}
	if l.Net, err = armnetwork.NewClientFactory(l.Sub, cred, e.ClientOptions()); err != nil {
		t.Fatal(err)
	}
	if l.Compute, err = armcompute.NewClientFactory(l.Sub, cred, e.ClientOptions()); err != nil {
		t.Fatal(err)
	}
	return l
}

// ID builds a resource ID in the default subscription.
func (l *Lab) ID(group, typ, name string, more ...string) string {
	id := "/subscriptions/" + l.Sub + "/resourceGroups/" + group + "/providers/" + typ + "/" + name
	if len(more) > 0 {
		id += "/" + strings.Join(more, "/")
	}
	return id
}

// Group creates a resource group.
func (l *Lab) Group(name, location string) {
	l.T.Helper()
	if _, err := l.Res.NewResourceGroupsClient().CreateOrUpdate(l.T.Context(), name, armresources.ResourceGroup{Location: to.Ptr(location)}, nil); err != nil {
		l.T.Fatalf("creating resource group %s: %v", name, err)
	}
}

// Subnet describes a subnet of a VNet: "name=10.0.1.0/24".
type Subnet string

// VNet creates a VNet with an address space and subnets ("name=prefix").
func (l *Lab) VNet(group, name, location string, space []string, subnets ...Subnet) armnetwork.VirtualNetwork {
	l.T.Helper()
	body := armnetwork.VirtualNetwork{Location: to.Ptr(location), Properties: &armnetwork.VirtualNetworkPropertiesFormat{
		AddressSpace: &armnetwork.AddressSpace{AddressPrefixes: to.SliceOfPtrs(space...)},
	}}
	for _, s := range subnets {
		n, p, _ := strings.Cut(string(s), "=")
		body.Properties.Subnets = append(body.Properties.Subnets, &armnetwork.Subnet{Name: to.Ptr(n), Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: to.Ptr(p)}})
	}
	p, err := l.Net.NewVirtualNetworksClient().BeginCreateOrUpdate(l.T.Context(), group, name, body, nil)
	if err != nil {
		l.T.Fatalf("putting VNet %s: %v", name, err)
	}
	r, err := p.PollUntilDone(l.T.Context(), Poll)
	if err != nil {
		l.T.Fatalf("putting VNet %s: %v", name, err)
	}
	return r.VirtualNetwork
}

// Link creates one peering link from a VNet to a remote VNet ID; subnet
// peering when local and remote subnet names are given.
func (l *Lab) Link(group, vnet, name, remoteID string, localSubnets, remoteSubnets []string) armnetwork.VirtualNetworkPeering {
	l.T.Helper()
	body := armnetwork.VirtualNetworkPeering{Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{
		RemoteVirtualNetwork: &armnetwork.SubResource{ID: to.Ptr(remoteID)}, AllowVirtualNetworkAccess: to.Ptr(true),
	}}
	if len(localSubnets) > 0 {
		body.Properties.PeerCompleteVnets = to.Ptr(false)
		body.Properties.LocalSubnetNames = to.SliceOfPtrs(localSubnets...)
		body.Properties.RemoteSubnetNames = to.SliceOfPtrs(remoteSubnets...)
	}
	p, err := l.Net.NewVirtualNetworkPeeringsClient().BeginCreateOrUpdate(l.T.Context(), group, vnet, name, body, nil)
	if err != nil {
		l.T.Fatalf("putting peering %s/%s: %v", vnet, name, err)
	}
	r, err := p.PollUntilDone(l.T.Context(), Poll)
	if err != nil {
		l.T.Fatalf("putting peering %s/%s: %v", vnet, name, err)
	}
	return r.VirtualNetworkPeering
}

// Peer peers two VNets of one group both ways (a-to-b and b-to-a).
func (l *Lab) Peer(group, a, b string) {
	l.T.Helper()
	l.Link(group, a, a+"-to-"+b, l.ID(group, "Microsoft.Network/virtualNetworks", b), nil, nil)
	l.Link(group, b, b+"-to-"+a, l.ID(group, "Microsoft.Network/virtualNetworks", a), nil, nil)
}

// NSG creates a network security group with rules.
func (l *Lab) NSG(group, name, location string, rules ...*armnetwork.SecurityRule) string {
	l.T.Helper()
	body := armnetwork.SecurityGroup{Location: to.Ptr(location), Properties: &armnetwork.SecurityGroupPropertiesFormat{SecurityRules: rules}}
	p, err := l.Net.NewSecurityGroupsClient().BeginCreateOrUpdate(l.T.Context(), group, name, body, nil)
	if err != nil {
		l.T.Fatalf("putting NSG %s: %v", name, err)
	}
	r, err := p.PollUntilDone(l.T.Context(), Poll)
	if err != nil {
		l.T.Fatalf("putting NSG %s: %v", name, err)
	}
	return *r.ID
}

// Rule is a security rule for all ports and addresses of a protocol
// ("*", "Tcp", "Icmp" …); change the returned value for more.
func Rule(name string, priority int32, direction armnetwork.SecurityRuleDirection, access armnetwork.SecurityRuleAccess, protocol armnetwork.SecurityRuleProtocol) *armnetwork.SecurityRule {
	return &armnetwork.SecurityRule{Name: to.Ptr(name), Properties: &armnetwork.SecurityRulePropertiesFormat{
		Priority: to.Ptr(priority), Direction: to.Ptr(direction), Access: to.Ptr(access), Protocol: to.Ptr(protocol),
		SourceAddressPrefix: to.Ptr("*"), SourcePortRange: to.Ptr("*"), DestinationAddressPrefix: to.Ptr("*"), DestinationPortRange: to.Ptr("*"),
	}}
}

// PutRule creates or updates one rule of an NSG.
func (l *Lab) PutRule(group, nsg string, r *armnetwork.SecurityRule) {
	l.T.Helper()
	p, err := l.Net.NewSecurityRulesClient().BeginCreateOrUpdate(l.T.Context(), group, nsg, *r.Name, *r, nil)
	if err == nil {
		_, err = p.PollUntilDone(l.T.Context(), Poll)
	}
	if err != nil {
		l.T.Fatalf("putting rule %s/%s: %v", nsg, *r.Name, err)
	}
}

// DeleteRule deletes one rule of an NSG.
func (l *Lab) DeleteRule(group, nsg, name string) {
	l.T.Helper()
	p, err := l.Net.NewSecurityRulesClient().BeginDelete(l.T.Context(), group, nsg, name, nil)
	if err == nil {
		_, err = p.PollUntilDone(l.T.Context(), Poll)
	}
	if err != nil {
		l.T.Fatalf("deleting rule %s/%s: %v", nsg, name, err)
	}
}

// NICOptions are the optional parts of a NIC.
type NICOptions struct {
	NSG, PublicIP string // resource IDs
}

// NIC creates a network interface in a subnet (a Dynamic private address).
func (l *Lab) NIC(group, name, location, subnetID string, o NICOptions) armnetwork.Interface {
	l.T.Helper()
	ipc := &armnetwork.InterfaceIPConfiguration{Name: to.Ptr("ipconfig1"), Properties: &armnetwork.InterfaceIPConfigurationPropertiesFormat{
		Subnet: &armnetwork.Subnet{ID: to.Ptr(subnetID)}, PrivateIPAllocationMethod: to.Ptr(armnetwork.IPAllocationMethodDynamic),
	}}
	if o.PublicIP != "" {
		ipc.Properties.PublicIPAddress = &armnetwork.PublicIPAddress{ID: to.Ptr(o.PublicIP)}
	}
	body := armnetwork.Interface{Location: to.Ptr(location), Properties: &armnetwork.InterfacePropertiesFormat{IPConfigurations: []*armnetwork.InterfaceIPConfiguration{ipc}}}
	if o.NSG != "" {
		body.Properties.NetworkSecurityGroup = &armnetwork.SecurityGroup{ID: to.Ptr(o.NSG)}
	}
	p, err := l.Net.NewInterfacesClient().BeginCreateOrUpdate(l.T.Context(), group, name, body, nil)
	if err != nil {
		l.T.Fatalf("putting NIC %s: %v", name, err)
	}
	r, err := p.PollUntilDone(l.T.Context(), Poll)
	if err != nil {
		l.T.Fatalf("putting NIC %s: %v", name, err)
	}
	return r.Interface
}

// PublicIP creates a Standard static public IP and returns its ID.
func (l *Lab) PublicIP(group, name, location string) string {
	l.T.Helper()
	body := armnetwork.PublicIPAddress{Location: to.Ptr(location), SKU: &armnetwork.PublicIPAddressSKU{Name: to.Ptr(armnetwork.PublicIPAddressSKUNameStandard)},
		Properties: &armnetwork.PublicIPAddressPropertiesFormat{PublicIPAllocationMethod: to.Ptr(armnetwork.IPAllocationMethodStatic)}}
	p, err := l.Net.NewPublicIPAddressesClient().BeginCreateOrUpdate(l.T.Context(), group, name, body, nil)
	if err != nil {
		l.T.Fatalf("putting public IP %s: %v", name, err)
	}
	r, err := p.PollUntilDone(l.T.Context(), Poll)
	if err != nil {
		l.T.Fatalf("putting public IP %s: %v", name, err)
	}
	return *r.ID
}

// Do sends a raw ARM request with the default principal's token; path
// includes the query (or is a full https URL). It returns the answer and
// its body.
func (l *Lab) Do(method, path string, body any) (*http.Response, []byte) {
	l.T.Helper()
	tok, err := l.Cred.GetToken(l.T.Context(), policy.TokenRequestOptions{Scopes: []string{l.Emu.URL + "/.default"}})
	if err != nil {
		l.T.Fatalf("token: %v", err)
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			l.T.Fatalf("encoding body: %v", err)
		}
		rd = bytes.NewReader(b)
	}
	url := path
	if !strings.HasPrefix(path, "https://") {
		url = l.Emu.URL + path
	}
	req, err := http.NewRequestWithContext(l.T.Context(), method, url, rd)
	if err != nil {
		l.T.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := l.Emu.HTTPClient().Do(req)
	if err != nil {
		l.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		l.T.Fatal(err)
	}
	return resp, b
}
