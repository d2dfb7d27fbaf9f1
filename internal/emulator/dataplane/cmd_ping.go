package dataplane

import (
	"fmt"
	"hash/fnv"
	"math"
	"net/netip"
	"strconv"
	"strings"
)

// pingRun is one run of ping, ready to print.
type pingRun struct {
	Target   string     // as given on the command line
	Addr     netip.Addr // what it resolved to
	Size     int        // payload bytes (-s), 56 by default
	Sent     int
	RTTs     []int64 // microseconds of each reply received, in order
	Quiet    bool
	Elapsed  int64 // milliseconds from the first packet to the last
	FromName string
}

// formatPing prints a run exactly as iputils' ping (20211215, Ubuntu
// 22.04) does: the header, a line per reply unless -q, and the statistics.
func formatPing(r pingRun) string {
	var b strings.Builder
	fmt.Fprintf(&b, "PING %s (%s) %d(%d) bytes of data.\n", r.Target, r.Addr, r.Size, r.Size+28)
	if !r.Quiet {
		from := r.Addr.String()
		if r.FromName != "" {
			from = fmt.Sprintf("%s (%s)", r.FromName, r.Addr)
		}
		for i, t := range r.RTTs {
			fmt.Fprintf(&b, "%d bytes from %s: icmp_seq=%d ttl=64 time=%s ms\n", r.Size+8, from, i+1, tripTime(t))
		}
	}
	recv := len(r.RTTs)
	loss := float64(r.Sent-recv) * 100 / float64(r.Sent)
	fmt.Fprintf(&b, "\n--- %s ping statistics ---\n", r.Target)
	fmt.Fprintf(&b, "%d packets transmitted, %d received, %s%% packet loss, time %dms\n", r.Sent, recv, strconv.FormatFloat(loss, 'g', 6, 64), r.Elapsed)
	if recv > 0 {
		b.WriteString(rttSummary(r.RTTs) + "\n")
	}
	return b.String()
}

// tripTime formats a round trip in microseconds as iputils does: three
// decimals below 1 ms, two below 10 ms, one below 100 ms, none above.
func tripTime(us int64) string {
	switch {
	case us >= 100000-50:
		return fmt.Sprintf("%d", (us+500)/1000)
	case us >= 10000-5:
		return fmt.Sprintf("%d.%01d", (us+50)/1000, ((us+50)%1000)/100)
	case us >= 1000:
		return fmt.Sprintf("%d.%02d", (us+5)/1000, ((us+5)%1000)/10)
	}
	return fmt.Sprintf("%d.%03d", us/1000, us%1000)
}

// rttSummary is iputils' "rtt min/avg/max/mdev" line, computed as it does
// in integer microseconds (mdev is the integer square root of the
// variance).
func rttSummary(rtts []int64) string {
	tmin, tmax, tsum, tsum2 := rtts[0], rtts[0], int64(0), int64(0)
	for _, t := range rtts {
		tmin, tmax = min(tmin, t), max(tmax, t)
		tsum += t
		tsum2 += t * t
	}
	n := int64(len(rtts))
	avg := tsum / n
	variance := (tsum2 - tsum*tsum/n) / n
	mdev := int64(math.Sqrt(float64(variance)))
	for mdev*mdev > variance {
		mdev--
	}
	for (mdev+1)*(mdev+1) <= variance {
		mdev++
	}
	ms := func(us int64) string { return fmt.Sprintf("%d.%03d", us/1000, us%1000) }
	return fmt.Sprintf("rtt min/avg/max/mdev = %s/%s/%s/%s ms", ms(tmin), ms(avg), ms(tmax), ms(mdev))
}

// pingOptions are the options of ping the shell understands.
type pingOptions struct {
	count, size       int
	interval, timeout float64
	deadline          float64
	quiet             bool
	target            string
}

