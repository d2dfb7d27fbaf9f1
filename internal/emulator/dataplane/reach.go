package dataplane

import (
	"fmt"
	"hash/fnv"
	"net/netip"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// SSHPort is the one port the simulated VMs listen on.
const SSHPort = 22

// Probe is a packet a VM sends: ICMP echo, or a TCP or UDP packet to a
// port.
type Probe struct {
	From     string // the source VM's ID
	To       netip.Addr
	Protocol string // Icmp, Tcp or Udp
	Port     int
}

// Outcome is what becomes of a probe.
type Outcome struct {
	// Delivered: the packet reached a running VM and its answer came back.
	Delivered bool
	// Listening: for TCP, something listens on the port (a refused
	// connection is Delivered but not Listening).
	Listening bool
	// Reason says why a probe was not delivered, in Azure's terms.
	Reason string
	// To is the VM reached; RTTms the round trip between the two regions.
	To    *VM
	RTTms float64
}

var loopback = netip.MustParsePrefix("127.0.0.0/8")

// Reach follows a probe through Azure's network: the source NIC's route
// for the address (longest prefix); for a peering hop, both links
// Connected (peering is not transitive: only the routes of the source's
// own VNet count); the destination NIC and its running VM; a route back;
// the source's NSGs outbound (NIC, then subnet) and the destination's
// inbound (subnet, then NIC). Replies are not filtered, as NSGs are
// stateful.
//
// allowVirtualNetworkAccess is not a switch on the path: as Microsoft's
// documentation of peering settings says, blocking traffic to the remote
// virtual network "only changes the definition of the VirtualNetwork
// service tag" — the default rules then deny the traffic, and an NSG rule
// naming the addresses can still allow it (see TagsFor).
func (w *World) Reach(p Probe) Outcome {
	src := w.VM(p.From)
	if src == nil || !src.Running() {
		return Outcome{Reason: "the source VM is not running"}
	}
	sn := w.PrimaryNIC(src)
	if sn == nil {
		return Outcome{Reason: "the source VM has no network interface"}
	}
	if loopback.Contains(p.To) || w.ownsAddress(src, p.To) {
		return Outcome{Delivered: true, Listening: p.Port == SSHPort, To: src, RTTms: 0.03}
	}
	route, ok := Lookup(w.Routes(sn), p.To)
	if !ok {
		return Outcome{Reason: fmt.Sprintf("no route to %s", p.To)}
	}
	var dn *NIC
	seen := sn.IP // the source address the destination sees
	switch route.NextHop {
	case HopNone:
		return Outcome{Reason: fmt.Sprintf("the route for %s (%s) has next hop None: traffic is dropped", p.To, route.Prefix)}
	case HopVnetLocal:
		dn = w.NICByIP(sn.VNet, p.To)
	case HopVNetPeering:
		if why := w.peeringBlocks(sn.VNet, route.Link); why != "" {
			return Outcome{Reason: why}
		}
		dn = w.NICByIP(route.Link.Remote, p.To)
	case HopInternet:
		dn = w.NICByPublicIP(p.To)
		seen = w.publicAddress(sn)
	}
	if dn == nil || dn.VM == "" {
		return Outcome{Reason: fmt.Sprintf("no VM answers at %s (next hop %s)", p.To, route.NextHop)}
	}
	dst := w.VM(dn.VM)
	if dst == nil || !dst.Running() {
		return Outcome{Reason: fmt.Sprintf("the VM at %s is not running", p.To)}
	}
	if route.NextHop != HopInternet {
		if why := w.returnBlocked(dn, sn); why != "" {
			return Outcome{Reason: why}
		}
	}
	f := Flow{Protocol: p.Protocol, Src: sn.IP, Dst: p.To, SrcPort: ephemeralPort(sn.ID, p.Port), DstPort: p.Port, SrcASGs: sn.ASGs}
	if route.NextHop != HopInternet {
		f.DstASGs = dn.ASGs
	}
	if why := w.filter(sn, false, f); why != "" {
		return Outcome{Reason: why}
	}
	f.Src, f.Dst, f.DstASGs = seen, dn.IP, dn.ASGs
	if route.NextHop == HopInternet {
		f.SrcASGs = nil
	}
	if why := w.filter(dn, true, f); why != "" {
		return Outcome{Reason: why}
	}
	return Outcome{Delivered: true, Listening: p.Port == SSHPort, To: dst, RTTms: RTT(src.Location, dst.Location)}
}

// ownsAddress reports whether an address is one of the VM's own.
func (w *World) ownsAddress(vm *VM, a netip.Addr) bool {
	for _, id := range vm.NICs {
		if n := w.NIC(id); n != nil && (n.IP == a || (n.PublicIP.IsValid() && n.PublicIP == a)) {
			return true
		}
	}
	return false
}

// peeringBlocks says why a peering hop cannot carry traffic, or "".
func (w *World) peeringBlocks(local string, l *Link) string {
	rev := w.ReverseLink(local, l)
	switch {
	case !l.Connected:
		return fmt.Sprintf("peering %s is not Connected", l.ID)
	case rev == nil || !rev.Connected:
		return fmt.Sprintf("the remote VNet %s has no Connected peering back", l.Remote)
	}
	return ""
}

// returnBlocked says why the answer from dn cannot reach sn, or "": the
// destination needs a route back to the source's VNet (a VNet resized but
// not synced on the far side has none for its new prefixes).
func (w *World) returnBlocked(dn, sn *NIC) string {
	back, ok := Lookup(w.Routes(dn), sn.IP)
	switch {
	case ok && back.NextHop == HopVnetLocal && store.Key(dn.VNet) == store.Key(sn.VNet):
		return ""
	case ok && back.NextHop == HopVNetPeering && store.Key(back.Link.Remote) == store.Key(sn.VNet):
		return ""
	}
	return fmt.Sprintf("the destination's VNet %s has no route back to %s", dn.VNet, sn.IP)
}

// filter applies a NIC's NSGs in one direction: outbound the NIC's then
// the subnet's, inbound the subnet's then the NIC's. It says which rule
// denied the flow, or "".
func (w *World) filter(n *NIC, inbound bool, f Flow) string {
	var subnetNSG string
	if s := w.Subnet(n.Subnet); s != nil {
		subnetNSG = s.NSG
	}
	order := []string{n.NSG, subnetNSG}
	if inbound {
		order = []string{subnetNSG, n.NSG}
	}
	t := w.TagsFor(n.VNet)
	for _, id := range order {
		if id == "" {
			continue
		}
		g := w.NSG(id)
		if ok, r := Evaluate(g, inbound, f, t); !ok {
			dir := "outbound"
			if inbound {
				dir = "inbound"
			}
			name := "(no rule)"
			if r != nil {
				name = r.Name
			}
			return fmt.Sprintf("NSG %s denies %s %s %s→%s:%d by rule %s", id, dir, f.Protocol, f.Src, f.Dst, f.DstPort, name)
		}
	}
	return ""
}

// publicAddress is the address a NIC's traffic to the Internet comes from:
// its public IP, or else an address of Azure's default outbound access,
// fixed per NIC.
func (w *World) publicAddress(n *NIC) netip.Addr {
	if n.PublicIP.IsValid() {
		return n.PublicIP
	}
	h := fnv.New32a()
	h.Write([]byte(store.Key(n.ID)))
	v := h.Sum32()
	return netip.AddrFrom4([4]byte{52, 160 + byte(v>>16)%32, byte(v >> 8), 1 + byte(v)%254})
}

// ephemeralPort is the source port of a connection: from Linux's
// ephemeral range, fixed per NIC and destination port.
func ephemeralPort(nicID string, port int) int {
	h := fnv.New32a()
	fmt.Fprintf(h, "%s:%d", store.Key(nicID), port)
	return 32768 + int(h.Sum32()%28232)
}
