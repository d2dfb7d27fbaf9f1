package network_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
)

// ruleWith is inbound("r", 300) changed by edit.
func ruleWith(edit func(p *armnetwork.SecurityRulePropertiesFormat)) *armnetwork.SecurityRule {
	r := inbound("r", 300)
	edit(r.Properties)
	return r
}

func TestSecurityRule_Validation(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.group(nil, "rg", "westeurope")
	l.mustNSG("rg", "nsg")
	type props = armnetwork.SecurityRulePropertiesFormat
	bad := []struct {
		name, code, inMessage string
		edit                  func(*props)
	}{
		{"priority below 100", "SecurityRuleInvalidPriority", "Value provided: 99 Allowed range 100-4096", func(p *props) { p.Priority = to.Ptr[int32](99) }},
		{"priority above 4096", "SecurityRuleInvalidPriority", "4097", func(p *props) { p.Priority = to.Ptr[int32](4097) }},
		{"no priority", "SecurityRuleInvalidPriority", "", func(p *props) { p.Priority = nil }},
		{"protocol", "SecurityRuleInvalidProtocol", "Value provided: Http", func(p *props) { p.Protocol = to.Ptr(armnetwork.SecurityRuleProtocol("Http")) }},
		{"access", "SecurityRuleInvalidAccessType", "Permit", func(p *props) { p.Access = to.Ptr(armnetwork.SecurityRuleAccess("Permit")) }},
		{"direction", "SecurityRuleInvalidDirection", "Sideways", func(p *props) { p.Direction = to.Ptr(armnetwork.SecurityRuleDirection("Sideways")) }},
		{"port above 65535", "SecurityRuleInvalidPortRange", "Value provided: 70000.", func(p *props) { p.DestinationPortRange = to.Ptr("70000") }},
		{"reversed range", "SecurityRuleInvalidPortRange", "90-80", func(p *props) { p.DestinationPortRange = to.Ptr("90-80") }},
		{"comma list in a range", "SecurityRuleInvalidPortRange", "80,443", func(p *props) { p.DestinationPortRange = to.Ptr("80,443") }},
		{"wildcard in port list", "SecurityRuleParameterContainsInvalidPortRanges", "DestinationPortRanges", func(p *props) {
			p.DestinationPortRange, p.DestinationPortRanges = nil, to.SliceOfPtrs("80", "*")
		}},
		{"port range and ranges", "SecurityRuleParameterContainsUnsupportedValue", "SourcePortRange", func(p *props) { p.SourcePortRanges = to.SliceOfPtrs("80") }},
		{"no destination port", "SecurityRuleParameterMissing", "DestinationPortRange", func(p *props) { p.DestinationPortRange = nil }},
		{"host bits in CIDR", "SecurityRuleInvalidAddressPrefix", "Value provided: 10.0.0.1/16.", func(p *props) { p.SourceAddressPrefix = to.Ptr("10.0.0.1/16") }},
		{"unknown tag", "SecurityRuleInvalidAddressPrefix", "AzureBastionSubnet", func(p *props) { p.SourceAddressPrefix = to.Ptr("AzureBastionSubnet") }},
		{"prefix and prefixes", "SecurityRuleParameterContainsUnsupportedValue", "SourceAddressPrefix", func(p *props) { p.SourceAddressPrefixes = to.SliceOfPtrs("10.0.0.0/24") }},
		{"tag in prefixes", "SecurityRuleParameterContainsUnsupportedValue", "cannot specify existing VIRTUALNETWORK, INTERNET, AZURELOADBALANCER, '*' or system tags. Unsupported value used: Internet.", func(p *props) {
			p.SourceAddressPrefix, p.SourceAddressPrefixes = nil, to.SliceOfPtrs("10.0.0.0/24", "Internet")
		}},
		{"wildcard in prefixes", "SecurityRuleParameterContainsUnsupportedValue", "Unsupported value used: *.", func(p *props) {
			p.DestinationAddressPrefix, p.DestinationAddressPrefixes = nil, to.SliceOfPtrs("*")
		}},
		{"no source prefix", "SecurityRuleParameterMissing", "SourceAddressPrefix", func(p *props) { p.SourceAddressPrefix = nil }},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			_, err := l.putNSG("rg", "nsg", ruleWith(c.edit))
			e := wantError(t, err, http.StatusBadRequest, c.code)
			if !strings.Contains(e.Message, c.inMessage) {
				t.Errorf("message %q does not say %q", e.Message, c.inMessage)
			}
			// The child resource checks the same way.
			_, err = l.putRule("rg", "nsg", "r", ruleWith(c.edit))
			wantError(t, err, http.StatusBadRequest, c.code)
		})
	}

	good := []struct {
		name string
		edit func(*props)
	}{
		{"priority 100", func(p *props) { p.Priority = to.Ptr[int32](100) }},
		{"priority 4096", func(p *props) { p.Priority = to.Ptr[int32](4096) }},
		{"protocol in any case", func(p *props) { p.Protocol = to.Ptr(armnetwork.SecurityRuleProtocol("icmp")) }},
		{"Esp", func(p *props) { p.Protocol = to.Ptr(armnetwork.SecurityRuleProtocolEsp) }},
		{"Ah", func(p *props) { p.Protocol = to.Ptr(armnetwork.SecurityRuleProtocolAh) }},
		{"port range", func(p *props) { p.DestinationPortRange = to.Ptr("1024-65535") }},
		{"port list", func(p *props) {
			p.DestinationPortRange, p.DestinationPortRanges = nil, to.SliceOfPtrs("80", "443", "8000-8080")
		}},
		{"service tags", func(p *props) {
			p.SourceAddressPrefix, p.DestinationAddressPrefix = to.Ptr("Internet"), to.Ptr("VirtualNetwork")
		}},
		{"regional service tag", func(p *props) { p.DestinationAddressPrefix = to.Ptr("Storage.WestEurope") }},
		{"load balancer tag", func(p *props) { p.SourceAddressPrefix = to.Ptr("AzureLoadBalancer") }},
		{"address list", func(p *props) {
			p.SourceAddressPrefix, p.SourceAddressPrefixes = nil, to.SliceOfPtrs("10.0.0.0/24", "192.168.1.7")
		}},
		{"IPv6", func(p *props) { p.SourceAddressPrefix = to.Ptr("2001:db8::/64") }},
		{"application security groups", func(p *props) {
			p.SourceAddressPrefix = nil
			p.SourceApplicationSecurityGroups = []*armnetwork.ApplicationSecurityGroup{{ID: to.Ptr(resID("rg", "applicationSecurityGroups/web"))}}
		}},
	}
	for _, c := range good {
		t.Run(c.name, func(t *testing.T) {
			if _, err := l.putNSG("rg", "nsg", ruleWith(c.edit)); err != nil {
				t.Fatalf("refused: %v", err)
			}
		})
	}
	r, err := l.putRule("rg", "nsg", "ping", ruleWith(func(p *props) {
		p.Protocol, p.Access = to.Ptr(armnetwork.SecurityRuleProtocol("icmp")), to.Ptr(armnetwork.SecurityRuleAccess("deny"))
		p.Priority = to.Ptr[int32](400)
	}))
	if err != nil || *r.Properties.Protocol != armnetwork.SecurityRuleProtocolIcmp || *r.Properties.Access != armnetwork.SecurityRuleAccessDeny {
		t.Errorf("enums not in Azure's spelling: %v %+v", err, r.Properties)
	}
}

