// Package dataplane simulates what Azure's network does with packets, from
// the emulator's resources: each NIC's effective routes and effective
// security rules, NSG evaluation, reachability between VMs (and to their
// public IPs), and a Run Command shell that behaves like Ubuntu 22.04 for
// the commands lab scripts use (ping, curl, nc, ip, hostname, …).
//
// The state is read once into a World, a plain value; routes, rule
// evaluation, reachability and the shell are pure functions of it.
package dataplane

import (
	"net/netip"
	"sort"
	"strings"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// World is the part of the emulator's state the data plane uses. Maps are
// keyed by store.Key of the resource ID.
type World struct {
	VNets map[string]*VNet
	NICs  map[string]*NIC
	VMs   map[string]*VM
	NSGs  map[string]*NSG
}

// VNet is a virtual network with its subnets and peering links.
type VNet struct {
	ID, Location string
	Space        []netip.Prefix
	Subnets      []*Subnet
	Links        []*Link
}

// Subnet is a subnet and the NSG associated with it ("" for none).
type Subnet struct {
	ID, Name string
	Prefixes []netip.Prefix
	NSG      string
}

// Link is one peering link of a VNet, as the network resource provider
// stored it.
type Link struct {
	ID, Remote  string
	Connected   bool // peeringState Connected
	AllowAccess bool // allowVirtualNetworkAccess
	Whole       bool // peerCompleteVnets
	// LocalSubnets are the local subnets of a subnet peering.
	LocalSubnets []string
	// RemoteSpace is the remote address space the link last synced: the
	// whole space, or the prefixes of the peered remote subnets.
	RemoteSpace []netip.Prefix
}

// NIC is a network interface, by its primary IP configuration.
type NIC struct {
	ID, VM, VNet, Subnet, NSG string
	IP                        netip.Addr
	PublicIP                  netip.Addr // invalid when none
	ASGs                      []string
	MAC                       string
}

// VM is a virtual machine: its names, region, power state and NICs
// (primary first).
type VM struct {
	ID, Name, ComputerName, Location string
	Power                            string
	NICs                             []string
}

// Running reports whether the VM is running.
func (v *VM) Running() bool { return v.Power == "running" }

// NSG is a network security group's rules: its own and Azure's defaults.
type NSG struct {
	ID    string
	Rules []*Rule
}

// Rule is one security rule. Address lists hold CIDRs, single addresses,
// service tags or "*"; port lists hold "*", "n" or "n-m".
type Rule struct {
	Name               string
	Default            bool
	Priority           int32
	Inbound, Allow     bool
	Protocol           string // Tcp, Udp, Icmp, Esp, Ah or *
	Src, Dst           []string
	SrcPorts, DstPorts []string
	SrcASGs, DstASGs   []string
}

// NewWorld returns an empty world.
func NewWorld() *World {
	return &World{VNets: map[string]*VNet{}, NICs: map[string]*NIC{}, VMs: map[string]*VM{}, NSGs: map[string]*NSG{}}
}

// VNet returns the virtual network with this ID.
func (w *World) VNet(id string) *VNet { return w.VNets[store.Key(id)] }

// NIC returns the network interface with this ID.
func (w *World) NIC(id string) *NIC { return w.NICs[store.Key(id)] }

// VM returns the virtual machine with this ID.
func (w *World) VM(id string) *VM { return w.VMs[store.Key(id)] }

// NSG returns the security group with this ID.
func (w *World) NSG(id string) *NSG { return w.NSGs[store.Key(id)] }

// Subnet returns the subnet with this ID.
func (w *World) Subnet(id string) *Subnet {
	i := strings.LastIndex(strings.ToLower(id), "/subnets/")
	if i < 0 {
		return nil
	}
	v := w.VNet(id[:i])
	if v == nil {
		return nil
	}
	for _, s := range v.Subnets {
		if store.Key(s.ID) == store.Key(id) {
			return s
		}
	}
	return nil
}

// PrimaryNIC is a VM's primary network interface, or nil.
func (w *World) PrimaryNIC(vm *VM) *NIC {
	if len(vm.NICs) == 0 {
		return nil
	}
	return w.NIC(vm.NICs[0])
}

// NICByIP finds the NIC with this private address in a VNet.
func (w *World) NICByIP(vnetID string, a netip.Addr) *NIC {
	for _, n := range w.sortedNICs() {
		if n.IP == a && store.Key(n.VNet) == store.Key(vnetID) {
			return n
		}
	}
	return nil
}

// NICByPublicIP finds the NIC whose public IP is a.
func (w *World) NICByPublicIP(a netip.Addr) *NIC {
	for _, n := range w.sortedNICs() {
		if n.PublicIP.IsValid() && n.PublicIP == a {
			return n
		}
	}
	return nil
}

// VMByName finds a VM by computer name among the VMs of a VNet, as
// Azure's internal DNS resolves names only within a VNet.
func (w *World) VMByName(vnetID, name string) *VM {
	for _, n := range w.sortedNICs() {
		if store.Key(n.VNet) != store.Key(vnetID) || n.VM == "" {
			continue
		}
		if vm := w.VM(n.VM); vm != nil && (strings.EqualFold(vm.ComputerName, name) || strings.EqualFold(vm.ComputerName+".internal.cloudapp.net", name)) {
			return vm
		}
	}
	return nil
}

// ReverseLink is the link of l's remote VNet that points back at local.
func (w *World) ReverseLink(local string, l *Link) *Link {
	r := w.VNet(l.Remote)
	if r == nil {
		return nil
	}
	for _, rl := range r.Links {
		if store.Key(rl.Remote) == store.Key(local) {
			return rl
		}
	}
	return nil
}

func (w *World) sortedNICs() []*NIC {
	out := make([]*NIC, 0, len(w.NICs))
	for _, n := range w.NICs {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return store.Key(out[i].ID) < store.Key(out[j].ID) })
	return out
}
