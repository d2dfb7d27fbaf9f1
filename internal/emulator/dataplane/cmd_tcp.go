package dataplane

import (
	"fmt"
	"hash/fnv"
	"net/url"
	"strconv"
	"strings"
)

// sshBanner is what the VMs' OpenSSH server says first.
const sshBanner = "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10\r\n"

// synTimeoutMS is how long Linux tries to connect when nothing answers
// (six SYN retransmissions).
const synTimeoutMS = 130000

// connect tries a TCP connection: "ok", "refused" (the packet arrived,
// nothing listens) or "timeout" (it was dropped on the way), with the
// round trip in milliseconds.
func (sh *Shell) connect(host string, port int) (state string, rttMS float64, resolved bool) {
	addr, ok := sh.resolve(host)
	if !ok {
		return "", 0, false
	}
	o := sh.w.Reach(Probe{From: sh.vm.ID, To: addr, Protocol: "Tcp", Port: port})
	switch {
	case !o.Delivered:
		return "timeout", 0, true
	case !o.Listening:
		return "refused", o.RTTms, true
	}
	return "ok", o.RTTms, true
}

// curl fetches a URL as curl 7.81 (Ubuntu 22.04) fails to from these VMs:
// they serve only SSH, so a reachable port 22 answers with the SSH banner,
// other ports refuse, and a blocked path times out. Options: -s, -S, -o,
// -w (%{http_code}), --connect-timeout, -m/--max-time; others are
// accepted and ignored.
func curl(sh *Shell, args []string, _ string) result {
	silent, showErr, writeOut, limit, target := false, false, "", 0.0, ""
	for i := 1; i < len(args); i++ {
		a := args[i]
		takes := map[string]bool{"-o": true, "--output": true, "-w": true, "--write-out": true, "--connect-timeout": true, "-m": true, "--max-time": true,
			"-H": true, "--header": true, "-X": true, "--request": true, "-d": true, "--data": true, "-A": true, "--user-agent": true, "-u": true, "--retry": true}
		if takes[a] {
			if i+1 >= len(args) {
				return result{err: fmt.Sprintf("curl: option %s: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n", a), status: 2}
			}
			i++
			switch a {
			case "-w", "--write-out":
				writeOut = args[i]
			case "--connect-timeout", "-m", "--max-time":
				v, err := strconv.ParseFloat(args[i], 64)
				if err != nil {
					return result{err: fmt.Sprintf("curl: option %s: expected a proper numerical parameter\n", a), status: 2}
				}
				if limit == 0 || v < limit {
					limit = v
				}
			}
			continue
		}
		if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") {
			silent = silent || strings.Contains(a, "s")
			showErr = showErr || strings.Contains(a, "S")
			continue
		}
		if !strings.HasPrefix(a, "-") {
			target = a
		}
	}
	if target == "" {
		return result{err: "curl: try 'curl --help' or 'curl --manual' for more information\n", status: 2}
	}
	if !strings.Contains(target, "://") {
		target = "http://" + target
	}
	u, err := url.Parse(target)
	if err != nil || u.Hostname() == "" {
		return curlFail(3, "URL using bad/illegal format or missing URL", silent, showErr, writeOut)
	}
	port := 80
	if u.Scheme == "https" {
		port = 443
	}
	if p := u.Port(); p != "" {
		port, _ = strconv.Atoi(p)
	}
	state, rtt, resolved := sh.connect(u.Hostname(), port)
	switch {
	case !resolved:
		return curlFail(6, "Could not resolve host: "+u.Hostname(), silent, showErr, writeOut)
	case state == "timeout" && limit > 0:
		return curlFail(28, fmt.Sprintf("Connection timed out after %d milliseconds", int64(limit*1000)+1), silent, showErr, writeOut)
	case state == "timeout":
		return curlFail(28, fmt.Sprintf("Failed to connect to %s port %d after %d ms: Connection timed out", u.Hostname(), port, synTimeoutMS+jitterMS(sh.vm.ID+target, 1500)), silent, showErr, writeOut)
	case state == "refused":
		return curlFail(7, fmt.Sprintf("Failed to connect to %s port %d after %d ms: Connection refused", u.Hostname(), port, int64(rtt)), silent, showErr, writeOut)
	case u.Scheme == "https":
		return curlFail(35, "error:0A00010B:SSL routines::wrong version number", silent, showErr, writeOut)
	}
	return curlFail(1, "Received HTTP/0.9 when not allowed", silent, showErr, writeOut)
}