func (l *lab) putRule(rg, nsg, name string, r *armnetwork.SecurityRule) (armnetwork.SecurityRule, error) {
	p, err := l.net.NewSecurityRulesClient().BeginCreateOrUpdate(l.t.Context(), rg, nsg, name, *r, nil)
	if err != nil {
		return armnetwork.SecurityRule{}, err
	}
	res, err := p.PollUntilDone(l.t.Context(), poll)
	return res.SecurityRule, err
}

func TestSecurityRule_Conflicts(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.group(nil, "rg", "westeurope")

	// Inline: the first rule of the pair is named first.
	_, err := l.putNSG("rg", "nsg", inbound("allow-ssh", 200), inbound("allow-rdp", 200))
	e := wantError(t, err, http.StatusBadRequest, "SecurityRuleConflict")
	if want := "Security rule allow-ssh conflicts with rule allow-rdp. Rules cannot have the same Priority and Direction. To learn more, see aka.ms/nsgrules."; e.Message != want {
		t.Errorf("message %q, want %q", e.Message, want)
	}
	out := inbound("out", 200)
	out.Properties.Direction = to.Ptr(armnetwork.SecurityRuleDirectionOutbound)
	l.mustNSG("rg", "nsg", inbound("allow-ssh", 200), out)

	// Child resource: the rule already there is named first.
	_, err = l.putRule("rg", "nsg", "newcomer", inbound("newcomer", 200))
	e = wantError(t, err, http.StatusBadRequest, "SecurityRuleConflict")
	if !strings.HasPrefix(e.Message, "Security rule allow-ssh conflicts with rule newcomer.") {
		t.Errorf("message %q", e.Message)
	}
	// A rule may keep its own priority when it is updated.
	if _, err := l.putRule("rg", "nsg", "allow-ssh", inbound("allow-ssh", 200)); err != nil {
		t.Fatalf("updating a rule in place: %v", err)
	}
}

