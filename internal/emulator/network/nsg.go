package network

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
	"github.com/google/uuid"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

const nsgPath = netPath + "/networkSecurityGroups/{networkSecurityGroupName}"

func registerSecurityGroups(s *arm.Server) {
	r := s.Router
	const read, write = "Microsoft.Network/networkSecurityGroups/read", "Microsoft.Network/networkSecurityGroups/write"
	r.Handle(http.MethodGet, netPath+"/networkSecurityGroups", read, listTop(TypeNSG, nsgView))
	r.Handle(http.MethodGet, "/subscriptions/{subscriptionId}/providers/Microsoft.Network/networkSecurityGroups", read, listTop(TypeNSG, nsgView))
	r.Handle(http.MethodGet, nsgPath, read, getTop(TypeNSG, nsgView))
	r.Handle(http.MethodPut, nsgPath, write, putSecurityGroup)
	r.Handle(http.MethodPatch, nsgPath, write, patchTags(TypeNSG, nsgView))
	r.Handle(http.MethodDelete, nsgPath, "Microsoft.Network/networkSecurityGroups/delete", deleteHandler("DeleteNetworkSecurityGroupOperation", false, nsgInUse))
	registerSecurityRules(s)
}

// Azure's six default rules, the same in every NSG.
var defaultRules = []struct {
	name, description, source, destination string
	access                                 armnetwork.SecurityRuleAccess
	direction                              armnetwork.SecurityRuleDirection
	priority                               int32
}{
	{"AllowVnetInBound", "Allow inbound traffic from all VMs in VNET", "VirtualNetwork", "VirtualNetwork", armnetwork.SecurityRuleAccessAllow, armnetwork.SecurityRuleDirectionInbound, 65000},
	{"AllowAzureLoadBalancerInBound", "Allow inbound traffic from azure load balancer", "AzureLoadBalancer", "*", armnetwork.SecurityRuleAccessAllow, armnetwork.SecurityRuleDirectionInbound, 65001},
	{"DenyAllInBound", "Deny all inbound traffic", "*", "*", armnetwork.SecurityRuleAccessDeny, armnetwork.SecurityRuleDirectionInbound, 65500},
	{"AllowVnetOutBound", "Allow outbound traffic from all VMs to all VMs in VNET", "VirtualNetwork", "VirtualNetwork", armnetwork.SecurityRuleAccessAllow, armnetwork.SecurityRuleDirectionOutbound, 65000},
	{"AllowInternetOutBound", "Allow outbound traffic from all VMs to Internet", "*", "Internet", armnetwork.SecurityRuleAccessAllow, armnetwork.SecurityRuleDirectionOutbound, 65001},
	{"DenyAllOutBound", "Deny all outbound traffic", "*", "*", armnetwork.SecurityRuleAccessDeny, armnetwork.SecurityRuleDirectionOutbound, 65500},
}

// TypeDefaultSecurityRule is the type Azure gives the default rules.
const TypeDefaultSecurityRule = "Microsoft.Network/networkSecurityGroups/defaultSecurityRules"

// defaultSecurityRules returns the default rules of the NSG nsgID as GET
// shows them; etag is the NSG's.
func defaultSecurityRules(nsgID, etag string) []*armnetwork.SecurityRule {
	out := make([]*armnetwork.SecurityRule, 0, len(defaultRules))
	for _, d := range defaultRules {
		out = append(out, &armnetwork.SecurityRule{
			ID: to.Ptr(nsgID + "/defaultSecurityRules/" + d.name), Name: to.Ptr(d.name), Type: to.Ptr(TypeDefaultSecurityRule), Etag: to.Ptr(etag),
			Properties: &armnetwork.SecurityRulePropertiesFormat{
				Description: to.Ptr(d.description), Protocol: to.Ptr(armnetwork.SecurityRuleProtocolAsterisk),
				SourcePortRange: to.Ptr("*"), DestinationPortRange: to.Ptr("*"),
				SourceAddressPrefix: to.Ptr(d.source), DestinationAddressPrefix: to.Ptr(d.destination),
				SourcePortRanges: []*string{}, DestinationPortRanges: []*string{},
				SourceAddressPrefixes: []*string{}, DestinationAddressPrefixes: []*string{},
				Access: to.Ptr(d.access), Priority: to.Ptr(d.priority), Direction: to.Ptr(d.direction),
				ProvisioningState: to.Ptr(armnetwork.ProvisioningStateSucceeded),
			},
		})
	}
	return out
}

// nsgView is an NSG as GET shows it: its rules, the default rules, and the
// subnets and network interfaces that use it (IDs only).
func nsgView(tx *store.Tx, id string) (*armnetwork.SecurityGroup, bool) {
	var g armnetwork.SecurityGroup
	if tx.Decode(id, &g) != nil {
		return nil, false
	}
	if g.Properties == nil {
		g.Properties = &armnetwork.SecurityGroupPropertiesFormat{}
	}
	p := g.Properties
	p.SecurityRules = []*armnetwork.SecurityRule{}
	for _, r := range tx.Children(*g.ID, TypeSecurityRule) {
		if rule, ok := ruleView(r, etagOf(g.Etag)); ok {
			p.SecurityRules = append(p.SecurityRules, rule)
		}
	}
	p.DefaultSecurityRules = defaultSecurityRules(*g.ID, etagOf(g.Etag))
	p.Subnets, p.NetworkInterfaces = nil, nil
	for _, s := range nsgSubnets(tx, *g.ID) {
		p.Subnets = append(p.Subnets, &armnetwork.Subnet{ID: to.Ptr(s)})
	}
	for _, n := range nsgInterfaces(tx, *g.ID) {
		p.NetworkInterfaces = append(p.NetworkInterfaces, &armnetwork.Interface{ID: to.Ptr(n)})
	}
	return &g, true
}

