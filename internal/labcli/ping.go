package labcli

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// PingStats is the statistics line of iputils' ping.
type PingStats struct {
	Transmitted, Received int
	LossPercent           float64
}

var pingStats = regexp.MustCompile(`(\d+) packets transmitted, (\d+) received,(?: \+\d+ errors,)? ([0-9.]+)% packet loss`)

// ParsePing reads the statistics of ping's output ("4 packets transmitted,
// 4 received, 0% packet loss, time 3004ms").
func ParsePing(out string) (PingStats, error) {
	m := pingStats.FindStringSubmatch(out)
	if m == nil {
		return PingStats{}, fmt.Errorf("no ping statistics in the output:\n%s", indent(out))
	}
	tx, _ := strconv.Atoi(m[1])
	rx, _ := strconv.Atoi(m[2])
	loss, _ := strconv.ParseFloat(m[3], 64)
	return PingStats{Transmitted: tx, Received: rx, LossPercent: loss}, nil
}

// PingScript is the script the lab runs: a few pings, never longer than a
// few seconds when nothing answers.
func PingScript(addr string, count int) string {
	return fmt.Sprintf("ping -c %d -W 2 %s", count, addr)
}

func indent(s string) string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return "    (empty)"
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l = strings.TrimRight(l, " "); l != "" {
			lines[i] = "    " + l
		} else {
			lines[i] = ""
		}
	}
	return strings.Join(lines, "\n")
}
