package resources_test

import (
	"context"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources/v3"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
)

// TestGroupResourcesListingAsAzurermReadsIt lists a group's resources the
// way azurerm does before it deletes the group ($expand=provisioningState,
// $top=10): top-level resources only, with their provisioning state, and
// nothing once they are gone.
func TestGroupResourcesListingAsAzurermReadsIt(t *testing.T) {
	e, err := emulator.Start(emulator.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cred, err := e.Credential("", "", "")
	if err != nil {
		t.Fatal(err)
	}
	sub := e.Credentials().SubscriptionID
	groups, _ := armresources.NewResourceGroupsClient(sub, cred, e.ClientOptions())
	listing, _ := armresources.NewClient(sub, cred, e.ClientOptions())
	vnets, _ := armnetwork.NewVirtualNetworksClient(sub, cred, e.ClientOptions())

	if _, err := groups.CreateOrUpdate(ctx, "rg-listing", armresources.ResourceGroup{Location: to.Ptr("eastus")}, nil); err != nil {
		t.Fatal(err)
	}
	poller, err := vnets.BeginCreateOrUpdate(ctx, "rg-listing", "vnet-a", armnetwork.VirtualNetwork{
		Location: to.Ptr("eastus"),
		Properties: &armnetwork.VirtualNetworkPropertiesFormat{
			AddressSpace: &armnetwork.AddressSpace{AddressPrefixes: []*string{to.Ptr("10.1.0.0/16")}},
			Subnets:      []*armnetwork.Subnet{{Name: to.Ptr("default"), Properties: &armnetwork.SubnetPropertiesFormat{AddressPrefix: to.Ptr("10.1.0.0/24")}}},
		},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := poller.PollUntilDone(ctx, nil); err != nil {
		t.Fatal(err)
	}

	list := func(expand *string) []*armresources.GenericResourceExpanded {
		t.Helper()
		var out []*armresources.GenericResourceExpanded
		pager := listing.NewListByResourceGroupPager("rg-listing", &armresources.ClientListByResourceGroupOptions{Expand: expand, Top: to.Ptr[int32](10)})
		for pager.More() {
			page, err := pager.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, page.Value...)
		}
		return out
	}

	got := list(to.Ptr("provisioningState"))
	if len(got) != 1 || got[0].Name == nil || *got[0].Name != "vnet-a" {
		t.Fatalf("listing holds %d resources, want the VNet alone (not its subnet): %+v", len(got), got)
	}
	r := got[0]
	if r.Type == nil || *r.Type != "Microsoft.Network/virtualNetworks" || r.Location == nil || *r.Location != "eastus" {
		t.Errorf("listed VNet has type %v and location %v", r.Type, r.Location)
	}
	if r.ProvisioningState == nil || *r.ProvisioningState != "Succeeded" {
		t.Errorf("with $expand=provisioningState the VNet shows provisioningState %v, want Succeeded", r.ProvisioningState)
	}
	if r.Properties != nil {
		t.Errorf("a listing shows no properties, got %v", r.Properties)
	}
	if plain := list(nil); len(plain) != 1 || plain[0].ProvisioningState != nil {
		t.Errorf("without $expand the listing shows no provisioningState: %+v", plain)
	}

	del, err := vnets.BeginDelete(ctx, "rg-listing", "vnet-a", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := del.PollUntilDone(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if left := list(to.Ptr("provisioningState")); len(left) != 0 {
		t.Errorf("after the VNet is deleted the group still lists %d resources", len(left))
	}
}
