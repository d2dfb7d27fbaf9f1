package dataplane

import (
	"net/netip"
	"testing"
)

// The tests of the pure data plane build worlds by hand with this builder:
// VNets, subnets, links, NSGs (with Azure's default rules) and running VMs.

const rgID = "/subscriptions/s/resourceGroups/rg/providers/"

type builder struct{ w *World }

func newBuilder() *builder { return &builder{w: NewWorld()} }

func (b *builder) vnet(name, location string, space ...string) *VNet {
	v := &VNet{ID: rgID + "Microsoft.Network/virtualNetworks/" + name, Location: location}
	for _, s := range space {
		v.Space = append(v.Space, netip.MustParsePrefix(s))
	}
	b.w.VNets[lower(v.ID)] = v
	return v
}

func (b *builder) subnet(v *VNet, name, prefix string) *Subnet {
	s := &Subnet{ID: v.ID + "/subnets/" + name, Name: name, Prefixes: []netip.Prefix{netip.MustParsePrefix(prefix)}}
	v.Subnets = append(v.Subnets, s)
	return s
}

// link adds a Connected whole-VNet link from v to remote that synced
// remote's current space.
func (b *builder) link(v, remote *VNet) *Link {
	l := &Link{ID: v.ID + "/virtualNetworkPeerings/" + lastSeg(v.ID) + "-to-" + lastSeg(remote.ID), Remote: remote.ID,
		Connected: true, AllowAccess: true, Whole: true, RemoteSpace: append([]netip.Prefix(nil), remote.Space...)}
	v.Links = append(v.Links, l)
	return l
}

// peer links two VNets both ways.
func (b *builder) peer(x, y *VNet) (*Link, *Link) { return b.link(x, y), b.link(y, x) }

// machine adds a running VM with one NIC at ip in subnet s of v.
func (b *builder) machine(name string, v *VNet, s *Subnet, ip string) (*VM, *NIC) {
	n := &NIC{ID: rgID + "Microsoft.Network/networkInterfaces/" + name + "-nic", VNet: v.ID, Subnet: s.ID, IP: netip.MustParseAddr(ip), MAC: "00-0D-3A-12-34-56"}
	vm := &VM{ID: rgID + "Microsoft.Compute/virtualMachines/" + name, Name: name, ComputerName: name, Location: v.Location, Power: "running", NICs: []string{n.ID}}
	n.VM = vm.ID
	b.w.NICs[lower(n.ID)] = n
	b.w.VMs[lower(vm.ID)] = vm
	return vm, n
}

// nsg adds an NSG with rules and Azure's six default rules.
func (b *builder) nsg(name string, rules ...*Rule) *NSG {
	g := &NSG{ID: rgID + "Microsoft.Network/networkSecurityGroups/" + name, Rules: append(rules, azureDefaults()...)}
	b.w.NSGs[lower(g.ID)] = g
	return g
}

func azureDefaults() []*Rule {
	all := []string{"*"}
	return []*Rule{
		{Name: "AllowVnetInBound", Default: true, Priority: 65000, Inbound: true, Allow: true, Protocol: "*", Src: []string{"VirtualNetwork"}, Dst: []string{"VirtualNetwork"}, SrcPorts: all, DstPorts: all},
		{Name: "AllowAzureLoadBalancerInBound", Default: true, Priority: 65001, Inbound: true, Allow: true, Protocol: "*", Src: []string{"AzureLoadBalancer"}, Dst: all, SrcPorts: all, DstPorts: all},
		{Name: "DenyAllInBound", Default: true, Priority: 65500, Inbound: true, Protocol: "*", Src: all, Dst: all, SrcPorts: all, DstPorts: all},
		{Name: "AllowVnetOutBound", Default: true, Priority: 65000, Allow: true, Protocol: "*", Src: []string{"VirtualNetwork"}, Dst: []string{"VirtualNetwork"}, SrcPorts: all, DstPorts: all},
		{Name: "AllowInternetOutBound", Default: true, Priority: 65001, Allow: true, Protocol: "*", Src: all, Dst: []string{"Internet"}, SrcPorts: all, DstPorts: all},
		{Name: "DenyAllOutBound", Default: true, Priority: 65500, Protocol: "*", Src: all, Dst: all, SrcPorts: all, DstPorts: all},
	}
}

// rule is a user rule on all addresses and ports.
func rule(name string, priority int32, inbound, allow bool, protocol string) *Rule {
	return &Rule{Name: name, Priority: priority, Inbound: inbound, Allow: allow, Protocol: protocol, Src: []string{"*"}, Dst: []string{"*"}, SrcPorts: []string{"*"}, DstPorts: []string{"*"}}
}

func lastSeg(id string) string {
	for i := len(id) - 1; i >= 0; i-- {
		if id[i] == '/' {
			return id[i+1:]
		}
	}
	return id
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

func TestWorldFindsNICsByAddressWithinOneVNet(t *testing.T) {
	b := newBuilder()
	a := b.vnet("a", "eastus", "10.0.0.0/16")
	c := b.vnet("c", "eastus", "10.0.0.0/16") // the same space, not peered
	_, na := b.machine("vma", a, b.subnet(a, "s", "10.0.1.0/24"), "10.0.1.4")
	_, nc := b.machine("vmc", c, b.subnet(c, "s", "10.0.1.0/24"), "10.0.1.4")
	if got := b.w.NICByIP(a.ID, na.IP); got != na {
		t.Errorf("NICByIP in a = %v, want vma's NIC", got)
	}
	if got := b.w.NICByIP(c.ID, nc.IP); got != nc {
		t.Errorf("NICByIP in c = %v, want vmc's NIC", got)
	}
	if b.w.VMByName(a.ID, "vmc") != nil {
		t.Error("vmc resolves from VNet a: Azure's internal DNS is per VNet")
	}
	if b.w.VMByName(a.ID, "VMA") == nil {
		t.Error("vma does not resolve from its own VNet (names are case-insensitive)")
	}
}

func TestWorldReverseLink(t *testing.T) {
	b := newBuilder()
	x, y := b.vnet("x", "eastus", "10.1.0.0/16"), b.vnet("y", "eastus", "10.2.0.0/16")
	xy := b.link(x, y)
	if b.w.ReverseLink(x.ID, xy) != nil {
		t.Error("a one-sided link has a reverse link")
	}
	yx := b.link(y, x)
	if b.w.ReverseLink(x.ID, xy) != yx {
		t.Error("ReverseLink does not find y's link back to x")
	}
}
