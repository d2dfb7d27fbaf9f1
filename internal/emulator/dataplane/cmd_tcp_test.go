package dataplane

import (
	"regexp"
	"testing"
)

// tcpWorld: vm1 (10.1.1.4) and vm2 (10.1.1.5) in one subnet; vm2's NIC
// has an NSG that denies port 2222 inbound.
func tcpWorld() (*World, *VM) {
	b := newBuilder()
	v := b.vnet("v", "eastus", "10.1.0.0/16")
	s := b.subnet(v, "s", "10.1.1.0/24")
	vm1, _ := b.machine("vm1", v, s, "10.1.1.4")
	_, n2 := b.machine("vm2", v, s, "10.1.1.5")
	deny := rule("deny-2222", 100, true, false, "Tcp")
	deny.DstPorts = []string{"2222"}
	n2.NSG = b.nsg("nsg2", deny).ID
	return b.w, vm1
}

func TestNetcatReportsAsOpenBSDNetcat(t *testing.T) {
	w, vm := tcpWorld()
	checkRuns(t, w, vm, []run{
		{"nc -zv 10.1.1.5 22", "", "Connection to 10.1.1.5 22 port [tcp/ssh] succeeded!\n", 0},
		{"nc -z vm2 22 && echo open", "open\n", "", 0},
		{"nc -zv 10.1.1.5 80", "", "nc: connect to 10.1.1.5 port 80 (tcp) failed: Connection refused\n", 1},
		{"nc -z 10.1.1.5 80; echo $?", "1\n", "", 0},
		{"nc -zv -w 3 10.1.1.5 2222", "", "nc: connect to 10.1.1.5 port 2222 (tcp) timed out: Operation now in progress\n", 1},
		{"nc -zvw3 10.1.1.5 2222", "", "nc: connect to 10.1.1.5 port 2222 (tcp) timed out: Operation now in progress\n", 1},
		{"nc -zv 10.1.1.5 2222", "", "nc: connect to 10.1.1.5 port 2222 (tcp) failed: Connection timed out\n", 1},
		{"nc -zv nohost 22", "", "nc: getaddrinfo for host \"nohost\" port 22: Name or service not known\n", 1},
		{"nc 10.1.1.5 22", "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10\r\n", "", 0},
	})
}

func TestCurlFailsAsCurlDoesAgainstSSHOnlyVMs(t *testing.T) {
	w, vm := tcpWorld()
	checkRuns(t, w, vm, []run{
		{"curl http://10.1.1.5:22", "", "curl: (1) Received HTTP/0.9 when not allowed\n", 1},
		{"curl -s -o /dev/null -w '%{http_code}' 10.1.1.5", "000", "", 7},
		{"curl -sS --connect-timeout 5 http://10.1.1.5:2222/", "", "curl: (28) Connection timed out after 5001 milliseconds\n", 28},
		{"curl -s http://nohost/ || echo $?", "6\n", "", 0},
		{"curl https://10.1.1.5:22", "", "curl: (35) error:0A00010B:SSL routines::wrong version number\n", 35},
	})
	_, errOut, status := NewShell(w, vm).Run("curl http://10.1.1.5/")
	if status != 7 || !regexp.MustCompile(`^curl: \(7\) Failed to connect to 10\.1\.1\.5 port 80 after \d+ ms: Connection refused\n$`).MatchString(errOut) {
		t.Errorf("curl to a closed port: %d %q", status, errOut)
	}
	_, errOut, status = NewShell(w, vm).Run("curl http://10.1.1.5:2222/")
	if status != 28 || !regexp.MustCompile(`^curl: \(28\) Failed to connect to 10\.1\.1\.5 port 2222 after 13\d{4} ms: Connection timed out\n$`).MatchString(errOut) {
		t.Errorf("curl to a filtered port: %d %q", status, errOut)
	}
}
