package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources/v3"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
	"github.com/peerlab/terraform-provider-peerlab/internal/peering"
)

const accLocation = "westeurope"

// armFixture is a resource group made for one test through the Azure SDK's
// own clients (not through the provider), with VNets in it; it is deleted
// when the test ends.
type armFixture struct {
	t       *testing.T
	sub, rg string
	network *armnetwork.ClientFactory
	groups  *armresources.ResourceGroupsClient
}

var nonName = regexp.MustCompile(`[^A-Za-z0-9-]+`)

// newFixture makes a resource group in subscription sub of the shared
// emulator, signed in to tenant ("" for the default tenant).
func newFixture(t *testing.T, sub, tenant string) *armFixture {
	t.Helper()
	return newFixtureOn(t, accEmulator, sub, tenant)
}

// newFixtureOn is newFixture on a given emulator.
func newFixtureOn(t *testing.T, emu *emulator.Emulator, sub, tenant string) *armFixture {
	t.Helper()
	cred, err := emu.Credential(tenant, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if sub == "" {
		sub = emu.Credentials().SubscriptionID
	}
	network, err := armnetwork.NewClientFactory(sub, cred, emu.ClientOptions())
	if err != nil {
		t.Fatal(err)
	}
	resources, err := armresources.NewClientFactory(sub, cred, emu.ClientOptions())
	if err != nil {
		t.Fatal(err)
	}
	suffix := make([]byte, 3)
	_, _ = rand.Read(suffix)
	name := strings.ToLower(nonName.ReplaceAllString(strings.TrimPrefix(t.Name(), "TestAcc"), "-"))
	if len(name) > 50 {
		name = name[:50]
	}
	f := &armFixture{t: t, sub: sub, rg: "acc-" + name + "-" + hex.EncodeToString(suffix), network: network, groups: resources.NewResourceGroupsClient()}
	if _, err := f.groups.CreateOrUpdate(accContext(t), f.rg, armresources.ResourceGroup{Location: to.Ptr(accLocation)}, nil); err != nil {
		t.Fatalf("creating resource group %s: %v", f.rg, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if p, err := f.groups.BeginDelete(ctx, f.rg, nil); err == nil {
			_, _ = p.PollUntilDone(ctx, &runtime.PollUntilDoneOptions{Frequency: 100 * time.Millisecond})
		}
	})
	return f
}

func (f *armFixture) vnetID(name string) string {
	return fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Network/virtualNetworks/%s", f.sub, f.rg, name)
}

// vnet creates (or replaces) a VNet with an address space and subnets
// given as name=prefix.
func (f *armFixture) vnet(name string, prefixes []string, subnets ...string) string {
	f.t.Helper()
	v := armnetwork.VirtualNetwork{Location: to.Ptr(accLocation), Properties: &armnetwork.VirtualNetworkPropertiesFormat{
		AddressSpace: &armnetwork.AddressSpace{AddressPrefixes: to.SliceOfPtrs(prefixes...)},
	}}
	for _, s := range subnets {
		n, p, _ := strings.Cut(s, "=")
		v.Properties.Subnets = append(v.Properties.Subnets, &armnetwork.Subnet{Name: to.Ptr(n), Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: to.Ptr(p)}})
	}
	ctx := accContext(f.t)
	poller, err := f.network.NewVirtualNetworksClient().BeginCreateOrUpdate(ctx, f.rg, name, v, nil)
	if err == nil {
		_, err = poller.PollUntilDone(ctx, &runtime.PollUntilDoneOptions{Frequency: 100 * time.Millisecond})
	}
	if err != nil {
		f.t.Fatalf("creating virtual network %s: %v", name, err)
	}
	return f.vnetID(name)
}