// nsgSubnets lists the subnets associated with an NSG.
func nsgSubnets(tx *store.Tx, nsgID string) []string {
	var out []string
	for _, r := range tx.Under(subscriptionOf(nsgID), TypeSubnet) {
		var s armnetwork.Subnet
		if json.Unmarshal(r.Body, &s) == nil && s.Properties != nil && s.Properties.NetworkSecurityGroup != nil &&
			s.Properties.NetworkSecurityGroup.ID != nil && arm.SameID(*s.Properties.NetworkSecurityGroup.ID, nsgID) {
			out = append(out, r.ID)
		}
	}
	return out
}

// nsgInterfaces lists the network interfaces associated with an NSG.
func nsgInterfaces(tx *store.Tx, nsgID string) []string {
	var out []string
	for _, r := range tx.Under(subscriptionOf(nsgID), TypeNIC) {
		var n armnetwork.Interface
		if json.Unmarshal(r.Body, &n) == nil && n.Properties != nil && n.Properties.NetworkSecurityGroup != nil &&
			n.Properties.NetworkSecurityGroup.ID != nil && arm.SameID(*n.Properties.NetworkSecurityGroup.ID, nsgID) {
			out = append(out, r.ID)
		}
	}
	return out
}

// subscriptionOf is the /subscriptions/{id} prefix of a resource ID.
func subscriptionOf(id string) string {
	parsed, err := arm.ParseID(id)
	if err != nil {
		return "/subscriptions/-"
	}
	return "/subscriptions/" + parsed.Subscription
}

// putSecurityGroup creates or updates an NSG. The securityRules of the
// request are the whole set, as the subnets of a VNet PUT are: listed rules
// are created or replaced, unlisted ones deleted.
func putSecurityGroup(c *arm.Context) (*arm.Response, error) {
	var in armnetwork.SecurityGroup
	name, err := decodeTop(c, &in, TypeNSG, "networkSecurityGroupName", "1-80 characters", func() *string { return in.Location })
	if err != nil {
		return nil, err
	}
	if in.Properties == nil {
		in.Properties = &armnetwork.SecurityGroupPropertiesFormat{}
	}
	var out *armnetwork.SecurityGroup
	var op *arm.Operation
	created := false
	err = c.Store().Write(func(tx *store.Tx) error {
		id, aerr := parse(c, tx)
		if aerr != nil {
			return aerr
		}
		gid := id.String()
		var old armnetwork.SecurityGroup
		exists, aerr := priorOf(c, tx, id, *in.Location, &old)
		if aerr != nil {
			return aerr
		}
		rules, aerr := checkRuleSet(gid, in.Properties.SecurityRules)
		if aerr != nil {
			return aerr
		}
		created = !exists
		kind := "PutNetworkSecurityGroupOperation"
		state := startState(c, kind)
		// Valid: apply.
		keep := map[string]bool{}
		for _, r := range rules {
			keep[strings.ToLower(*r.Name)] = true
		}
		for _, r := range tx.Children(gid, TypeSecurityRule) {
			if !keep[strings.ToLower(r.ID[strings.LastIndex(r.ID, "/")+1:])] {
				tx.Delete(r.ID)
			}
		}
		var ruleIDs []string
		for _, r := range rules {
			rid := gid + "/securityRules/" + *r.Name
			if err := tx.Put(rid, TypeSecurityRule, newSecurityRule(rid, *r.Name, r.Properties, state)); err != nil {
				return err
			}
			ruleIDs = append(ruleIDs, rid)
		}
		g := armnetwork.SecurityGroup{
			ID: to.Ptr(gid), Name: to.Ptr(name), Type: to.Ptr(TypeNSG), Location: to.Ptr(arm.NormalizeLocation(*in.Location)),
			Tags: in.Tags, Etag: to.Ptr(arm.NewETag()),
			Properties: &armnetwork.SecurityGroupPropertiesFormat{
				FlushConnection:   orDefault(in.Properties.FlushConnection, false),
				ProvisioningState: to.Ptr(armnetwork.ProvisioningState(state)),
				ResourceGUID:      to.Ptr(uuid.NewString()),
			},
		}
		if exists && old.Properties != nil && old.Properties.ResourceGUID != nil {
			g.Properties.ResourceGUID = old.Properties.ResourceGUID
		}
		if err := tx.Put(gid, TypeNSG, &g); err != nil {
			return err
		}
		op = beginPut(c, tx, kind, gid, *g.Location, nil, func(tx *store.Tx) {
			for _, rid := range ruleIDs {
				setState(tx, rid, stateSucceeded)
			}
		})
		out, _ = nsgView(tx, gid)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return putAnswer(c, created, out, op), nil
}

// nsgInUse refuses to delete an NSG while a subnet or NIC uses it, as
// Azure does; its rules go with it.
func nsgInUse(tx *store.Tx, gid string) *arm.Error {
	if users := append(nsgSubnets(tx, gid), nsgInterfaces(tx, gid)...); len(users) > 0 {
		return errNSGInUse(gid, strings.Join(users, ", "))
	}
	return nil
}