// parsePing reads ping's command line as getopt does for iputils:
// -c N, -i S, -W S, -w S, -s N, -q, and the flags it may ignore.
func parsePing(args []string) (pingOptions, string, int) {
	o := pingOptions{size: 56, interval: 1, timeout: 10}
	withArg := "ciWwsItlpQMmF"
	for i := 1; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") || a == "-" {
			if o.target != "" {
				return o, "ping: usage error: Only one destination address may be given\n", 1 // unconfirmed wording
			}
			o.target = a
			continue
		}
		for j := 1; j < len(a); j++ {
			f := a[j]
			if !strings.ContainsRune(withArg, rune(f)) {
				if !strings.ContainsRune("qn46ODvaAbBdfLrRU", rune(f)) {
					return o, fmt.Sprintf("ping: invalid option -- '%c'\n", f), 2
				}
				o.quiet = o.quiet || f == 'q'
				continue
			}
			v := a[j+1:]
			if v == "" {
				if i+1 >= len(args) {
					return o, fmt.Sprintf("ping: option requires an argument -- '%c'\n", f), 2
				}
				i++
				v = args[i]
			}
			num, err := strconv.ParseFloat(v, 64)
			bad := fmt.Sprintf("ping: invalid argument: '%s'\n", v)
			switch {
			case strings.ContainsRune("cs", rune(f)) && (err != nil || num != math.Trunc(num) || num < 1 && f == 'c' || num < 0):
				return o, bad, 1
			case strings.ContainsRune("iWw", rune(f)) && (err != nil || num < 0):
				return o, bad, 1
			}
			switch f {
			case 'c':
				o.count = int(num)
			case 's':
				o.size = int(num)
			case 'i':
				o.interval = num
			case 'W':
				o.timeout = num
			case 'w':
				o.deadline = num
			}
			break
		}
	}
	if o.target == "" {
		return o, "ping: usage error: Destination address required\n", 1
	}
	return o, "", 0
}

// runCommandTimeout is how long Run Command lets a script run (seconds),
// and maxPackets the most echo requests the shell simulates in one ping.
const (
	runCommandTimeout = 90 * 60
	maxPackets        = 100000
)

// ping sends ICMP echo requests through the simulated network. Without -c
// or -w it would run until Run Command's timeout; the shell refuses that.
func ping(sh *Shell, args []string, _ string) result {
	o, msg, status := parsePing(args)
	if status != 0 {
		return result{err: msg, status: status}
	}
	addr, ok := sh.resolve(o.target)
	if !ok {
		return result{err: fmt.Sprintf("ping: %s: Name or service not known\n", o.target), status: 2}
	}
	count := o.count
	if o.deadline > 0 {
		byDeadline := int(o.deadline/o.interval) + 1
		if o.interval > o.deadline {
			byDeadline = 1
		}
		if count == 0 || byDeadline < count {
			count = byDeadline
		}
	}
	if count == 0 || float64(count-1)*o.interval > runCommandTimeout || count > maxPackets {
		return result{err: "ping: the emulator's shell runs ping with -c or -w only, for less than Run Command's 90-minute timeout and at most 100000 packets\n", status: 2}
	}
	out := sh.w.Reach(Probe{From: sh.vm.ID, To: addr, Protocol: "Icmp"})
	run := pingRun{Target: o.target, Addr: addr, Size: o.size, Sent: count, Quiet: o.quiet}
	if _, err := netip.ParseAddr(o.target); err != nil && o.target != "localhost" {
		run.FromName = o.target + ".internal.cloudapp.net" // the reverse name Azure's DNS gives (unconfirmed)
	}
	src := sh.vm.ID
	if out.Delivered {
		for seq := 1; seq <= count; seq++ {
			run.RTTs = append(run.RTTs, Sample(out.RTTms, src, addr.String(), seq))
		}
	}
	run.Elapsed = elapsed(count, o.interval, out.Delivered, src+addr.String())
	if len(run.RTTs) == 0 {
		return result{out: formatPing(run), status: 1}
	}
	return result{out: formatPing(run)}
}

// elapsed is ping's "time" figure: the intervals between the packets plus
// a few milliseconds (tens when nothing answers and ping waits on).
func elapsed(count int, interval float64, answered bool, key string) int64 {
	h := fnv.New32a()
	h.Write([]byte(key))
	v := int64(h.Sum32())
	base := int64(float64(count-1) * interval * 1000)
	if answered {
		return base + 2 + v%4
	}
	return base + 40 + v%60
}

// resolve turns a name or an address into an address: a literal, the
// loopback names, or the computer name of a VM in the same VNet (Azure's
// internal DNS resolves names within a VNet only).
func (sh *Shell) resolve(target string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(target); err == nil {
		return a, true
	}
	if target == "localhost" {
		return netip.MustParseAddr("127.0.0.1"), true
	}
	for _, id := range sh.vm.NICs {
		if n := sh.w.NIC(id); n != nil {
			if vm := sh.w.VMByName(n.VNet, strings.TrimSuffix(target, ".")); vm != nil {
				if pn := sh.w.PrimaryNIC(vm); pn != nil {
					return pn.IP, true
				}
			}
		}
	}
	return netip.Addr{}, false
}
