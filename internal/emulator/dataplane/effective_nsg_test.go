package dataplane_test

import (
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/emulatortest"
)

func TestEffectiveNetworkSecurityGroupsAreWhatAzureShows(t *testing.T) {
	l := emulatortest.New(t, emulator.Options{})
	l.Group("rg", "eastus")
	subnetNSG := l.NSG("rg", "nsg-subnet", "eastus")
	ssh := emulatortest.Rule("allow-ssh", 100, armnetwork.SecurityRuleDirectionInbound, armnetwork.SecurityRuleAccessAllow, armnetwork.SecurityRuleProtocolTCP)
	ssh.Properties.SourceAddressPrefix, ssh.Properties.DestinationPortRange = to.Ptr("Internet"), to.Ptr("22")
	nicNSG := l.NSG("rg", "nsg-nic", "eastus", ssh)
	l.VNet("rg", "a", "eastus", []string{"10.1.0.0/16"})
	sp, err := l.Net.NewSubnetsClient().BeginCreateOrUpdate(t.Context(), "rg", "a", "s", armnetwork.Subnet{Properties: &armnetwork.SubnetPropertiesFormat{
		AddressPrefix: to.Ptr("10.1.1.0/24"), NetworkSecurityGroup: &armnetwork.SecurityGroup{ID: to.Ptr(subnetNSG)}}}, nil)
	if err == nil {
		_, err = sp.PollUntilDone(t.Context(), emulatortest.Poll)
	}
	if err != nil {
		t.Fatal(err)
	}
	l.VNet("rg", "b", "eastus", []string{"192.168.0.0/16"}, "s=192.168.1.0/24")
	l.Peer("rg", "a", "b")
	l.Machine("rg", "vma", "eastus", l.ID("rg", "Microsoft.Network/virtualNetworks", "a", "subnets", "s"), emulatortest.NICOptions{NSG: nicNSG})

	groups := l.EffectiveNSGs("rg", "vma-nic")
	if len(groups) != 2 {
		t.Fatalf("%d effective NSGs, want the NIC's and the subnet's", len(groups))
	}
	nicID, subnetID := l.ID("rg", "Microsoft.Network/networkInterfaces", "vma-nic"), l.ID("rg", "Microsoft.Network/virtualNetworks", "a", "subnets", "s")
	if g := groups[0]; deref(g.NetworkSecurityGroup.ID) != nicNSG || g.Association.NetworkInterface == nil || deref(g.Association.NetworkInterface.ID) != nicID || g.Association.Subnet != nil {
		t.Errorf("first group %s associated with %+v, want %s on the NIC", deref(g.NetworkSecurityGroup.ID), g.Association, nicNSG)
	}
	if g := groups[1]; deref(g.NetworkSecurityGroup.ID) != subnetNSG || g.Association.Subnet == nil || deref(g.Association.Subnet.ID) != subnetID {
		t.Errorf("second group %s associated with %+v, want %s on the subnet", deref(g.NetworkSecurityGroup.ID), g.Association, subnetNSG)
	}

	rules := groups[0].EffectiveSecurityRules
	var names []string
	for _, r := range rules {
		names = append(names, deref(r.Name))
	}
	wantNames := "securityRules/allow-ssh defaultSecurityRules/AllowVnetInBound defaultSecurityRules/AllowAzureLoadBalancerInBound defaultSecurityRules/DenyAllInBound " +
		"defaultSecurityRules/AllowVnetOutBound defaultSecurityRules/AllowInternetOutBound defaultSecurityRules/DenyAllOutBound"
	if got := strings.Join(names, " "); got != wantNames {
		t.Fatalf("effective rules: %s\nwant %s", got, wantNames)
	}
	s := rules[0]
	if deref(s.Protocol) != "Tcp" || deref(s.SourcePortRange) != "0-65535" || deref(s.DestinationPortRange) != "22-22" ||
		deref(s.SourceAddressPrefix) != "Internet" || deref(s.DestinationAddressPrefix) != "0.0.0.0/0" ||
		deref(s.Access) != "Allow" || deref(s.Direction) != "Inbound" || deref(s.Priority) != 100 {
		t.Errorf("allow-ssh in effective form: %s %s→%s %s→%s %s %s %d", deref(s.Protocol), deref(s.SourcePortRange), deref(s.DestinationPortRange),
			deref(s.SourceAddressPrefix), deref(s.DestinationAddressPrefix), deref(s.Access), deref(s.Direction), deref(s.Priority))
	}
	if len(s.ExpandedSourceAddressPrefix) == 0 || deref(s.ExpandedSourceAddressPrefix[0]) != "1.0.0.0/8" {
		t.Errorf("Internet expands to %d prefixes starting %v, want public space from 1.0.0.0/8", len(s.ExpandedSourceAddressPrefix), s.ExpandedSourceAddressPrefix)
	}
	vnet := rules[1]
	var expanded []string
	for _, p := range vnet.ExpandedSourceAddressPrefix {
		expanded = append(expanded, deref(p))
	}
	if got := strings.Join(expanded, " "); got != "10.1.0.0/16 168.63.129.16/32 192.168.0.0/16" || deref(vnet.Protocol) != "All" {
		t.Errorf("AllowVnetInBound: protocol %s, VirtualNetwork expands to %s; want All and the VNet, the platform address and the Connected peer", deref(vnet.Protocol), got)
	}
	if lb := rules[2]; len(lb.ExpandedSourceAddressPrefix) != 1 || deref(lb.ExpandedSourceAddressPrefix[0]) != "168.63.129.16/32" {
		t.Errorf("AzureLoadBalancer expands to %v", lb.ExpandedSourceAddressPrefix)
	}
}
