package network

import (
	"encoding/json"
	"net/http"
	"net/netip"
	"strconv"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

func registerSecurityRules(s *arm.Server) {
	r := s.Router
	const read = "Microsoft.Network/networkSecurityGroups/securityRules/read"
	rulePath := nsgPath + "/securityRules/{securityRuleName}"
	r.Handle(http.MethodGet, nsgPath+"/securityRules", read, listChildren(TypeNSG, TypeSecurityRule, ruleByID))
	r.Handle(http.MethodGet, rulePath, read, getChild(ruleByID))
	r.Handle(http.MethodPut, rulePath, "Microsoft.Network/networkSecurityGroups/securityRules/write", putSecurityRule)
	r.Handle(http.MethodDelete, rulePath, "Microsoft.Network/networkSecurityGroups/securityRules/delete", deleteHandler("DeleteSecurityRuleOperation", true, touchRuleGroup))
	r.Handle(http.MethodGet, nsgPath+"/defaultSecurityRules", "Microsoft.Network/networkSecurityGroups/defaultSecurityRules/read", listDefaultSecurityRules)
	r.Handle(http.MethodGet, nsgPath+"/defaultSecurityRules/{defaultSecurityRuleName}", "Microsoft.Network/networkSecurityGroups/defaultSecurityRules/read", getDefaultSecurityRule)
}

// newSecurityRule builds the stored rule from validated properties. Its
// etag is its NSG's, set as it is read (ruleView).
func newSecurityRule(id, name string, p *armnetwork.SecurityRulePropertiesFormat, state string) *armnetwork.SecurityRule {
	q := *p
	for _, l := range []*[]*string{&q.SourcePortRanges, &q.DestinationPortRanges, &q.SourceAddressPrefixes, &q.DestinationAddressPrefixes} {
		if *l == nil {
			*l = []*string{}
		}
	}
	q.ProvisioningState = to.Ptr(armnetwork.ProvisioningState(state))
	return &armnetwork.SecurityRule{ID: to.Ptr(id), Name: to.Ptr(name), Type: to.Ptr(TypeSecurityRule), Properties: &q}
}

// ruleView is a stored rule as GET shows it: with the etag of its NSG, as
// every part of a network resource carries the resource's etag.
func ruleView(r *store.Resource, nsgEtag string) (*armnetwork.SecurityRule, bool) {
	var rule armnetwork.SecurityRule
	if json.Unmarshal(r.Body, &rule) != nil {
		return nil, false
	}
	rule.Etag = to.Ptr(nsgEtag)
	return &rule, true
}

// checkRuleSet validates the rules of an NSG PUT: each rule, then every
// pair for a shared priority and direction.
func checkRuleSet(nsgID string, rules []*armnetwork.SecurityRule) ([]*armnetwork.SecurityRule, *arm.Error) {
	seen := map[string]bool{}
	var out []*armnetwork.SecurityRule
	for _, r := range rules {
		if r == nil || r.Name == nil || !arm.ValidNetworkName(*r.Name) {
			name := ""
			if r != nil && r.Name != nil {
				name = *r.Name
			}
			return nil, arm.InvalidName(TypeSecurityRule, name, "1-80 characters")
		}
		if seen[strings.ToLower(*r.Name)] {
			return nil, errDuplicateRuleName(nsgID, *r.Name)
		}
		seen[strings.ToLower(*r.Name)] = true
		if r.Properties == nil {
			r.Properties = &armnetwork.SecurityRulePropertiesFormat{}
		}
		if err := validateRule(nsgID+"/securityRules/"+*r.Name, r.Properties); err != nil {
			return nil, err
		}
		for _, o := range out {
			if clash(o.Properties, r.Properties) {
				return nil, errRuleConflict(*o.Name, *r.Name)
			}
		}
		out = append(out, r)
	}
	return out, nil
}

func clash(a, b *armnetwork.SecurityRulePropertiesFormat) bool {
	return *a.Priority == *b.Priority && *a.Direction == *b.Direction
}

var (
	protocols  = enumOf(armnetwork.PossibleSecurityRuleProtocolValues())
	accesses   = enumOf(armnetwork.PossibleSecurityRuleAccessValues())
	directions = enumOf(armnetwork.PossibleSecurityRuleDirectionValues())
)

// enumOf maps the case-folded values of an SDK enum to Azure's spelling.
func enumOf[T ~string](vals []T) map[string]T {
	m := map[string]T{}
	for _, v := range vals {
		m[strings.ToLower(string(v))] = v
	}
	return m
}

// validateRule applies Azure's checks to one rule and puts its enums in
// Azure's spelling.
func validateRule(ruleID string, p *armnetwork.SecurityRulePropertiesFormat) *arm.Error {
	if p.Priority == nil || *p.Priority < 100 || *p.Priority > 4096 {
		v := "null"
		if p.Priority != nil {
			v = strconv.Itoa(int(*p.Priority))
		}
		return errRulePriority(v)
	}
	proto, ok := protocols[strings.ToLower(string(deref(p.Protocol)))]
	if !ok {
		return errRuleProtocol(string(deref(p.Protocol)))
	}
	access, ok := accesses[strings.ToLower(string(deref(p.Access)))]
	if !ok {
		return errRuleAccess(string(deref(p.Access)))
	}
	dir, ok := directions[strings.ToLower(string(deref(p.Direction)))]
	if !ok {
		return errRuleDirection(string(deref(p.Direction)))
	}
	p.Protocol, p.Access, p.Direction = &proto, &access, &dir
	if err := checkPorts(ruleID, "SourcePortRange", p.SourcePortRange, p.SourcePortRanges); err != nil {
		return err
	}
	if err := checkPorts(ruleID, "DestinationPortRange", p.DestinationPortRange, p.DestinationPortRanges); err != nil {
		return err
	}
	if err := checkPrefixes(ruleID, "SourceAddressPrefix", p.SourceAddressPrefix, p.SourceAddressPrefixes, len(p.SourceApplicationSecurityGroups) > 0); err != nil {
		return err
	}
	return checkPrefixes(ruleID, "DestinationAddressPrefix", p.DestinationAddressPrefix, p.DestinationAddressPrefixes, len(p.DestinationApplicationSecurityGroups) > 0)
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// checkPorts checks one port pair: the single range (which may be "*") or
// the list (which may not), never both.
func checkPorts(ruleID, param string, single *string, list []*string) *arm.Error {
	s, l := deref(single), derefs(list)
	switch {
	case s != "" && len(l) > 0:
		return errRuleBothForms(ruleID, param)
	case s == "" && len(l) == 0:
		return errRuleParameterMissing(ruleID, param)
	case s != "" && s != "*" && !validPortRange(s):
		return errRulePortRange(s)
	}
	for _, v := range l {
		if v == "*" {
			return errRulePortRangesWildcard(ruleID, param+"s", v)
		}
		if !validPortRange(v) {
			return errRulePortRange(v)
		}
	}
	return nil
}

// validPortRange accepts N or N-M within 0-65535.
func validPortRange(s string) bool {
	lo, hi, isRange := strings.Cut(s, "-")
	a, err := strconv.Atoi(lo)
	if err != nil || a < 0 || a > 65535 || strings.TrimSpace(lo) != lo {
		return false
	}
	if !isRange {
		return true
	}
	b, err := strconv.Atoi(hi)
	return err == nil && b >= a && b <= 65535 && strings.TrimSpace(hi) == hi
}

// checkPrefixes checks one address pair: the single prefix may be "*", a
// service tag, an address or a CIDR; the list takes addresses and CIDRs
// only. Application security groups stand in for both.
func checkPrefixes(ruleID, param string, single *string, list []*string, asgs bool) *arm.Error {
	s, l := deref(single), derefs(list)
	switch {
	case s != "" && len(l) > 0:
		return errRuleBothForms(ruleID, param)
	case s == "" && len(l) == 0 && !asgs:
		return errRuleParameterMissing(ruleID, param)
	case s != "" && s != "*" && !isServiceTag(s) && !validAddress(s):
		return errRuleAddressPrefix(s)
	}
	for _, v := range l {
		if v == "*" || isServiceTag(v) {
			return errRuleTagInList(param, ruleID, v)
		}
		if !validAddress(v) {
			return errRuleAddressPrefix(v)
		}
	}
	return nil
}

// validAddress accepts an IP address or a CIDR without host bits.
func validAddress(s string) bool {
	if _, err := netip.ParseAddr(s); err == nil {
		return true
	}
	p, err := netip.ParsePrefix(s)
	return err == nil && p.Masked() == p
}

// serviceTags are the service tags NSG rules accept (case-insensitive),
// alone or with a region suffix (Storage.WestEurope).
var serviceTags = map[string]bool{}

func init() {
	for _, t := range strings.Fields(`VirtualNetwork Internet AzureLoadBalancer AzureCloud AzureTrafficManager
		Storage StorageSyncService Sql SqlManagement AzureCosmosDB AzureKeyVault EventHub ServiceBus
		AzureContainerRegistry MicrosoftContainerRegistry AppService AppServiceManagement ApiManagement
		AzureMonitor AzureActiveDirectory AzureActiveDirectoryDomainServices AzureBackup AzureBotService
		AzureConnectors AzureDataLake AzureFrontDoor.Backend AzureFrontDoor.Frontend AzureFrontDoor.FirstParty
		GatewayManager GuestAndHybridManagement AzureMachineLearning AzurePlatformDNS AzurePlatformIMDS
		AzurePlatformLKM AzureResourceManager AzureSiteRecovery BatchNodeManagement HDInsight PowerBI
		AzureUpdateDelivery AzureArcInfrastructure AzureDevOps DataFactory AzureDatabricks AzureSignalR
		AzureCognitiveSearch CognitiveServicesManagement AzureIoTHub LogicApps WindowsVirtualDesktop
		AzureDigitalTwins AzureSpringCloud MicrosoftCloudAppSecurity AzureContainerAppsService AzureManagedGrafana`) {
		serviceTags[strings.ToLower(t)] = true
	}
}

func isServiceTag(s string) bool {
	l := strings.ToLower(s)
	if serviceTags[l] {
		return true
	}
	i := strings.LastIndex(l, ".")
	return i > 0 && serviceTags[l[:i]] && isWord(l[i+1:])
}

func isWord(s string) bool {
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') {
			return false
		}
	}
	return s != ""
}

