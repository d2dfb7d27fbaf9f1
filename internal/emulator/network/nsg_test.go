package network_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/identity"
)

// resID is the ID of a Microsoft.Network resource in group rg of the
// default subscription; rest is type/name[/type/name...].
func resID(rg string, rest ...string) string {
	return "/subscriptions/" + identity.DefaultSubscriptionID + "/resourceGroups/" + rg + "/providers/Microsoft.Network/" + strings.Join(rest, "/")
}

// inbound is a valid user rule: Tcp to port 22 from anywhere.
func inbound(name string, priority int32) *armnetwork.SecurityRule {
	return &armnetwork.SecurityRule{Name: to.Ptr(name), Properties: &armnetwork.SecurityRulePropertiesFormat{
		Priority: to.Ptr(priority), Direction: to.Ptr(armnetwork.SecurityRuleDirectionInbound),
		Access: to.Ptr(armnetwork.SecurityRuleAccessAllow), Protocol: to.Ptr(armnetwork.SecurityRuleProtocolTCP),
		SourcePortRange: to.Ptr("*"), DestinationPortRange: to.Ptr("22"),
		SourceAddressPrefix: to.Ptr("*"), DestinationAddressPrefix: to.Ptr("*"),
	}}
}

func (l *lab) putNSG(rg, name string, rules ...*armnetwork.SecurityRule) (armnetwork.SecurityGroup, error) {
	body := armnetwork.SecurityGroup{Location: to.Ptr("westeurope"), Properties: &armnetwork.SecurityGroupPropertiesFormat{SecurityRules: rules}}
	p, err := l.net.NewSecurityGroupsClient().BeginCreateOrUpdate(l.t.Context(), rg, name, body, nil)
	if err != nil {
		return armnetwork.SecurityGroup{}, err
	}
	r, err := p.PollUntilDone(l.t.Context(), poll)
	return r.SecurityGroup, err
}

func (l *lab) mustNSG(rg, name string, rules ...*armnetwork.SecurityRule) armnetwork.SecurityGroup {
	l.t.Helper()
	g, err := l.putNSG(rg, name, rules...)
	if err != nil {
		l.t.Fatalf("putting NSG %s: %v", name, err)
	}
	return g
}

func (l *lab) getNSG(rg, name string) armnetwork.SecurityGroup {
	l.t.Helper()
	r, err := l.net.NewSecurityGroupsClient().Get(l.t.Context(), rg, name, nil)
	if err != nil {
		l.t.Fatalf("getting NSG %s: %v", name, err)
	}
	return r.SecurityGroup
}

