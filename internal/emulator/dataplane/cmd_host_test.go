package dataplane

import "testing"

func TestHostCommandsAsOnAnAzureUbuntuVM(t *testing.T) {
	w, vm := oneVM()
	checkRuns(t, w, vm, []run{
		{"hostname", "vm1\n", "", 0},
		{"hostname -I", "10.1.1.4 \n", "", 0},
		{"hostname -i", "10.1.1.4\n", "", 0},
		{"hostname -x", "", "hostname: invalid option -- 'x'\nTry 'hostname --help' or 'hostname --usage' for more information.\n", 1},
		{"ip -4 addr", `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000
    inet 10.1.1.4/24 metric 100 brd 10.1.1.255 scope global eth0
       valid_lft forever preferred_lft forever
`, "", 0},
		{"ip route", "default via 10.1.1.1 dev eth0 proto dhcp src 10.1.1.4 metric 100 \n" +
			"10.1.1.0/24 dev eth0 proto kernel scope link src 10.1.1.4 metric 100 \n" +
			"168.63.129.16 via 10.1.1.1 dev eth0 proto dhcp src 10.1.1.4 metric 100 \n" +
			"169.254.169.254 via 10.1.1.1 dev eth0 proto dhcp src 10.1.1.4 metric 100 \n", "", 0},
		{"ip -br a", "lo               UNKNOWN        127.0.0.1/8 \neth0             UP             10.1.1.4/24 \n", "", 0},
		{"ip a | grep -c inet6", "2\n", "", 0},
		{"ip a | grep link/ether", "    link/ether 00:0d:3a:12:34:56 brd ff:ff:ff:ff:ff:ff\n", "", 0},
		{"ip a | grep 'inet6 fe80'", "    inet6 fe80::20d:3aff:fe12:3456/64 scope link \n", "", 0},
		{"ip neigh", "", "Object \"neigh\" is unknown, try \"ip help\".\n", 1},
		{"whoami; uname -n", "root\nvm1\n", "", 0},
	})
}
