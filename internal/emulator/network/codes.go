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

// --- Public IP addresses ---

func errStandardMustBeStatic(pipID string) *arm.Error {
	return arm.BadRequest("StandardSkuPublicIPAddressesMustBeStatic", "Standard sku publicIp %s must have AllocationMethod set to Static.", pipID)
}

func errPublicIPInUse(pipID, user string) *arm.Error {
	return arm.BadRequest("PublicIPAddressCannotBeDeleted", "Public IP address %s can not be deleted since it is still allocated to resource %s. In order to delete the public IP, disassociate/detach the Public IP address from the resource.  To learn how to do this, see aka.ms/deletepublicip.", pipID, user)
}

// --- Network interfaces ---

// errMissingReference is the network provider's answer for a reference to
// a resource that does not exist.
func errMissingReference(ref, by string) *arm.Error {
	return arm.BadRequest("InvalidResourceReference", "Resource %s referenced by resource %s was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.", ref, by)
}

// errNoIPConfigurations (unconfirmed code and message).
func errNoIPConfigurations(nicID string) *arm.Error {
	return arm.BadRequest("NetworkInterfaceMustHaveAtLeastOneIpConfiguration", "Network interface %s must have at least one IP configuration.", nicID)
}

func errNoPrimary(nicName string) *arm.Error {
	return arm.BadRequest("NetworkInterfaceMustHaveOneOneIPConfigAsPrimary", "Network Interface %s specifies multiple IPConfigurations but none of the IPConfigurations is specified as Primary.", nicName)
}

// errManyPrimaries: same code as errNoPrimary, message (unconfirmed).
func errManyPrimaries(nicName string) *arm.Error {
	return arm.BadRequest("NetworkInterfaceMustHaveOneOneIPConfigAsPrimary", "Network Interface %s specifies more than one of its IPConfigurations as Primary.", nicName)
}

// errIPConfigName: an IP configuration without a name or with the name of
// another (unconfirmed code and message).
func errIPConfigName(nicID, name string) *arm.Error {
	return arm.BadRequest("InvalidRequestFormat", "Network interface %s has an IP configuration with a missing or duplicate name '%s'.", nicID, name)
}

func errSubnetRequired(ipcID string) *arm.Error {
	return arm.BadRequest("SubnetIsRequired", "Subnet reference is required for ipconfiguration %s.", ipcID)
}

func errNotInSubnet(ip, prefix string) *arm.Error {
	return arm.BadRequest("PrivateIPAddressNotInSubnet", "Private static IP address %s does not belong to the range of subnet prefix %s.", ip, prefix)
}

func errReservedAddress(ip, prefix string) *arm.Error {
	return arm.BadRequest("PrivateIPAddressInReservedRange", "Private static IP address %s falls within reserved IP range of subnet prefix %s.", ip, prefix)
}

func errAddressAllocated(ipcID, ip, owner string) *arm.Error {
	return arm.BadRequest("PrivateIPAddressIsAllocated", "IP configuration %s is using the private IP address %s which is already allocated to resource %s.", ipcID, ip, owner)
}

// errInvalidPrivateIP: a private address that does not parse, or a Static
// configuration without one (unconfirmed code and message).
func errInvalidPrivateIP(ipcID, ip string) *arm.Error {
	return arm.BadRequest("InvalidPrivateIPAddress", "IP configuration %s has private IP address '%s', which is not a valid IP address; a Static configuration needs one.", ipcID, ip)
}

// errNoPrefixForVersion: an IPv6 configuration in a subnet without an IPv6
// prefix, or the reverse (unconfirmed code and message).
func errNoPrefixForVersion(ipcID, version, subnetID string) *arm.Error {
	return arm.BadRequest("SubnetHasNoAddressPrefixForIPVersion", "IP configuration %s asks for an %s address, but subnet %s has no %s address prefix.", ipcID, version, subnetID, version)
}

// errSubnetFull (unconfirmed message).
func errSubnetFull(subnetID, prefix string) *arm.Error {
	return arm.BadRequest("SubnetIsFull", "Subnet %s with address prefix %s does not have enough capacity for 1 IP addresses.", subnetID, prefix)
}

