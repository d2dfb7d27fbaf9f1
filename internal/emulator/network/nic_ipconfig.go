package network

import (
	"encoding/json"
	"net/netip"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// ipcSlot is one IP configuration of a NIC PUT on its way to an address.
type ipcSlot struct {
	id, subnetID string
	prefixes     []netip.Prefix // the subnet's prefixes of the configuration's IP version
	in           *armnetwork.InterfaceIPConfigurationPropertiesFormat
	out          *armnetwork.InterfaceIPConfiguration
}

// planIPConfigurations validates the IP configurations of a NIC PUT and
// gives each its private address: Static ones the address asked for, if it
// lies in the subnet, outside Azure's reserved addresses (the first four
// and the last) and is free; Dynamic ones the address they had, or else the
// first free address of the subnet from .4 on.
func planIPConfigurations(c *arm.Context, tx *store.Tx, nid, nicName, location, etag string, old *armnetwork.Interface, in []*armnetwork.InterfaceIPConfiguration) ([]*armnetwork.InterfaceIPConfiguration, *arm.Error) {
	if len(in) == 0 {
		return nil, errNoIPConfigurations(nid)
	}
	names, primaries := map[string]bool{}, 0
	for _, cfg := range in {
		if cfg == nil || cfg.Name == nil || !arm.ValidNetworkName(*cfg.Name) || names[strings.ToLower(*cfg.Name)] {
			name := ""
			if cfg != nil && cfg.Name != nil {
				name = *cfg.Name
			}
			return nil, errIPConfigName(nid, name)
		}
		names[strings.ToLower(*cfg.Name)] = true
		if cfg.Properties != nil && deref(cfg.Properties.Primary) {
			primaries++
		}
	}
	switch {
	case len(in) > 1 && primaries == 0:
		return nil, errNoPrimary(nicName)
	case primaries > 1:
		return nil, errManyPrimaries(nicName)
	}

	var slots []*ipcSlot
	pipTaken := map[string]string{}
	for _, cfg := range in {
		s, aerr := planSlot(c, tx, nid, location, etag, cfg, len(in) == 1, pipTaken)
		if aerr != nil {
			return nil, aerr
		}
		slots = append(slots, s)
	}

	used := map[string]map[netip.Addr]string{} // subnet → address → IP configuration
	usedIn := func(sid string) map[netip.Addr]string {
		k := store.Key(sid)
		if used[k] == nil {
			used[k] = subnetAddresses(tx, sid, nid)
		}
		return used[k]
	}
	for _, s := range slots { // Static first, so that no Dynamic takes their address.
		if deref(s.out.Properties.PrivateIPAllocationMethod) != armnetwork.IPAllocationMethodStatic {
			continue
		}
		raw := deref(s.in.PrivateIPAddress)
		a, err := netip.ParseAddr(raw)
		if err != nil {
			return nil, errInvalidPrivateIP(s.id, raw)
		}
		p, ok := containing(s.prefixes, a)
		switch {
		case !ok:
			return nil, errNotInSubnet(raw, s.prefixes[0].String())
		case reserved(p, a):
			return nil, errReservedAddress(raw, p.String())
		}
		if owner, taken := usedIn(s.subnetID)[a]; taken {
			return nil, errAddressAllocated(s.id, raw, owner)
		}
		usedIn(s.subnetID)[a] = s.id
		s.out.Properties.PrivateIPAddress = to.Ptr(a.String())
	}
	for _, s := range slots {
		if s.out.Properties.PrivateIPAddress != nil {
			continue
		}
		taken := usedIn(s.subnetID)
		a, ok := previousAddress(old, *s.out.Name, s.subnetID)
		if p, inside := containing(s.prefixes, a); !ok || !inside || reserved(p, a) || taken[a] != "" {
			if a, ok = firstFree(s.prefixes, taken); !ok {
				return nil, errSubnetFull(s.subnetID, s.prefixes[0].String())
			}
		}
		taken[a] = s.id
		s.out.Properties.PrivateIPAddress = to.Ptr(a.String())
	}
	out := make([]*armnetwork.InterfaceIPConfiguration, 0, len(slots))
	for _, s := range slots {
		out = append(out, s.out)
	}
	return out, nil
}

// planSlot checks one IP configuration's references and settles its
// version, allocation method and primary flag.
func planSlot(c *arm.Context, tx *store.Tx, nid, location, etag string, cfg *armnetwork.InterfaceIPConfiguration, only bool, pipTaken map[string]string) (*ipcSlot, *arm.Error) {
	ipcID := nid + "/ipConfigurations/" + *cfg.Name
	p := cfg.Properties
	if p == nil {
		p = &armnetwork.InterfaceIPConfigurationPropertiesFormat{}
	}
	if p.Subnet == nil || p.Subnet.ID == nil || *p.Subnet.ID == "" {
		return nil, errSubnetRequired(ipcID)
	}
	sid, aerr := checkReference(c, tx, *p.Subnet.ID, nid, location)
	if aerr != nil {
		return nil, aerr
	}
	var subnet armnetwork.Subnet
	_ = tx.Decode(sid, &subnet)
	version := ipVersions[strings.ToLower(string(deref(p.PrivateIPAddressVersion)))]
	if version == "" {
		version = armnetwork.IPVersionIPv4
	}
	var prefixes []netip.Prefix
	for _, pr := range prefixesOf(derefs(subnetPrefixes(&subnet))) {
		if pr.Addr().Is6() == (version == armnetwork.IPVersionIPv6) {
			prefixes = append(prefixes, pr)
		}
	}
	if len(prefixes) == 0 {
		return nil, errNoPrefixForVersion(ipcID, string(version), sid)
	}
	alloc := allocationKind[strings.ToLower(string(deref(p.PrivateIPAllocationMethod)))]
	if alloc == "" {
		alloc = armnetwork.IPAllocationMethodDynamic
	}
	var pip *armnetwork.PublicIPAddress
	if p.PublicIPAddress != nil && p.PublicIPAddress.ID != nil && *p.PublicIPAddress.ID != "" {
		pid, aerr := checkReference(c, tx, *p.PublicIPAddress.ID, nid, location)
		if aerr != nil {
			return nil, aerr
		}
		if owner, ok := pipTaken[store.Key(pid)]; ok {
			return nil, errPublicIPAllocated(ipcID, pid, owner)
		}
		for _, u := range pipUsers(tx, pid) {
			if !strings.HasPrefix(store.Key(u), store.Key(nid)+"/") {
				return nil, errPublicIPAllocated(ipcID, pid, u)
			}
		}
		pipTaken[store.Key(pid)] = ipcID
		pip = &armnetwork.PublicIPAddress{ID: to.Ptr(pid)}
	}
	out := &armnetwork.InterfaceIPConfiguration{
		ID: to.Ptr(ipcID), Name: cfg.Name, Type: to.Ptr(TypeIPConfiguration), Etag: to.Ptr(etag),
		Properties: &armnetwork.InterfaceIPConfigurationPropertiesFormat{
			Primary: to.Ptr(only || deref(p.Primary)), PrivateIPAddressVersion: to.Ptr(version), PrivateIPAllocationMethod: to.Ptr(alloc),
			Subnet: &armnetwork.Subnet{ID: to.Ptr(sid)}, PublicIPAddress: pip,
			ApplicationSecurityGroups: p.ApplicationSecurityGroups, ApplicationGatewayBackendAddressPools: p.ApplicationGatewayBackendAddressPools,
			LoadBalancerBackendAddressPools: p.LoadBalancerBackendAddressPools, LoadBalancerInboundNatRules: p.LoadBalancerInboundNatRules,
			GatewayLoadBalancer: p.GatewayLoadBalancer, VirtualNetworkTaps: p.VirtualNetworkTaps,
			ProvisioningState: to.Ptr(armnetwork.ProvisioningStateSucceeded),
		},
	}
	return &ipcSlot{id: ipcID, subnetID: sid, prefixes: prefixes, in: p, out: out}, nil
}

// subnetAddresses maps the private addresses in use in a subnet to their IP
// configurations, leaving out those of the NIC except.
func subnetAddresses(tx *store.Tx, subnetID, except string) map[netip.Addr]string {
	out := map[netip.Addr]string{}
	for _, r := range tx.Under(subscriptionOf(subnetID), TypeNIC) {
		var n armnetwork.Interface
		if arm.SameID(r.ID, except) || json.Unmarshal(r.Body, &n) != nil || n.Properties == nil {
			continue
		}
		for _, ipc := range n.Properties.IPConfigurations {
			if ipc == nil || ipc.Properties == nil || ipc.Properties.Subnet == nil || ipc.Properties.Subnet.ID == nil ||
				!arm.SameID(*ipc.Properties.Subnet.ID, subnetID) {
				continue
			}
			if a, err := netip.ParseAddr(deref(ipc.Properties.PrivateIPAddress)); err == nil {
				out[a] = *ipc.ID
			}
		}
	}
	return out
}

// previousAddress is the address the NIC's configuration of this name had
// in this subnet before the PUT.
func previousAddress(old *armnetwork.Interface, name, subnetID string) (netip.Addr, bool) {
	if old == nil || old.Properties == nil {
		return netip.Addr{}, false
	}
	for _, ipc := range old.Properties.IPConfigurations {
		if ipc == nil || ipc.Name == nil || !strings.EqualFold(*ipc.Name, name) || ipc.Properties == nil ||
			ipc.Properties.Subnet == nil || ipc.Properties.Subnet.ID == nil || !arm.SameID(*ipc.Properties.Subnet.ID, subnetID) {
			continue
		}
		a, err := netip.ParseAddr(deref(ipc.Properties.PrivateIPAddress))
		return a, err == nil
	}
	return netip.Addr{}, false
}

func containing(prefixes []netip.Prefix, a netip.Addr) (netip.Prefix, bool) {
	for _, p := range prefixes {
		if a.IsValid() && p.Contains(a) {
			return p, true
		}
	}
	return netip.Prefix{}, false
}

// reserved reports whether a is one of the five addresses of p Azure keeps:
// the network address, .1 (gateway), .2 and .3 (DNS), and the last.
func reserved(p netip.Prefix, a netip.Addr) bool {
	return a.Less(firstUsable(p)) || a == lastAddr(p)
}

func firstUsable(p netip.Prefix) netip.Addr {
	a := p.Masked().Addr()
	for range 4 {
		a = a.Next()
	}
	return a
}

func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// firstFree is the lowest address of the prefixes that is neither reserved
// nor taken.
func firstFree(prefixes []netip.Prefix, taken map[netip.Addr]string) (netip.Addr, bool) {
	for _, p := range prefixes {
		last := lastAddr(p)
		for a := firstUsable(p); p.Contains(a) && a.Less(last); a = a.Next() {
			if taken[a] == "" {
				return a, true
			}
		}
	}
	return netip.Addr{}, false
}
