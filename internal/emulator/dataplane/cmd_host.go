package dataplane

import (
	"fmt"
	"net/netip"
	"strings"
)

// iface is one of the VM's network interfaces as the guest sees it:
// eth0, eth1, … in the order of the VM's NICs (primary first).
type iface struct {
	name   string
	nic    *NIC
	prefix netip.Prefix // the subnet prefix holding the address
}

func (sh *Shell) interfaces() []iface {
	var out []iface
	for _, id := range sh.vm.NICs {
		n := sh.w.NIC(id)
		if n == nil || !n.IP.IsValid() {
			continue
		}
		p := netip.PrefixFrom(n.IP, 32)
		if s := sh.w.Subnet(n.Subnet); s != nil {
			for _, sp := range s.Prefixes {
				if sp.Contains(n.IP) {
					p = sp
				}
			}
		}
		out = append(out, iface{name: fmt.Sprintf("eth%d", len(out)), nic: n, prefix: p})
	}
	return out
}

// hostname prints the computer name; -I the addresses (with bash's
// trailing space); -i the address the name resolves to; -s and -f the
// short and full names.
func hostname(sh *Shell, args []string, _ string) result {
	if len(args) == 1 {
		return result{out: sh.vm.ComputerName + "\n"}
	}
	switch args[1] {
	case "-I", "--all-ip-addresses":
		var b strings.Builder
		for _, i := range sh.interfaces() {
			b.WriteString(i.nic.IP.String() + " ")
		}
		return result{out: b.String() + "\n"}
	case "-i", "--ip-address":
		if ifs := sh.interfaces(); len(ifs) > 0 {
			return result{out: ifs[0].nic.IP.String() + "\n"}
		}
		return result{out: "127.0.1.1\n"}
	case "-s", "--short", "-f", "--fqdn", "--long":
		return result{out: sh.vm.ComputerName + "\n"}
	}
	return result{err: fmt.Sprintf("hostname: invalid option -- '%s'\nTry 'hostname --help' or 'hostname --usage' for more information.\n", strings.TrimLeft(args[1], "-")), status: 1}
}

// ipCommand is iproute2's ip for "addr" and "route" (and their short
// forms), with -4, -6 and -br, printed as on an Azure Ubuntu 22.04 VM.
func ipCommand(sh *Shell, args []string, _ string) result {
	family, brief := 0, false
	var rest []string
	for _, a := range args[1:] {
		switch a {
		case "-4":
			family = 4
		case "-6":
			family = 6
		case "-br", "-brief", "--brief":
			brief = true
		default:
			rest = append(rest, a)
		}
	}
	if len(rest) == 0 {
		return result{err: "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n", status: 255}
	}
	obj := rest[0]
	switch {
	case strings.HasPrefix("address", obj):
		return result{out: sh.ipAddr(family, brief)}
	case strings.HasPrefix("route", obj):
		if family == 6 {
			return result{out: "::1 dev lo proto kernel metric 256 pref medium\nfe80::/64 dev eth0 proto kernel metric 256 pref medium\n"}
		}
		return result{out: sh.ipRoute()}
	case strings.HasPrefix("link", obj):
		return result{out: sh.ipLink()}
	}
	return result{err: fmt.Sprintf("Object \"%s\" is unknown, try \"ip help\".\n", obj), status: 1}
}

// mac is a NIC's MAC address as Linux prints it.
func mac(n *NIC) string {
	if n.MAC == "" {
		return "00:0d:3a:00:00:00"
	}
	return strings.ToLower(strings.ReplaceAll(n.MAC, "-", ":"))
}

// linkLocal is the IPv6 link-local address derived from a MAC (EUI-64).
func linkLocal(m string) string {
	var b [6]byte
	fmt.Sscanf(m, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5])
	return fmt.Sprintf("fe80::%x:%x:%x:%x/64", uint16(b[0]^2)<<8|uint16(b[1]), uint16(b[2])<<8|0xff, 0xfe00|uint16(b[3]), uint16(b[4])<<8|uint16(b[5]))
}

func (sh *Shell) ipAddr(family int, brief bool) string {
	var b strings.Builder
	ifs := sh.interfaces()
	if brief {
		fmt.Fprintf(&b, "%-16s %-14s %s \n", "lo", "UNKNOWN", "127.0.0.1/8")
		for _, i := range ifs {
			fmt.Fprintf(&b, "%-16s %-14s %s \n", i.name, "UP", netip.PrefixFrom(i.nic.IP, i.prefix.Bits()))
		}
		return b.String()
	}
	b.WriteString("1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n")
	if family == 0 {
		b.WriteString("    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n")
	}
	if family != 6 {
		b.WriteString("    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n")
	}
	if family != 4 {
		b.WriteString("    inet6 ::1/128 scope host \n       valid_lft forever preferred_lft forever\n")
	}
	for n, i := range ifs {
		fmt.Fprintf(&b, "%d: %s: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000\n", n+2, i.name)
		if family == 0 {
			fmt.Fprintf(&b, "    link/ether %s brd ff:ff:ff:ff:ff:ff\n", mac(i.nic))
		}
		if family != 6 {
			fmt.Fprintf(&b, "    inet %s metric 100 brd %s scope global %s\n       valid_lft forever preferred_lft forever\n",
				netip.PrefixFrom(i.nic.IP, i.prefix.Bits()), lastOf(i.prefix), i.name)
		}
		if family != 4 {
			fmt.Fprintf(&b, "    inet6 %s scope link \n       valid_lft forever preferred_lft forever\n", linkLocal(mac(i.nic)))
		}
	}
	return b.String()
}

// ipRoute is the guest's routing table from Azure's DHCP: a default route
// and the platform addresses via the subnet's gateway (its first address),
// and the subnet itself on the link.
func (sh *Shell) ipRoute() string {
	var b strings.Builder
	ifs := sh.interfaces()
	for n, i := range ifs {
		gw := i.prefix.Masked().Addr().Next()
		metric := 100 * (n + 1)
		if n == 0 {
			fmt.Fprintf(&b, "default via %s dev %s proto dhcp src %s metric %d \n", gw, i.name, i.nic.IP, metric)
		}
		fmt.Fprintf(&b, "%s dev %s proto kernel scope link src %s metric %d \n", i.prefix.Masked(), i.name, i.nic.IP, metric)
		if n == 0 {
			fmt.Fprintf(&b, "168.63.129.16 via %s dev %s proto dhcp src %s metric %d \n", gw, i.name, i.nic.IP, metric)
			fmt.Fprintf(&b, "169.254.169.254 via %s dev %s proto dhcp src %s metric %d \n", gw, i.name, i.nic.IP, metric)
		}
	}
	return b.String()
}

func (sh *Shell) ipLink() string {
	var b strings.Builder
	b.WriteString("1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n")
	for n, i := range sh.interfaces() {
		fmt.Fprintf(&b, "%d: %s: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP mode DEFAULT group default qlen 1000\n    link/ether %s brd ff:ff:ff:ff:ff:ff\n", n+2, i.name, mac(i.nic))
	}
	return b.String()
}
