package dataplane

import (
	"fmt"
	"strconv"
	"strings"
)

// commands are the programs and builtins the simulated VM has; anything
// else is "command not found", as on a VM without it installed (Ubuntu
// 22.04's Azure image has no ifconfig or traceroute, for example).
var commands map[string]cmdFunc

func init() {
	commands = map[string]cmdFunc{
		"echo": echo, "printf": printf, "true": func(*Shell, []string, string) result { return result{} },
		"false": func(*Shell, []string, string) result { return result{status: 1} },
		":":     func(*Shell, []string, string) result { return result{} },
		"exit":  exit, "export": export, "set": set, "sleep": sleep, "cd": func(*Shell, []string, string) result { return result{} },
		"whoami": func(*Shell, []string, string) result { return result{out: "root\n"} },
		"uname":  uname, "sudo": prefixed(1), "timeout": prefixed(2), "cat": cat,
		"grep": grep, "head": head, "tail": tail, "wc": wc, "cut": cut, "awk": awk,
		"hostname": hostname, "ip": ipCommand, "ping": ping, "curl": curl, "nc": netcat, "netcat": netcat,
	}
}

func echo(_ *Shell, args []string, _ string) result {
	newline, escapes := true, false
	args = args[1:]
	for len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' && strings.Trim(args[0][1:], "neE") == "" {
		newline = newline && !strings.Contains(args[0], "n")
		escapes = strings.Contains(args[0], "e") || (escapes && !strings.Contains(args[0], "E"))
		args = args[1:]
	}
	s := strings.Join(args, " ")
	if escapes {
		s = unescape(s)
	}
	if newline {
		s += "\n"
	}
	return result{out: s}
}

// unescape applies the backslash escapes of echo -e and printf.
func unescape(s string) string {
	r := strings.NewReplacer(`\n`, "\n", `\t`, "\t", `\\`, `\`, `\r`, "\r", `\a`, "\a", `\e`, "\x1b", `\033`, "\x1b")
	return r.Replace(s)
}

// printf supports %s, %d, %i and %% and backslash escapes, reusing the
// format for extra arguments as bash does.
func printf(_ *Shell, args []string, _ string) result {
	if len(args) < 2 {
		return result{err: "printf: usage: printf [-v var] format [arguments]\n", status: 2}
	}
	format, rest := unescape(args[1]), args[2:]
	var b strings.Builder
	for {
		used := 0
		for i := 0; i < len(format); i++ {
			c := format[i]
			if c != '%' || i+1 == len(format) {
				b.WriteByte(c)
				continue
			}
			i++
			switch format[i] {
			case '%':
				b.WriteByte('%')
			case 's', 'd', 'i':
				v := ""
				if used < len(rest) {
					v = rest[used]
				}
				used++
				if format[i] != 's' {
					n, _ := strconv.Atoi(v)
					v = strconv.Itoa(n)
				}
				b.WriteString(v)
			default:
				b.WriteByte('%')
				b.WriteByte(format[i])
			}
		}
		if used == 0 || used >= len(rest) {
			break
		}
		rest = rest[used:]
	}
	return result{out: b.String()}
}

func exit(sh *Shell, args []string, _ string) result {
	status := sh.status
	if len(args) > 1 {
		n, err := strconv.Atoi(args[1])
		if err != nil {
			sh.exited = true
			return result{err: fmt.Sprintf("bash: exit: %s: numeric argument required\n", args[1]), status: 2}
		}
		status = n & 0xff
	}
	sh.exited = true
	return result{status: status}
}

func export(sh *Shell, args []string, _ string) result {
	for _, a := range args[1:] {
		if name, value, ok := strings.Cut(a, "="); ok && validName(name) {
			sh.vars[name] = value
		}
	}
	return result{}
}

// set handles -e, -x and -o pipefail (and their + forms).
func set(sh *Shell, args []string, _ string) result {
	for i := 1; i < len(args); i++ {
		a := args[i]
		on := strings.HasPrefix(a, "-")
		if !on && !strings.HasPrefix(a, "+") {
			continue
		}
		if a[1:] == "o" && i+1 < len(args) {
			i++
			if args[i] == "pipefail" {
				sh.pipefail = on
			}
			if args[i] == "errexit" {
				sh.errexit = on
			}
			continue
		}
		for _, f := range a[1:] {
			switch f {
			case 'e':
				sh.errexit = on
			case 'x':
				sh.xtrace = on
			}
		}
	}
	return result{}
}

// sleep returns at once: the simulation has no clock to wait for.
func sleep(_ *Shell, args []string, _ string) result {
	if len(args) < 2 {
		return result{err: "sleep: missing operand\nTry 'sleep --help' for more information.\n", status: 1}
	}
	return result{}
}

func uname(sh *Shell, args []string, _ string) result {
	fields := map[byte]string{'s': "Linux", 'n': sh.vm.ComputerName, 'r': "6.5.0-1025-azure", 'm': "x86_64", 'o': "GNU/Linux"}
	if len(args) == 1 {
		return result{out: "Linux\n"}
	}
	var out []string
	for _, a := range args[1:] {
		if a == "-a" {
			return result{out: fmt.Sprintf("Linux %s 6.5.0-1025-azure #26~22.04.1-Ubuntu SMP Thu Jul 11 22:33:04 UTC 2024 x86_64 x86_64 x86_64 GNU/Linux\n", sh.vm.ComputerName)}
		}
		for i := 1; i < len(a); i++ {
			if v, ok := fields[a[i]]; ok {
				out = append(out, v)
			}
		}
	}
	return result{out: strings.Join(out, " ") + "\n"}
}

// prefixed runs the command after skip words (sudo CMD, timeout N CMD).
func prefixed(skip int) cmdFunc {
	return func(sh *Shell, args []string, stdin string) result {
		for len(args) > 1 && strings.HasPrefix(args[1], "-") {
			args = append(args[:1:1], args[2:]...) // options such as sudo -E
		}
		if len(args) <= skip {
			return result{err: fmt.Sprintf("usage: %s command\n", args[0]), status: 1}
		}
		inner := args[skip:]
		fn, ok := commands[inner[0]]
		if !ok {
			return result{err: fmt.Sprintf("%s: %s: command not found\n", args[0], inner[0]), status: 127}
		}
		return fn(sh, inner, stdin)
	}
}

func cat(sh *Shell, args []string, stdin string) result {
	if len(args) == 1 {
		return result{out: stdin}
	}
	var r result
	for _, f := range args[1:] {
		if f == "-" {
			r.out += stdin
			continue
		}
		s, ok := sh.readFile(f)
		if !ok {
			r.err += fmt.Sprintf("cat: %s: No such file or directory\n", f)
			r.status = 1
			continue
		}
		r.out += s
	}
	return r
}