// resize changes a VNet's address space in place, keeping its subnets.
func (f *armFixture) resize(name string, prefixes ...string) {
	f.t.Helper()
	ctx := accContext(f.t)
	c := f.network.NewVirtualNetworksClient()
	got, err := c.Get(ctx, f.rg, name, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	v := got.VirtualNetwork
	v.Properties.AddressSpace = &armnetwork.AddressSpace{AddressPrefixes: to.SliceOfPtrs(prefixes...)}
	v.Properties.VirtualNetworkPeerings = nil
	poller, err := c.BeginCreateOrUpdate(ctx, f.rg, name, v, nil)
	if err == nil {
		_, err = poller.PollUntilDone(ctx, &runtime.PollUntilDoneOptions{Frequency: 100 * time.Millisecond})
	}
	if err != nil {
		f.t.Fatalf("resizing virtual network %s: %v", name, err)
	}
}

func (f *armFixture) deleteVNet(name string) {
	f.t.Helper()
	ctx := accContext(f.t)
	poller, err := f.network.NewVirtualNetworksClient().BeginDelete(ctx, f.rg, name, nil)
	if err == nil {
		_, err = poller.PollUntilDone(ctx, &runtime.PollUntilDoneOptions{Frequency: 100 * time.Millisecond})
	}
	if err != nil {
		f.t.Fatalf("deleting virtual network %s: %v", name, err)
	}
}

// gateway puts a VPN gateway in a VNet's GatewaySubnet (which the VNet must
// have), as the hub of a hub-and-spoke network has.
func (f *armFixture) gateway(vnet string) {
	f.t.Helper()
	ctx := accContext(f.t)
	body := armnetwork.VirtualNetworkGateway{Location: to.Ptr(accLocation), Properties: &armnetwork.VirtualNetworkGatewayPropertiesFormat{
		GatewayType: to.Ptr(armnetwork.VirtualNetworkGatewayTypeVPN), VPNType: to.Ptr(armnetwork.VPNTypeRouteBased),
		SKU: &armnetwork.VirtualNetworkGatewaySKU{Name: to.Ptr(armnetwork.VirtualNetworkGatewaySKUNameVPNGw1AZ), Tier: to.Ptr(armnetwork.VirtualNetworkGatewaySKUTierVPNGw1AZ)},
		IPConfigurations: []*armnetwork.VirtualNetworkGatewayIPConfiguration{{
			Name:       to.Ptr("vnetGatewayConfig"),
			Properties: &armnetwork.VirtualNetworkGatewayIPConfigurationPropertiesFormat{Subnet: &armnetwork.SubResource{ID: to.Ptr(f.vnetID(vnet) + "/subnets/GatewaySubnet")}},
		}},
	}}
	poller, err := f.network.NewVirtualNetworkGatewaysClient().BeginCreateOrUpdate(ctx, f.rg, vnet+"-gw", body, nil)
	if err == nil {
		_, err = poller.PollUntilDone(ctx, &runtime.PollUntilDoneOptions{Frequency: 100 * time.Millisecond})
	}
	if err != nil {
		f.t.Fatalf("creating the gateway of %s: %v", vnet, err)
	}
}

// link reads a link of a VNet in this group; nil when it does not exist.
func (f *armFixture) link(vnet, name string) *armnetwork.VirtualNetworkPeering {
	f.t.Helper()
	got, err := f.network.NewVirtualNetworkPeeringsClient().Get(accContext(f.t), f.rg, vnet, name, nil)
	if peering.IsNotFound(err) {
		return nil
	}
	if err != nil {
		f.t.Fatalf("reading link %s/%s: %v", vnet, name, err)
	}
	return &got.VirtualNetworkPeering
}

// putLink creates a link outside Terraform, as someone in the portal would.
func (f *armFixture) putLink(vnet, name, remoteVNetID string) {
	f.t.Helper()
	ctx := accContext(f.t)
	body := armnetwork.VirtualNetworkPeering{Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{
		AllowVirtualNetworkAccess: to.Ptr(true),
		RemoteVirtualNetwork:      &armnetwork.SubResource{ID: to.Ptr(remoteVNetID)},
	}}
	poller, err := f.network.NewVirtualNetworkPeeringsClient().BeginCreateOrUpdate(ctx, f.rg, vnet, name, body, nil)
	if err == nil {
		_, err = poller.PollUntilDone(ctx, &runtime.PollUntilDoneOptions{Frequency: 100 * time.Millisecond})
	}
	if err != nil {
		f.t.Fatalf("creating link %s/%s: %v", vnet, name, err)
	}
}

func (f *armFixture) deleteLink(vnet, name string) {
	f.t.Helper()
	ctx := accContext(f.t)
	poller, err := f.network.NewVirtualNetworkPeeringsClient().BeginDelete(ctx, f.rg, vnet, name, nil)
	if err == nil {
		_, err = poller.PollUntilDone(ctx, &runtime.PollUntilDoneOptions{Frequency: 100 * time.Millisecond})
	}
	if err != nil {
		f.t.Fatalf("deleting link %s/%s: %v", vnet, name, err)
	}
}

// guid is a link's resourceGuid, "" when it does not exist.
func (f *armFixture) guid(vnet, name string) string {
	if l := f.link(vnet, name); l != nil && l.Properties != nil && l.Properties.ResourceGUID != nil {
		return *l.Properties.ResourceGUID
	}
	return ""
}

// linksGone is a CheckDestroy: every link of every pair still in state must
// be gone from Azure. fixtures give the clients of each subscription.
func linksGone(fixtures ...*armFixture) func(*terraform.State) error {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			if rs.Type != bidirectionalPeeringTypeName {
				continue
			}
			a, b, err := peering.ParsePairID(rs.Primary.ID)
			if err != nil {
				return err
			}
			for _, l := range []peering.LinkID{a, b} {
				for _, f := range fixtures {
					if !strings.EqualFold(f.sub, l.VirtualNetwork.SubscriptionID) || !strings.EqualFold(f.rg, l.VirtualNetwork.ResourceGroup) {
						continue
					}
					if f.link(l.VirtualNetwork.Name, l.Name) != nil {
						return fmt.Errorf("link %s still exists after destroy", l.String())
					}
				}
			}
		}
		return nil
	}
}
