package labcli

import "testing"

func TestParsePing(t *testing.T) {
	for _, tc := range []struct {
		name, out string
		want      PingStats
	}{
		{"all answered", "PING 192.168.1.4 (192.168.1.4) 56(84) bytes of data.\n64 bytes from 192.168.1.4: icmp_seq=1 ttl=64 time=70.9 ms\n\n--- 192.168.1.4 ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\nrtt min/avg/max/mdev = 70.900/70.900/70.900/0.000 ms\n", PingStats{1, 1, 0}},
		{"nothing answered", "PING 10.0.0.4 (10.0.0.4) 56(84) bytes of data.\n\n--- 10.0.0.4 ping statistics ---\n4 packets transmitted, 0 received, 100% packet loss, time 3071ms\n\n", PingStats{4, 0, 100}},
		{"errors", "--- x ping statistics ---\n4 packets transmitted, 0 received, +4 errors, 100% packet loss, time 3004ms\n", PingStats{4, 0, 100}},
		{"some lost", "3 packets transmitted, 2 received, 33.3333% packet loss, time 2003ms", PingStats{3, 2, 33.3333}},
	} {
		got, err := ParsePing(tc.out)
		if err != nil || got != tc.want {
			t.Errorf("%s: ParsePing = %+v, %v; want %+v", tc.name, got, err, tc.want)
		}
	}
	if _, err := ParsePing("ping: unknown host nowhere\n"); err == nil {
		t.Error("ParsePing of output without statistics: no error")
	}
}

func TestSplitMessage(t *testing.T) {
	out, errOut := SplitMessage("Enable succeeded: \n[stdout]\nhello\n\n[stderr]\noops\n")
	if out != "hello\n" || errOut != "oops\n" {
		t.Errorf("SplitMessage = %q, %q", out, errOut)
	}
	out, errOut = SplitMessage("something else")
	if out != "something else" || errOut != "" {
		t.Errorf("SplitMessage of an odd message = %q, %q", out, errOut)
	}
}

func TestIndentLeavesBlankLinesEmpty(t *testing.T) {
	if got := indent("a\n\nb\n"); got != "    a\n\n    b" {
		t.Errorf("indent = %q", got)
	}
}