func TestSecurityGroup_DefaultRulesAreAzures(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.group(nil, "rg", "westeurope")
	l.mustNSG("rg", "nsg")
	g := l.getNSG("rg", "nsg")

	if g.Properties.SecurityRules == nil || len(g.Properties.SecurityRules) != 0 {
		t.Errorf("securityRules = %v, want an empty list", g.Properties.SecurityRules)
	}
	if *g.Properties.ProvisioningState != armnetwork.ProvisioningStateSucceeded || g.Properties.ResourceGUID == nil || *g.Type != "Microsoft.Network/networkSecurityGroups" {
		t.Errorf("NSG = %+v", g.Properties)
	}
	want := []struct {
		name, description, source, destination string
		access                                 armnetwork.SecurityRuleAccess
		direction                              armnetwork.SecurityRuleDirection
		priority                               int32
	}{
		{"AllowVnetInBound", "Allow inbound traffic from all VMs in VNET", "VirtualNetwork", "VirtualNetwork", "Allow", "Inbound", 65000},
		{"AllowAzureLoadBalancerInBound", "Allow inbound traffic from azure load balancer", "AzureLoadBalancer", "*", "Allow", "Inbound", 65001},
		{"DenyAllInBound", "Deny all inbound traffic", "*", "*", "Deny", "Inbound", 65500},
		{"AllowVnetOutBound", "Allow outbound traffic from all VMs to all VMs in VNET", "VirtualNetwork", "VirtualNetwork", "Allow", "Outbound", 65000},
		{"AllowInternetOutBound", "Allow outbound traffic from all VMs to Internet", "*", "Internet", "Allow", "Outbound", 65001},
		{"DenyAllOutBound", "Deny all outbound traffic", "*", "*", "Deny", "Outbound", 65500},
	}
	got := g.Properties.DefaultSecurityRules
	if len(got) != len(want) {
		t.Fatalf("%d default rules, want %d", len(got), len(want))
	}
	for i, w := range want {
		r, p := got[i], got[i].Properties
		if *r.Name != w.name || *r.ID != resID("rg", "networkSecurityGroups/nsg/defaultSecurityRules/"+w.name) ||
			*r.Type != "Microsoft.Network/networkSecurityGroups/defaultSecurityRules" {
			t.Errorf("rule %d: name %s id %s type %s", i, *r.Name, *r.ID, *r.Type)
		}
		if *p.Description != w.description || *p.SourceAddressPrefix != w.source || *p.DestinationAddressPrefix != w.destination ||
			*p.Access != w.access || *p.Direction != w.direction || *p.Priority != w.priority ||
			*p.Protocol != "*" || *p.SourcePortRange != "*" || *p.DestinationPortRange != "*" ||
			*p.ProvisioningState != armnetwork.ProvisioningStateSucceeded {
			t.Errorf("rule %s: %+v", w.name, p)
		}
	}

	// The default rules are also their own read-only child resources.
	d, err := l.net.NewDefaultSecurityRulesClient().Get(t.Context(), "rg", "nsg", "DenyAllInBound", nil)
	if err != nil || *d.Properties.Priority != 65500 {
		t.Fatalf("default rule GET: %v %+v", err, d)
	}
	_, err = l.net.NewDefaultSecurityRulesClient().Get(t.Context(), "rg", "nsg", "AllowEverything", nil)
	wantError(t, err, http.StatusNotFound, "NotFound")
	n := 0
	for pg := l.net.NewDefaultSecurityRulesClient().NewListPager("rg", "nsg", nil); pg.More(); {
		page, err := pg.NextPage(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		n += len(page.Value)
	}
	if n != 6 {
		t.Errorf("listed %d default rules, want 6", n)
	}
}

func TestSecurityGroup_InlineRulesAreTheWholeSet(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.group(nil, "rg", "westeurope")
	g := l.mustNSG("rg", "nsg", inbound("ssh", 100), inbound("rdp", 110))
	if len(g.Properties.SecurityRules) != 2 {
		t.Fatalf("PUT answered %d rules, want 2", len(g.Properties.SecurityRules))
	}
	r := g.Properties.SecurityRules[1]
	if *r.ID != resID("rg", "networkSecurityGroups/nsg/securityRules/ssh") || *r.Type != "Microsoft.Network/networkSecurityGroups/securityRules" ||
		r.Etag == nil || *r.Properties.ProvisioningState != armnetwork.ProvisioningStateSucceeded || r.Properties.SourceAddressPrefixes == nil {
		t.Errorf("stored rule = %+v %+v", r, r.Properties)
	}

	l.mustNSG("rg", "nsg", inbound("rdp", 110))
	rules := l.getNSG("rg", "nsg").Properties.SecurityRules
	if len(rules) != 1 || *rules[0].Name != "rdp" {
		t.Fatalf("after a PUT with rdp only: %d rules", len(rules))
	}
	_, err := l.net.NewSecurityRulesClient().Get(t.Context(), "rg", "nsg", "ssh", nil)
	e := wantError(t, err, http.StatusNotFound, "NotFound")
	if want := "Resource " + resID("rg", "networkSecurityGroups/nsg/securityRules/ssh") + " not found."; e.Message != want {
		t.Errorf("message %q, want %q", e.Message, want)
	}

	// A refused PUT changes nothing.
	_, err = l.putNSG("rg", "nsg", inbound("a", 200), inbound("b", 200))
	wantError(t, err, http.StatusBadRequest, "SecurityRuleConflict")
	if rules := l.getNSG("rg", "nsg").Properties.SecurityRules; len(rules) != 1 || *rules[0].Name != "rdp" {
		t.Errorf("a refused PUT changed the rules: %d", len(rules))
	}
}

func TestSecurityGroup_ShowsAndProtectsItsUsers(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.group(nil, "rg", "westeurope")
	nsgID := resID("rg", "networkSecurityGroups/nsg")
	l.mustNSG("rg", "nsg")
	web := subnet("web", "10.0.1.0/24")
	web.Properties.NetworkSecurityGroup = &armnetwork.SecurityGroup{ID: to.Ptr(nsgID)}
	l.mustVNet(nil, "rg", "vnet", vnetBody("westeurope", []string{"10.0.0.0/16"}, web, subnet("app", "10.0.2.0/24")))
	nic := nicBody(ipConfig("ipconfig1", resID("rg", "virtualNetworks/vnet/subnets/app")))
	nic.Properties.NetworkSecurityGroup = &armnetwork.SecurityGroup{ID: to.Ptr(nsgID)}
	l.mustNIC("rg", "nic", nic)

	p := l.getNSG("rg", "nsg").Properties
	if len(p.Subnets) != 1 || *p.Subnets[0].ID != resID("rg", "virtualNetworks/vnet/subnets/web") {
		t.Errorf("subnets = %v", p.Subnets)
	}
	if len(p.NetworkInterfaces) != 1 || *p.NetworkInterfaces[0].ID != resID("rg", "networkInterfaces/nic") {
		t.Errorf("networkInterfaces = %v", p.NetworkInterfaces)
	}

	del := func() error {
		poller, err := l.net.NewSecurityGroupsClient().BeginDelete(t.Context(), "rg", "nsg", nil)
		if err == nil {
			_, err = poller.PollUntilDone(t.Context(), poll)
		}
		return err
	}
	e := wantError(t, del(), http.StatusBadRequest, "InUseNetworkSecurityGroupCannotBeDeleted")
	if !strings.Contains(e.Message, "Network security group "+nsgID+" cannot be deleted because it is in use by the following resources: ") ||
		!strings.Contains(e.Message, resID("rg", "virtualNetworks/vnet/subnets/web")) || !strings.Contains(e.Message, resID("rg", "networkInterfaces/nic")) {
		t.Errorf("message %q", e.Message)
	}

	// Dissociated, it goes.
	nic.Properties.NetworkSecurityGroup = nil
	l.mustNIC("rg", "nic", nic)
	l.mustVNet(nil, "rg", "vnet", vnetBody("westeurope", []string{"10.0.0.0/16"}, subnet("web", "10.0.1.0/24"), subnet("app", "10.0.2.0/24")))
	if p := l.getNSG("rg", "nsg").Properties; p.Subnets != nil || p.NetworkInterfaces != nil {
		t.Errorf("still associated: %v %v", p.Subnets, p.NetworkInterfaces)
	}
	if err := del(); err != nil {
		t.Fatalf("deleting the NSG: %v", err)
	}
	_, err := l.net.NewSecurityGroupsClient().Get(t.Context(), "rg", "nsg", nil)
	e = wantError(t, err, http.StatusNotFound, "ResourceNotFound")
	if want := "The Resource 'Microsoft.Network/networkSecurityGroups/nsg' under resource group 'rg' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"; e.Message != want {
		t.Errorf("message %q", e.Message)
	}
}

func TestSecurityGroup_LongRunningAnswers(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.group(nil, "rg", "westeurope")
	path := resID("rg", "networkSecurityGroups/nsg") + "?api-version=" + networkAPI
	body := map[string]any{"location": "westeurope"}
	resp, _ := l.do(http.MethodPut, path, body, nil)
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("Azure-AsyncOperation") == "" {
		t.Fatalf("first PUT: %d, Azure-AsyncOperation %q", resp.StatusCode, resp.Header.Get("Azure-AsyncOperation"))
	}
	if resp, _ = l.do(http.MethodPut, path, body, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("second PUT: %d, want 200", resp.StatusCode)
	}
	resp, _ = l.do(http.MethodDelete, path, nil, nil)
	if resp.StatusCode != http.StatusAccepted || resp.Header.Get("Azure-AsyncOperation") == "" || resp.Header.Get("Location") == "" {
		t.Fatalf("DELETE: %d, headers %v", resp.StatusCode, resp.Header)
	}
	if resp, _ = l.do(http.MethodDelete, path, nil, nil); resp.StatusCode != http.StatusNoContent {
		t.Errorf("DELETE of nothing: %d, want 204", resp.StatusCode)
	}
}

func TestSecurityGroup_ListsAndTags(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.group(nil, "rg1", "westeurope")
	l.group(nil, "rg2", "westeurope")
	l.mustNSG("rg1", "a")
	l.mustNSG("rg2", "b")
	count := func(rg string) int {
		n := 0
		c := l.net.NewSecurityGroupsClient()
		if rg == "" {
			for pg := c.NewListAllPager(nil); pg.More(); {
				page, err := pg.NextPage(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				n += len(page.Value)
			}
			return n
		}
		for pg := c.NewListPager(rg, nil); pg.More(); {
			page, err := pg.NextPage(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range page.Value {
				if len(g.Properties.DefaultSecurityRules) != 6 {
					t.Errorf("listed NSG %s without its default rules", *g.Name)
				}
			}
			n += len(page.Value)
		}
		return n
	}
	if a, b, all := count("rg1"), count("rg2"), count(""); a != 1 || b != 1 || all != 2 {
		t.Errorf("listed %d, %d and %d in all, want 1, 1 and 2", a, b, all)
	}
	before := l.getNSG("rg1", "a")
	r, err := l.net.NewSecurityGroupsClient().UpdateTags(t.Context(), "rg1", "a", armnetwork.TagsObject{Tags: map[string]*string{"env": to.Ptr("lab")}}, nil)
	if err != nil || *r.Tags["env"] != "lab" || *r.Etag == *before.Etag {
		t.Fatalf("UpdateTags: %v %+v", err, r)
	}
}