func putSecurityRule(c *arm.Context) (*arm.Response, error) {
	var in armnetwork.SecurityRule
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	name := c.Var("securityRuleName")
	if !arm.ValidNetworkName(name) {
		return nil, arm.InvalidName(TypeSecurityRule, name, "1-80 characters")
	}
	if in.Properties == nil {
		in.Properties = &armnetwork.SecurityRulePropertiesFormat{}
	}
	var out *armnetwork.SecurityRule
	var op *arm.Operation
	created := false
	err := c.Store().Write(func(tx *store.Tx) error {
		id, aerr := parse(c, tx)
		if aerr != nil {
			return aerr
		}
		rid, gid := id.String(), id.Parent().String()
		var g armnetwork.SecurityGroup
		if tx.Decode(gid, &g) != nil {
			return arm.NotFound("ParentResourceNotFound", "Failed to perform 'write' on resource(s) of type 'networkSecurityGroups/securityRules', because the parent resource '%s' could not be found.", gid)
		}
		gid = *g.ID
		var old armnetwork.SecurityRule
		exists := tx.Decode(rid, &old) == nil
		if aerr := c.CheckIfMatch(exists, etagOf(g.Etag)); aerr != nil {
			return aerr
		}
		if aerr := checkBusy(c, rid, gid); aerr != nil {
			return aerr
		}
		if aerr := validateRule(rid, in.Properties); aerr != nil {
			return aerr
		}
		for _, r := range tx.Children(gid, TypeSecurityRule) {
			var other armnetwork.SecurityRule
			if arm.SameID(r.ID, rid) || json.Unmarshal(r.Body, &other) != nil || other.Properties == nil {
				continue
			}
			if clash(other.Properties, in.Properties) {
				return errRuleConflict(*other.Name, name)
			}
		}
		created = !exists
		kind := "PutSecurityRuleOperation"
		rule := newSecurityRule(gid+"/securityRules/"+name, name, in.Properties, startState(c, kind))
		if exists {
			rule.ID, rule.Name = old.ID, old.Name
		}
		if err := tx.Put(rid, TypeSecurityRule, rule); err != nil {
			return err
		}
		g.Etag = to.Ptr(arm.NewETag()) // the NSG changes with its rules
		if err := tx.Put(gid, TypeNSG, &g); err != nil {
			return err
		}
		op = beginPut(c, tx, kind, rid, *g.Location, []string{gid}, nil)
		r, _ := tx.Get(rid)
		out, _ = ruleView(r, *g.Etag)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return putAnswer(c, created, out, op), nil
}

func listDefaultSecurityRules(c *arm.Context) (*arm.Response, error) {
	var items []json.RawMessage
	err := c.Store().Read(func(tx *store.Tx) error {
		id, aerr := parseCollection(c, tx)
		if aerr != nil {
			return aerr
		}
		var g armnetwork.SecurityGroup
		if tx.Decode(id.String(), &g) != nil {
			return arm.ResourceNotFound(TypeNSG, id.Name(), id.ResourceGroup)
		}
		for _, r := range defaultSecurityRules(*g.ID, etagOf(g.Etag)) {
			b, _ := json.Marshal(r)
			items = append(items, b)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c.Paged(items)
}

func getDefaultSecurityRule(c *arm.Context) (*arm.Response, error) {
	var out *armnetwork.SecurityRule
	err := c.Store().Read(func(tx *store.Tx) error {
		id, aerr := parse(c, tx)
		if aerr != nil {
			return aerr
		}
		var g armnetwork.SecurityGroup
		if tx.Decode(id.Parent().String(), &g) == nil {
			for _, r := range defaultSecurityRules(*g.ID, etagOf(g.Etag)) {
				if strings.EqualFold(*r.Name, id.Name()) {
					out = r
					return nil
				}
			}
		}
		return arm.NotFound("NotFound", "Resource %s not found.", id.String())
	})
	if err != nil {
		return nil, err
	}
	return arm.OK(out), nil
}

// touchRuleGroup changes the NSG's etag as one of its rules goes: rules
// carry their NSG's etag.
func touchRuleGroup(tx *store.Tx, rid string) *arm.Error {
	id, _ := arm.ParseID(rid)
	gid := id.Parent().String()
	var g armnetwork.SecurityGroup
	if tx.Decode(gid, &g) == nil {
		g.Etag = to.Ptr(arm.NewETag())
		if err := tx.Put(gid, TypeNSG, &g); err != nil {
			return arm.Internal(err)
		}
	}
	return nil
}
