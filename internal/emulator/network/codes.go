package network

import "github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"

// The errors of network security groups, public IPs and network interfaces,
// in one place. Codes and messages come from answers of Azure quoted in
// public issue trackers and lab notes; the ones marked (unconfirmed) were
// not found anywhere and are the most likely guess: change them here.

// --- Network security groups and security rules ---

// errRulePriority: the message is as third-party Azure simulators quote it
// (unconfirmed wording).
func errRulePriority(v string) *arm.Error {
	return arm.BadRequest("SecurityRuleInvalidPriority", "Security rule has invalid Priority. Value provided: %s Allowed range 100-4096.", v)
}

// errRuleConflict names the rule already there first, as Azure does.
func errRuleConflict(existing, added string) *arm.Error {
	return arm.BadRequest("SecurityRuleConflict", "Security rule %s conflicts with rule %s. Rules cannot have the same Priority and Direction. To learn more, see aka.ms/nsgrules.", existing, added)
}

func errRuleProtocol(v string) *arm.Error {
	return arm.BadRequest("SecurityRuleInvalidProtocol", "Security rule has invalid Protocol. Value provided: %s Allowed values: Icmp,Tcp,Udp,Esp,Ah,*.", v)
}

// errRuleAccess: code seen in Azure answers, message (unconfirmed).
func errRuleAccess(v string) *arm.Error {
	return arm.BadRequest("SecurityRuleInvalidAccessType", "Security rule has invalid Access type. Value provided: %s Allowed values: Allow,Deny.", v)
}

// errRuleDirection (unconfirmed code and message).
func errRuleDirection(v string) *arm.Error {
	return arm.BadRequest("SecurityRuleInvalidDirection", "Security rule has invalid Direction. Value provided: %s Allowed values: Inbound,Outbound.", v)
}

func errRulePortRange(v string) *arm.Error {
	return arm.BadRequest("SecurityRuleInvalidPortRange", "Security rule has invalid Port range. Value provided: %s. Value should be an integer OR integer range with '-' delimiter. Valid range 0-65535.", v)
}

// errRulePortRangesWildcard: "*" in a port list; code seen in Azure
// answers, message (unconfirmed).
func errRulePortRangesWildcard(ruleID, param, v string) *arm.Error {
	return arm.BadRequest("SecurityRuleParameterContainsInvalidPortRanges", "Security rule parameter %s for rule with Id %s contains invalid port range %s. Use %s for '*'.", param, ruleID, v, param[:len(param)-1])
}

func errRuleAddressPrefix(v string) *arm.Error {
	return arm.BadRequest("SecurityRuleInvalidAddressPrefix", "Security rule has invalid Address prefix. Value provided: %s.", v)
}

// errRuleTagInList: a service tag or "*" in an address-prefix list. Azure
// names the singular parameter even for the list.
func errRuleTagInList(param, ruleID, v string) *arm.Error {
	return arm.BadRequest("SecurityRuleParameterContainsUnsupportedValue", "Security rule parameter %s for rule with Id %s cannot specify existing VIRTUALNETWORK, INTERNET, AZURELOADBALANCER, '*' or system tags. Unsupported value used: %s.", param, ruleID, v)
}

// errRuleBothForms: a single value and a list for one parameter
// (unconfirmed code and message).
func errRuleBothForms(ruleID, param string) *arm.Error {
	return arm.BadRequest("SecurityRuleParameterContainsUnsupportedValue", "Security rule parameters %s and %ss for rule with Id %s cannot both be specified. Specify only one of them.", param, param, ruleID)
}

// errRuleParameterMissing: code seen in Azure answers, message
// (unconfirmed).
func errRuleParameterMissing(ruleID, param string) *arm.Error {
	return arm.BadRequest("SecurityRuleParameterMissing", "Security rule parameter %s for rule with Id %s is missing. Specify %s or %ss.", param, ruleID, param, param)
}

// errDuplicateRuleName (unconfirmed code and message).
func errDuplicateRuleName(nsgID, name string) *arm.Error {
	return arm.BadRequest("DuplicateResourceName", "Resource %s has two child resources with the same name (%s).", nsgID, name)
}

// errNSGInUse: the list of users is joined with ", " (unconfirmed).
func errNSGInUse(nsgID, users string) *arm.Error {
	return arm.BadRequest("InUseNetworkSecurityGroupCannotBeDeleted",
		"Network security group %s cannot be deleted because it is in use by the following resources: %s. In order to delete the Network security group, remove the association with the resource(s). To learn how to do this, see aka.ms/deletensg.", nsgID, users)
}
