package dataplane

import (
	"encoding/json"
	"net/netip"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/compute"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/network"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// Snapshot reads the world from the store, in the shapes a client of the
// ARM API would read it.
func Snapshot(tx *store.Tx) *World {
	w := NewWorld()
	for _, r := range tx.All(network.TypeVirtualNetwork) {
		if v := readVNet(tx, r); v != nil {
			w.VNets[store.Key(v.ID)] = v
		}
	}
	for _, r := range tx.All(network.TypeNIC) {
		if n := readNIC(tx, r); n != nil {
			w.NICs[store.Key(n.ID)] = n
		}
	}
	for _, r := range tx.All(compute.TypeVirtualMachine) {
		if vm := readVM(r); vm != nil {
			w.VMs[store.Key(vm.ID)] = vm
		}
	}
	for _, r := range tx.All(network.TypeNSG) {
		if g, ok := network.SecurityGroupView(tx, r.ID); ok {
			w.NSGs[store.Key(r.ID)] = readNSG(g)
		}
	}
	return w
}

func readVNet(tx *store.Tx, r *store.Resource) *VNet {
	var v armnetwork.VirtualNetwork
	if json.Unmarshal(r.Body, &v) != nil || v.Properties == nil {
		return nil
	}
	out := &VNet{ID: r.ID, Location: deref(v.Location)}
	if v.Properties.AddressSpace != nil {
		out.Space = prefixes(v.Properties.AddressSpace.AddressPrefixes)
	}
	for _, sr := range tx.Children(r.ID, network.TypeSubnet) {
		var s armnetwork.Subnet
		if json.Unmarshal(sr.Body, &s) != nil || s.Properties == nil {
			continue
		}
		sub := &Subnet{ID: sr.ID, Name: deref(s.Name)}
		list := s.Properties.AddressPrefixes
		if len(list) == 0 && s.Properties.AddressPrefix != nil {
			list = []*string{s.Properties.AddressPrefix}
		}
		sub.Prefixes = prefixes(list)
		if s.Properties.NetworkSecurityGroup != nil {
			sub.NSG = deref(s.Properties.NetworkSecurityGroup.ID)
		}
		out.Subnets = append(out.Subnets, sub)
	}
	for _, pr := range tx.Children(r.ID, network.TypePeering) {
		var p armnetwork.VirtualNetworkPeering
		if json.Unmarshal(pr.Body, &p) != nil || p.Properties == nil || p.Properties.RemoteVirtualNetwork == nil {
			continue
		}
		pp := p.Properties
		l := &Link{
			ID: pr.ID, Remote: deref(pp.RemoteVirtualNetwork.ID),
			Connected:   deref(pp.PeeringState) == armnetwork.VirtualNetworkPeeringStateConnected,
			AllowAccess: pp.AllowVirtualNetworkAccess == nil || *pp.AllowVirtualNetworkAccess,
			Whole:       pp.PeerCompleteVnets == nil || *pp.PeerCompleteVnets,
		}
		for _, n := range pp.LocalSubnetNames {
			l.LocalSubnets = append(l.LocalSubnets, deref(n))
		}
		if pp.RemoteAddressSpace != nil {
			l.RemoteSpace = prefixes(pp.RemoteAddressSpace.AddressPrefixes)
		}
		out.Links = append(out.Links, l)
	}
	return out
}

func readNIC(tx *store.Tx, r *store.Resource) *NIC {
	var n armnetwork.Interface
	if json.Unmarshal(r.Body, &n) != nil || n.Properties == nil {
		return nil
	}
	out := &NIC{ID: r.ID, MAC: deref(n.Properties.MacAddress)}
	if n.Properties.VirtualMachine != nil {
		out.VM = deref(n.Properties.VirtualMachine.ID)
	}
	if n.Properties.NetworkSecurityGroup != nil {
		out.NSG = deref(n.Properties.NetworkSecurityGroup.ID)
	}
	var ipc *armnetwork.InterfaceIPConfiguration
	for _, c := range n.Properties.IPConfigurations {
		if c != nil && c.Properties != nil && (ipc == nil || deref(c.Properties.Primary)) {
			ipc = c
		}
	}
	if ipc == nil || ipc.Properties.Subnet == nil {
		return nil
	}
	p := ipc.Properties
	out.Subnet = deref(p.Subnet.ID)
	if i := strings.LastIndex(strings.ToLower(out.Subnet), "/subnets/"); i > 0 {
		out.VNet = out.Subnet[:i]
	}
	out.IP, _ = netip.ParseAddr(deref(p.PrivateIPAddress))
	if p.PublicIPAddress != nil && p.PublicIPAddress.ID != nil {
		var pip armnetwork.PublicIPAddress
		if tx.Decode(*p.PublicIPAddress.ID, &pip) == nil && pip.Properties != nil {
			out.PublicIP, _ = netip.ParseAddr(deref(pip.Properties.IPAddress))
		}
	}
	for _, g := range p.ApplicationSecurityGroups {
		if g != nil && g.ID != nil {
			out.ASGs = append(out.ASGs, *g.ID)
		}
	}
	return out
}

func readVM(r *store.Resource) *VM {
	var vm armcompute.VirtualMachine
	if json.Unmarshal(r.Body, &vm) != nil || vm.Properties == nil {
		return nil
	}
	out := &VM{ID: r.ID, Name: deref(vm.Name), Location: deref(vm.Location), Power: compute.PowerState(&vm)}
	if op := vm.Properties.OSProfile; op != nil {
		out.ComputerName = deref(op.ComputerName)
	}
	if out.ComputerName == "" {
		out.ComputerName = out.Name
	}
	if np := vm.Properties.NetworkProfile; np != nil {
		refs := np.NetworkInterfaces
		for _, ref := range refs { // primary first
			if ref != nil && ref.ID != nil && (len(refs) == 1 || (ref.Properties != nil && deref(ref.Properties.Primary))) {
				out.NICs = append(out.NICs, *ref.ID)
			}
		}
		for _, ref := range refs {
			if ref != nil && ref.ID != nil && len(refs) > 1 && (ref.Properties == nil || !deref(ref.Properties.Primary)) {
				out.NICs = append(out.NICs, *ref.ID)
			}
		}
	}
	return out
}

func readNSG(g *armnetwork.SecurityGroup) *NSG {
	out := &NSG{ID: deref(g.ID)}
	if g.Properties == nil {
		return out
	}
	add := func(r *armnetwork.SecurityRule, def bool) {
		if r == nil || r.Properties == nil {
			return
		}
		p := r.Properties
		rule := &Rule{
			Name: deref(r.Name), Default: def, Priority: deref(p.Priority),
			Inbound:  deref(p.Direction) == armnetwork.SecurityRuleDirectionInbound,
			Allow:    deref(p.Access) == armnetwork.SecurityRuleAccessAllow,
			Protocol: string(deref(p.Protocol)),
			Src:      oneOrMany(p.SourceAddressPrefix, p.SourceAddressPrefixes), Dst: oneOrMany(p.DestinationAddressPrefix, p.DestinationAddressPrefixes),
			SrcPorts: oneOrMany(p.SourcePortRange, p.SourcePortRanges), DstPorts: oneOrMany(p.DestinationPortRange, p.DestinationPortRanges),
		}
		for _, a := range p.SourceApplicationSecurityGroups {
			if a != nil && a.ID != nil {
				rule.SrcASGs = append(rule.SrcASGs, *a.ID)
			}
		}
		for _, a := range p.DestinationApplicationSecurityGroups {
			if a != nil && a.ID != nil {
				rule.DstASGs = append(rule.DstASGs, *a.ID)
			}
		}
		out.Rules = append(out.Rules, rule)
	}
	for _, r := range g.Properties.SecurityRules {
		add(r, false)
	}
	for _, r := range g.Properties.DefaultSecurityRules {
		add(r, true)
	}
	return out
}

// oneOrMany is a rule's singular field, or its list when that is set.
func oneOrMany(one *string, many []*string) []string {
	var out []string
	for _, s := range many {
		if s != nil && *s != "" {
			out = append(out, *s)
		}
	}
	if len(out) == 0 && one != nil && *one != "" {
		out = []string{*one}
	}
	return out
}

func prefixes(list []*string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range list {
		if s == nil {
			continue
		}
		if p, err := netip.ParsePrefix(strings.TrimSpace(*s)); err == nil {
			out = append(out, p.Masked())
		}
	}
	return out
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
