package dataplane

import (
	"fmt"
	"strings"
)

// Shell runs Run Command scripts on a simulated Ubuntu 22.04 VM: bash's
// lists, pipelines, redirections and expansions (see shell_parse.go), and
// the commands of commands.go, with the network simulated by the World.
type Shell struct {
	w  *World
	vm *VM

	vars  map[string]string
	files map[string]string // what the script wrote to files

	status   int  // $?
	exited   bool // exit ran
	errexit  bool // set -e
	pipefail bool // set -o pipefail
	xtrace   bool // set -x
}

// result is what a command wrote and its exit status.
type result struct {
	out, err string
	status   int
}

// cmdFunc runs a command; args[0] is its name.
type cmdFunc func(sh *Shell, args []string, stdin string) result

// NewShell returns a root shell on vm, as Run Command runs scripts.
func NewShell(w *World, vm *VM) *Shell {
	return &Shell{w: w, vm: vm, files: map[string]string{}, vars: map[string]string{
		"HOME": "/root", "USER": "root", "LOGNAME": "root", "SHELL": "/bin/bash", "PWD": "/var/lib/waagent/run-command/download/0",
		"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME": vm.ComputerName,
	}}
}

// streams are where a list's output goes.
type streams struct{ out, err *strings.Builder }

// Run runs a script and returns what it wrote to stdout and stderr, and
// its exit status. A script bash cannot parse runs nothing, and reports
// bash's syntax error with status 2.
func (sh *Shell) Run(script string) (stdout, stderr string, status int) {
	items, err := parseScript(script)
	if err != nil {
		line := 1
		if se, ok := err.(*syntaxError); ok {
			line = se.line
			err = fmt.Errorf("%s", se.msg)
		}
		return "", fmt.Sprintf("bash: line %d: %v\n", line, err), 2
	}
	io := streams{out: &strings.Builder{}, err: &strings.Builder{}}
	sh.runList(items, io)
	return io.out.String(), io.err.String(), sh.status
}

func (sh *Shell) runList(items []andOr, io streams) {
	for _, a := range items {
		failed := sh.runAndOr(a, io)
		if sh.exited {
			return
		}
		if sh.errexit && failed {
			sh.exited = true
			return
		}
	}
}

// runAndOr runs a chain of pipelines; it reports whether the chain failed
// in a way set -e stops for (its last pipeline ran and failed).
func (sh *Shell) runAndOr(a andOr, io streams) bool {
	sh.status = sh.runPipeline(a.pipes[0], io)
	ranLast := len(a.pipes) == 1
	for i, op := range a.ops {
		if sh.exited {
			return false
		}
		if (op == "&&") == (sh.status == 0) {
			sh.status = sh.runPipeline(a.pipes[i+1], io)
			ranLast = i+1 == len(a.pipes)-1
		}
	}
	return ranLast && sh.status != 0 && !a.pipes[len(a.pipes)-1].negate
}

func (sh *Shell) runPipeline(pl pipeline, io streams) int {
	stdin, status, worst := "", 0, 0
	for i, c := range pl.cmds {
		var pipe strings.Builder
		out := io.out
		if i < len(pl.cmds)-1 {
			out = &pipe
		}
		status = sh.runCommand(c, stdin, streams{out: out, err: io.err})
		if status != 0 {
			worst = status
		}
		stdin = pipe.String()
		if sh.exited {
			break
		}
	}
	if sh.pipefail {
		status = worst
	}
	if pl.negate {
		if status == 0 {
			return 1
		}
		return 0
	}
	return status
}

// destination is where a descriptor writes: "pipe" (the command's
// output stream), "err" (the shell's stderr), "null", or a file.
type destination struct {
	kind, path string
}

