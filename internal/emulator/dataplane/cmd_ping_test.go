package dataplane

import (
	"net/netip"
	"strings"
	"testing"
)

func TestTripTimeAsIputilsPrintsIt(t *testing.T) {
	for us, want := range map[int64]string{
		845: "0.845", 1000: "1.00", 1234: "1.23", 9994: "9.99", 9999: "10.0", 68349: "68.3", 99949: "99.9", 99960: "100", 123456: "123",
	} {
		if got := tripTime(us); got != want {
			t.Errorf("tripTime(%dµs) = %s, want %s", us, got, want)
		}
	}
}

func TestRTTSummaryInIntegerMicroseconds(t *testing.T) {
	// avg 2000 µs; variance (14e6 - 36e6/3)/3 = 666666; mdev = isqrt = 816.
	if got := rttSummary([]int64{1000, 2000, 3000}); got != "rtt min/avg/max/mdev = 1.000/2.000/3.000/0.816 ms" {
		t.Errorf("rttSummary = %s", got)
	}
	if got := rttSummary([]int64{68349}); got != "rtt min/avg/max/mdev = 68.349/68.349/68.349/0.000 ms" {
		t.Errorf("rttSummary of one reply = %s", got)
	}
}

func TestFormatPingReplies(t *testing.T) {
	got := formatPing(pingRun{Target: "192.168.1.4", Addr: netip.MustParseAddr("192.168.1.4"), Size: 56, Sent: 4,
		RTTs: []int64{68349, 68123, 68777, 68450}, Elapsed: 3004})
	want := `PING 192.168.1.4 (192.168.1.4) 56(84) bytes of data.
64 bytes from 192.168.1.4: icmp_seq=1 ttl=64 time=68.3 ms
64 bytes from 192.168.1.4: icmp_seq=2 ttl=64 time=68.1 ms
64 bytes from 192.168.1.4: icmp_seq=3 ttl=64 time=68.8 ms
64 bytes from 192.168.1.4: icmp_seq=4 ttl=64 time=68.5 ms

--- 192.168.1.4 ping statistics ---
4 packets transmitted, 4 received, 0% packet loss, time 3004ms
rtt min/avg/max/mdev = 68.123/68.424/68.777/0.235 ms
`
	if got != want {
		t.Errorf("formatPing:\n%s\nwant:\n%s", got, want)
	}
}

func TestFormatPingTotalLossAndQuiet(t *testing.T) {
	loss := formatPing(pingRun{Target: "10.3.1.4", Addr: netip.MustParseAddr("10.3.1.4"), Size: 56, Sent: 4, Elapsed: 3071})
	want := "PING 10.3.1.4 (10.3.1.4) 56(84) bytes of data.\n\n--- 10.3.1.4 ping statistics ---\n4 packets transmitted, 0 received, 100% packet loss, time 3071ms\n"
	if loss != want {
		t.Errorf("total loss:\n%q\nwant\n%q", loss, want)
	}
	quiet := formatPing(pingRun{Target: "vm2", Addr: netip.MustParseAddr("10.1.1.5"), Size: 100, Sent: 3, RTTs: []int64{900, 1100, 1000}, Quiet: true, Elapsed: 2003, FromName: "vm2.internal.cloudapp.net"})
	want = "PING vm2 (10.1.1.5) 100(128) bytes of data.\n\n--- vm2 ping statistics ---\n3 packets transmitted, 3 received, 0% packet loss, time 2003ms\nrtt min/avg/max/mdev = 0.900/1.000/1.100/0.081 ms\n"
	if quiet != want {
		t.Errorf("quiet:\n%q\nwant\n%q", quiet, want)
	}
	partial := formatPing(pingRun{Target: "x", Addr: netip.MustParseAddr("10.0.0.1"), Size: 56, Sent: 3, RTTs: []int64{1000}, Quiet: true})
	if !strings.Contains(partial, "3 packets transmitted, 1 received, 66.6667% packet loss") {
		t.Errorf("partial loss is not printed with %%g as iputils does:\n%s", partial)
	}
}

func TestParsePingOptions(t *testing.T) {
	o, msg, status := parsePing(strings.Fields("ping -c 4 -W 1 -i 0.2 -q -s 100 10.0.0.4"))
	if status != 0 || o.count != 4 || o.timeout != 1 || o.interval != 0.2 || !o.quiet || o.size != 100 || o.target != "10.0.0.4" {
		t.Errorf("parsePing = %+v %q %d", o, msg, status)
	}
	if o, _, _ := parsePing(strings.Fields("ping -qc2 -w5 host")); o.count != 2 || !o.quiet || o.deadline != 5 || o.target != "host" {
		t.Errorf("combined flags: %+v", o)
	}
	for args, want := range map[string]string{
		"ping -c 0 x":    "ping: invalid argument: '0'\n",
		"ping -c abc x":  "ping: invalid argument: 'abc'\n",
		"ping -z x":      "ping: invalid option -- 'z'\n",
		"ping -c":        "ping: option requires an argument -- 'c'\n",
		"ping -c 4":      "ping: usage error: Destination address required\n",
		"ping -i -1 x":   "ping: invalid argument: '-1'\n",
		"ping -s 1.5 x":  "ping: invalid argument: '1.5'\n",
		"ping -W x host": "ping: invalid argument: 'x'\n",
	} {
		if _, msg, status := parsePing(strings.Fields(args)); msg != want || status == 0 {
			t.Errorf("%s: %q (status %d), want %q", args, msg, status, want)
		}
	}
}

const tooLong = "ping: the emulator's shell runs ping with -c or -w only, for less than Run Command's 90-minute timeout and at most 100000 packets\n"

func TestPingCommand(t *testing.T) {
	w, vm := oneVM()
	checkRuns(t, w, vm, []run{
		{"ping -c 1 nohost", "", "ping: nohost: Name or service not known\n", 2},
		{"ping 10.1.1.4", "", tooLong, 2},
		{"ping -c 6000 10.1.1.4", "", tooLong, 2},
		{"ping -c 200000 -i 0.001 10.1.1.4", "", tooLong, 2},
		{"ping -c 2 -q 10.1.1.9 >/dev/null; echo $?", "1\n", "", 0}, // no VM there
		{"ping -w 3 -q 10.1.1.4 | grep -o '4 packets transmitted, 4 received, 0% packet loss'", "4 packets transmitted, 4 received, 0% packet loss\n", "", 0},
	})
	out, _, status := NewShell(w, vm).Run("ping -c 2 vm1")
	if status != 0 || !strings.HasPrefix(out, "PING vm1 (10.1.1.4) 56(84) bytes of data.\n64 bytes from vm1.internal.cloudapp.net (10.1.1.4): icmp_seq=1 ttl=64 time=0.") {
		t.Errorf("ping by name:\n%s", out)
	}
}