func errPublicIPAllocated(ipcID, pipID, owner string) *arm.Error {
	return arm.BadRequest("PublicIPAddressInUse", "Resource %s is referencing public IP address %s that is already allocated to resource %s.", ipcID, pipID, owner)
}

func errNicInUse(nicID, vmID string) *arm.Error {
	return arm.BadRequest("NicInUse", "Network Interface %s is used by existing resource %s. In order to delete the network interface, it must be dissociated from the resource. To learn more, see aka.ms/deletenic.", nicID, vmID)
}

// --- Virtual network gateways and gateway transit ---
//
// Of these only RemoteVnetHasNoGateways is confirmed with its code; the
// wording of errRemoteNoTransit and errSecondRemoteGateways is Azure's as
// users quote it, their codes are guesses; the rest are (unconfirmed code
// and message).

func errGatewayNoIPConfigurations(gid string) *arm.Error {
	return arm.BadRequest("VirtualNetworkGatewayMustHaveAtLeastOneIpConfiguration", "Virtual network gateway %s must have at least one IP configuration.", gid)
}

func errGatewayNoSubnet(gid string, i int) *arm.Error {
	return arm.BadRequest("SubnetIsRequired", "Subnet reference is required for IP configuration %d of virtual network gateway %s.", i, gid)
}

func errNotGatewaySubnet(gid, sid string) *arm.Error {
	return arm.BadRequest("GatewaySubnetRequired", "Virtual network gateway %s must be placed in the subnet named GatewaySubnet; subnet %s is not.", gid, sid)
}

func errGatewayInTwoVNets(gid, one, two string) *arm.Error {
	return arm.BadRequest("VirtualNetworkGatewayIpConfigurationsInDifferentVnets", "The IP configurations of virtual network gateway %s reference subnets of two virtual networks, %s and %s.", gid, one, two)
}

func errGatewayMoved(gid, was, now string) *arm.Error {
	return arm.BadRequest("VirtualNetworkGatewayCannotChangeVnet", "Virtual network gateway %s is in virtual network %s and cannot be moved to %s. Delete the gateway and create it again.", gid, was, now)
}

func errSecondGateway(gid, vid, other string) *arm.Error {
	return arm.BadRequest("VirtualNetworkAlreadyHasGatewayOfThisType", "Virtual network %s already has a virtual network gateway of this type, %s; gateway %s cannot be added.", vid, other, gid)
}

func errGatewayWithRemoteGateways(gid, vid, pid string) *arm.Error {
	return arm.BadRequest("VirtualNetworkUsesRemoteGateways", "Virtual network gateway %s cannot be created in virtual network %s because its peering %s has UseRemoteGateways flag set to true.", gid, vid, pid)
}

func errRemoteNoGateways(pid, remoteID string) *arm.Error {
	return arm.BadRequest("RemoteVnetHasNoGateways", "Peering %s cannot have UseRemoteGateway flag set to true because remote virtual network %s referenced by the peering does not have any gateways.", pid, remoteID)
}

func errBothTransitFlags(pid string) *arm.Error {
	return arm.BadRequest("PeeringCannotHaveBothUseRemoteGatewaysAndAllowGatewayTransit", "Peering %s cannot set both useRemoteGateways and allowGatewayTransit.", pid)
}

func errLocalGatewayExists(pid, vid string) *arm.Error {
	return arm.BadRequest("PeeringCannotUseRemoteGatewaysWithLocalGateway", "Peering %s cannot have UseRemoteGateways flag set to true because its virtual network %s has a gateway of its own.", pid, vid)
}

// errRemoteNoTransit: also when the remote peering does not exist yet, as
// the link that allows gateway transit must come first.
func errRemoteNoTransit(pid string) *arm.Error {
	return arm.BadRequest("RemotePeeringDoesNotAllowGatewayTransit", "Peering %s cannot have UseRemoteGateways flag set to true, because corresponding remote peering has AllowGatewayTransit flag set to false.", pid)
}

func errSecondRemoteGateways(pid, other string) *arm.Error {
	return arm.BadRequest("AnotherPeeringUsesRemoteGateways", "Peering %s cannot have UseRemoteGateways flag set to true, because another peering %s already has UseRemoteGateways flag set to true.", pid, other)
}