func TestSecurityRule_ChildResource(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.group(nil, "rg", "westeurope")
	before := l.mustNSG("rg", "nsg")
	r, err := l.putRule("rg", "nsg", "ssh", inbound("ssh", 100))
	if err != nil {
		t.Fatal(err)
	}
	if *r.ID != resID("rg", "networkSecurityGroups/nsg/securityRules/ssh") || *r.Name != "ssh" || r.Etag == nil ||
		r.Properties.DestinationPortRanges == nil || *r.Properties.ProvisioningState != armnetwork.ProvisioningStateSucceeded {
		t.Errorf("rule = %+v %+v", r, r.Properties)
	}
	g := l.getNSG("rg", "nsg")
	if len(g.Properties.SecurityRules) != 1 || *g.Etag == *before.Etag {
		t.Fatalf("NSG after a rule PUT: %d rules, etag changed %v", len(g.Properties.SecurityRules), *g.Etag != *before.Etag)
	}
	// Every part of the NSG carries the NSG's etag.
	got, err := l.net.NewSecurityRulesClient().Get(t.Context(), "rg", "nsg", "ssh", nil)
	if err != nil {
		t.Fatal(err)
	}
	if *r.Etag != *g.Etag || *got.Etag != *g.Etag || *g.Properties.SecurityRules[0].Etag != *g.Etag || *g.Properties.DefaultSecurityRules[0].Etag != *g.Etag {
		t.Errorf("etags: NSG %s, rule PUT %s, rule GET %s, embedded %s, default %s", *g.Etag, *r.Etag, *got.Etag,
			*g.Properties.SecurityRules[0].Etag, *g.Properties.DefaultSecurityRules[0].Etag)
	}
	n := 0
	for pg := l.net.NewSecurityRulesClient().NewListPager("rg", "nsg", nil); pg.More(); {
		page, err := pg.NextPage(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		n += len(page.Value)
	}
	if n != 1 {
		t.Errorf("listed %d rules", n)
	}

	_, err = l.putRule("rg", "missing", "ssh", inbound("ssh", 100))
	wantError(t, err, http.StatusNotFound, "ParentResourceNotFound")

	path := resID("rg", "networkSecurityGroups/nsg/securityRules/ssh") + "?api-version=" + networkAPI
	resp, _ := l.do(http.MethodDelete, path, nil, nil)
	if resp.StatusCode != http.StatusAccepted || resp.Header.Get("Location") == "" || resp.Header.Get("Azure-AsyncOperation") == "" {
		t.Fatalf("DELETE: %d %v", resp.StatusCode, resp.Header)
	}
	if resp, _ = l.do(http.MethodDelete, path, nil, nil); resp.StatusCode != http.StatusNoContent {
		t.Errorf("DELETE of nothing: %d", resp.StatusCode)
	}
	if rules := l.getNSG("rg", "nsg").Properties.SecurityRules; len(rules) != 0 {
		t.Errorf("%d rules left", len(rules))
	}
}

// In the realistic profile a rule written while its NSG is being updated
// meets AnotherOperationInProgress.
func TestSecurityRule_BusyNSG(t *testing.T) {
	l := newLab(t, emulator.Options{Profile: arm.RealisticProfile(0.25)})
	l.group(nil, "rg", "westeurope")
	body := armnetwork.SecurityGroup{Location: to.Ptr("westeurope")}
	poller, err := l.net.NewSecurityGroupsClient().BeginCreateOrUpdate(t.Context(), "rg", "nsg", body, nil)
	if err != nil {
		t.Fatal(err)
	}
	if g := l.getNSG("rg", "nsg"); *g.Properties.ProvisioningState != armnetwork.ProvisioningStateUpdating {
		t.Errorf("provisioningState %s while the PUT runs", *g.Properties.ProvisioningState)
	}
	_, err = l.net.NewSecurityRulesClient().BeginCreateOrUpdate(t.Context(), "rg", "nsg", "ssh", *inbound("ssh", 100), nil)
	wantError(t, err, http.StatusConflict, "AnotherOperationInProgress")
	if _, err := poller.PollUntilDone(t.Context(), poll); err != nil {
		t.Fatal(err)
	}
	if _, err := l.putRule("rg", "nsg", "ssh", inbound("ssh", 100)); err != nil {
		t.Fatalf("rule PUT after the NSG PUT: %v", err)
	}
}