// curlFail is curl's failure: its message on stderr unless -s without -S,
// the -w output (with http_code 000), and the exit code.
func curlFail(code int, msg string, silent, showErr bool, writeOut string) result {
	r := result{status: code}
	if !silent || showErr {
		r.err = fmt.Sprintf("curl: (%d) %s\n", code, msg)
	}
	if writeOut != "" {
		r.out = unescape(strings.NewReplacer("%{http_code}", "000", "%{response_code}", "000", "%{exitcode}", strconv.Itoa(code)).Replace(writeOut))
	}
	return r
}

// netcat is OpenBSD netcat (Ubuntu's nc): -z scans a port, -v reports,
// -w N limits the wait, -u sends UDP (which cannot tell open from
// filtered, and so reports success). Without -z a reachable SSH port
// prints its banner.
func netcat(sh *Shell, args []string, _ string) result {
	scan, verbose, udp, wait := false, false, false, false
	var rest []string
	for i := 1; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") || len(a) < 2 {
			rest = append(rest, a)
			continue
		}
		for j := 1; j < len(a); j++ {
			switch a[j] {
			case 'z':
				scan = true
			case 'v':
				verbose = true
			case 'u':
				udp = true
			case 'n', '4':
			case 'w', 'W', 'i', 'q', 's', 'p':
				wait = wait || a[j] == 'w'
				if j == len(a)-1 {
					i++
				}
				j = len(a)
			default:
				return result{err: fmt.Sprintf("nc: invalid option -- '%c'\nusage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n\t  [destination] [port]\n", a[j]), status: 1}
			}
		}
	}
	if len(rest) < 2 {
		return result{err: "usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n\t  [destination] [port]\n", status: 1}
	}
	host := rest[0]
	port, err := strconv.Atoi(rest[1])
	if err != nil || port < 1 || port > 65535 {
		return result{err: fmt.Sprintf("nc: port number invalid: %s\n", rest[1]), status: 1}
	}
	proto := "tcp"
	if udp {
		proto = "udp"
	}
	state, _, resolved := sh.connect(host, port)
	if !resolved {
		return result{err: fmt.Sprintf("nc: getaddrinfo for host \"%s\" port %d: Name or service not known\n", host, port), status: 1}
	}
	if udp {
		state = "ok"
	}
	r := result{}
	switch state {
	case "ok":
		if verbose {
			r.err = fmt.Sprintf("Connection to %s %d port [%s/%s] succeeded!\n", host, port, proto, serviceName(port))
		}
		if !scan && !udp && port == SSHPort {
			r.out = sshBanner
		}
	case "refused":
		r.status = 1
		if verbose {
			r.err = fmt.Sprintf("nc: connect to %s port %d (%s) failed: Connection refused\n", host, port, proto)
		}
	default:
		r.status = 1
		switch {
		case verbose && wait:
			r.err = fmt.Sprintf("nc: connect to %s port %d (%s) timed out: Operation now in progress\n", host, port, proto)
		case verbose:
			r.err = fmt.Sprintf("nc: connect to %s port %d (%s) failed: Connection timed out\n", host, port, proto)
		}
	}
	return r
}

func serviceName(port int) string {
	switch port {
	case 22:
		return "ssh"
	case 80:
		return "http"
	case 443:
		return "https"
	case 3389:
		return "ms-wbt-server"
	}
	return "*"
}

func jitterMS(key string, spread int) int64 {
	h := fnv.New32a()
	h.Write([]byte(key))
	return int64(h.Sum32() % uint32(spread))
}