func (sh *Shell) runCommand(c command, stdin string, io streams) int {
	var args []string
	assign := true
	var assignments [][2]string
	for _, w := range c.words {
		if assign {
			if name, value, ok := sh.assignment(w, io); ok {
				assignments = append(assignments, [2]string{name, value})
				continue
			}
			assign = false
		}
		args = append(args, sh.expand(w, io)...)
	}
	fds := map[int]destination{1: {kind: "pipe"}, 2: {kind: "err"}}
	for _, r := range c.redirs {
		target := strings.Join(sh.expand(r.target, io), " ")
		switch r.op {
		case "<":
			content, ok := sh.readFile(target)
			if !ok {
				fmt.Fprintf(io.err, "bash: line %d: %s: No such file or directory\n", c.line, target)
				return 1
			}
			stdin = content
		case ">&":
			if target == "1" || target == "2" {
				fds[r.fd] = fds[int(target[0]-'0')]
				continue
			}
			fds[1], fds[2] = sh.openFile(target, false), sh.openFile(target, true)
		case "&>":
			fds[1] = sh.openFile(target, false)
			fds[2] = destination{kind: fds[1].kind, path: fds[1].path}
		default:
			fds[r.fd] = sh.openFile(target, r.op == ">>")
		}
	}
	if len(args) == 0 {
		for _, a := range assignments {
			sh.vars[a[0]] = a[1]
		}
		return sh.status
	}
	if sh.xtrace {
		fmt.Fprintf(io.err, "+ %s\n", strings.Join(args, " "))
	}
	var res result
	if fn, ok := commands[args[0]]; ok {
		res = fn(sh, args, stdin)
	} else {
		res = result{err: fmt.Sprintf("bash: line %d: %s: command not found\n", c.line, args[0]), status: 127}
	}
	sh.write(fds[1], res.out, io)
	sh.write(fds[2], res.err, io)
	return res.status
}

// assignment recognizes NAME=value.
func (sh *Shell) assignment(w word, io streams) (string, string, bool) {
	if len(w.parts) == 0 || w.parts[0].kind != partLit || w.parts[0].quoted {
		return "", "", false
	}
	name, rest, ok := strings.Cut(w.parts[0].text, "=")
	if !ok || !validName(name) {
		return "", "", false
	}
	value := word{parts: append([]part{{kind: partLit, text: rest, quoted: true}}, w.parts[1:]...)}
	for i := range value.parts {
		value.parts[i].quoted = true // no field splitting in assignments
	}
	return name, strings.Join(sh.expand(value, io), ""), true
}

func validName(s string) bool {
	for i, c := range s {
		if !(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (i > 0 && c >= '0' && c <= '9')) {
			return false
		}
	}
	return s != ""
}

// expand turns a word into fields: variables and command substitutions
// replaced, unquoted results split on whitespace.
func (sh *Shell) expand(w word, io streams) []string {
	var fields []string
	cur, have := "", false
	for _, p := range w.parts {
		var text string
		switch p.kind {
		case partLit:
			cur, have = cur+p.text, true
			continue
		case partVar:
			text = sh.variable(p.text)
		case partSubst:
			text = sh.substitute(p.text, io)
		}
		if p.quoted {
			cur, have = cur+text, true
			continue
		}
		pieces := strings.Fields(text)
		if len(pieces) == 0 {
			continue
		}
		if strings.TrimLeft(text, " \t\n") != text && have {
			fields, cur = append(fields, cur), ""
		}
		for i, piece := range pieces {
			if i > 0 {
				fields, cur = append(fields, cur), ""
			}
			cur, have = cur+piece, true
		}
		if strings.TrimRight(text, " \t\n") != text {
			fields, cur, have = append(fields, cur), "", false
		}
	}
	if have {
		fields = append(fields, cur)
	}
	return fields
}

func (sh *Shell) variable(name string) string {
	switch name {
	case "?":
		return fmt.Sprint(sh.status)
	case "$":
		return "2342"
	case "#":
		return "0"
	case "0":
		return "bash"
	}
	return sh.vars[name]
}

// substitute runs $(…) in a subshell and returns its output without
// trailing newlines.
func (sh *Shell) substitute(script string, io streams) string {
	sub := *sh
	sub.vars = map[string]string{}
	for k, v := range sh.vars {
		sub.vars[k] = v
	}
	sub.exited = false
	items, err := parseScript(script)
	if err != nil {
		fmt.Fprintf(io.err, "bash: %v\n", err)
		sh.status = 2
		return ""
	}
	var out strings.Builder
	sub.runList(items, streams{out: &out, err: io.err})
	sh.status = sub.status
	return strings.TrimRight(out.String(), "\n")
}

func (sh *Shell) openFile(path string, appendTo bool) destination {
	if path == "/dev/null" {
		return destination{kind: "null"}
	}
	if !appendTo {
		sh.files[path] = ""
	}
	return destination{kind: "file", path: path}
}

func (sh *Shell) readFile(path string) (string, bool) {
	if path == "/dev/null" {
		return "", true
	}
	s, ok := sh.files[path]
	return s, ok
}

func (sh *Shell) write(d destination, s string, io streams) {
	switch d.kind {
	case "pipe":
		io.out.WriteString(s)
	case "err":
		io.err.WriteString(s)
	case "file":
		sh.files[d.path] += s
	}
}
