package dataplane

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The text tools lab scripts pipe ping's output through, with the options
// they use.

// lines splits text into lines, without the final newline's empty line.
func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

func joinLines(ls []string) string {
	if len(ls) == 0 {
		return ""
	}
	return strings.Join(ls, "\n") + "\n"
}

// input is a tool's input: its file arguments, or stdin.
func input(sh *Shell, name string, files []string, stdin string) (string, result) {
	if len(files) == 0 {
		return stdin, result{}
	}
	var b strings.Builder
	for _, f := range files {
		s, ok := sh.readFile(f)
		if !ok {
			return "", result{err: fmt.Sprintf("%s: %s: No such file or directory\n", name, f), status: 2}
		}
		b.WriteString(s)
	}
	return b.String(), result{}
}

// grep supports -q -i -v -c -o -E -F -w and combined flags.
func grep(sh *Shell, args []string, stdin string) result {
	var quiet, icase, invert, count, only, fixed, words bool
	var rest []string
	for _, a := range args[1:] {
		if strings.HasPrefix(a, "-") && len(a) > 1 && len(rest) == 0 {
			for _, f := range a[1:] {
				switch f {
				case 'q':
					quiet = true
				case 'i':
					icase = true
				case 'v':
					invert = true
				case 'c':
					count = true
				case 'o':
					only = true
				case 'F':
					fixed = true
				case 'w':
					words = true
				case 'E':
				default:
					return result{err: fmt.Sprintf("grep: invalid option -- '%c'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n", f), status: 2}
				}
			}
			continue
		}
		rest = append(rest, a)
	}
	if len(rest) == 0 {
		return result{err: "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n", status: 2}
	}
	pattern := rest[0]
	if fixed {
		pattern = regexp.QuoteMeta(pattern)
	}
	if words {
		pattern = `\b(?:` + pattern + `)\b`
	}
	if icase {
		pattern = "(?i)" + pattern
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return result{err: fmt.Sprintf("grep: Invalid regular expression: %s\n", rest[0]), status: 2}
	}
	text, r := input(sh, "grep", rest[1:], stdin)
	if r.status != 0 {
		return r
	}
	var out []string
	n := 0
	for _, l := range lines(text) {
		if re.MatchString(l) == invert {
			continue
		}
		n++
		if only && !invert {
			out = append(out, re.FindAllString(l, -1)...)
		} else {
			out = append(out, l)
		}
	}
	status := 0
	if n == 0 {
		status = 1
	}
	switch {
	case quiet:
		return result{status: status}
	case count:
		return result{out: fmt.Sprintf("%d\n", n), status: status}
	}
	return result{out: joinLines(out), status: status}
}

// lineCount reads -n N, -nN, -N and --lines=N; fromStart reports a +N
// count (tail -n +N: from line N on).
func lineCount(args []string, def int) (n int, files []string, fromStart bool, err error) {
	n = def
	for i := 1; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-n" && i+1 < len(args):
			i++
			a = "-n" + args[i]
			fallthrough
		case strings.HasPrefix(a, "-n"):
			fromStart = strings.HasPrefix(a[2:], "+")
			v, err := strconv.Atoi(strings.TrimPrefix(a[2:], "+"))
			if err != nil {
				return 0, nil, false, fmt.Errorf("invalid number of lines: '%s'", a[2:])
			}
			n = v
		case strings.HasPrefix(a, "--lines="):
			v, err := strconv.Atoi(strings.TrimPrefix(a, "--lines="))
			if err != nil {
				return 0, nil, false, fmt.Errorf("invalid number of lines: '%s'", a)
			}
			n = v
		case len(a) > 1 && a[0] == '-':
			v, err := strconv.Atoi(a[1:])
			if err != nil {
				return 0, nil, false, fmt.Errorf("invalid option -- '%s'", a[1:])
			}
			n = v
		default:
			files = append(files, a)
		}
	}
	return n, files, fromStart, nil
}

func head(sh *Shell, args []string, stdin string) result {
	n, files, _, err := lineCount(args, 10)
	if err != nil {
		return result{err: "head: " + err.Error() + "\n", status: 1}
	}
	text, r := input(sh, "head", files, stdin)
	if r.status != 0 {
		return r
	}
	ls := lines(text)
	if n < len(ls) {
		ls = ls[:n]
	}
	return result{out: joinLines(ls)}
}

func tail(sh *Shell, args []string, stdin string) result {
	n, files, fromStart, err := lineCount(args, 10)
	if err != nil {
		return result{err: "tail: " + err.Error() + "\n", status: 1}
	}
	text, r := input(sh, "tail", files, stdin)
	if r.status != 0 {
		return r
	}
	ls := lines(text)
	switch {
	case fromStart && n > len(ls):
		ls = nil
	case fromStart && n > 0:
		ls = ls[n-1:]
	case !fromStart && n < len(ls):
		ls = ls[len(ls)-n:]
	}
	return result{out: joinLines(ls)}
}

// wc supports -l, -w and -c; without flags it prints all three, as GNU wc
// does for stdin.
func wc(sh *Shell, args []string, stdin string) result {
	var flags string
	var files []string
	for _, a := range args[1:] {
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			flags += a[1:]
		} else {
			files = append(files, a)
		}
	}
	text, r := input(sh, "wc", files, stdin)
	if r.status != 0 {
		return r
	}
	counts := map[rune]int{'l': strings.Count(text, "\n"), 'w': len(strings.Fields(text)), 'c': len(text)}
	if flags == "" {
		return result{out: fmt.Sprintf("%7d %7d %7d\n", counts['l'], counts['w'], counts['c'])}
	}
	var out []string
	for _, f := range "lwc" {
		if strings.ContainsRune(flags, f) {
			out = append(out, strconv.Itoa(counts[f]))
		}
	}
	return result{out: strings.Join(out, " ") + "\n"}
}

// cut supports -d X -f LIST (N, N-M, N-, lists with commas).
func cut(_ *Shell, args []string, stdin string) result {
	delim, fields := "\t", ""
	for i := 1; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-d" && i+1 < len(args):
			i++
			delim = args[i]
		case strings.HasPrefix(a, "-d"):
			delim = a[2:]
		case a == "-f" && i+1 < len(args):
			i++
			fields = args[i]
		case strings.HasPrefix(a, "-f"):
			fields = a[2:]
		}
	}
	if fields == "" {
		return result{err: "cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n", status: 1}
	}
	var out []string
	for _, l := range lines(stdin) {
		if !strings.Contains(l, delim) {
			out = append(out, l)
			continue
		}
		parts := strings.Split(l, delim)
		var keep []string
		for i := range parts {
			if inFieldList(fields, i+1) {
				keep = append(keep, parts[i])
			}
		}
		out = append(out, strings.Join(keep, delim))
	}
	return result{out: joinLines(out)}
}

func inFieldList(list string, n int) bool {
	for _, item := range strings.Split(list, ",") {
		lo, hi, isRange := strings.Cut(item, "-")
		a, errA := strconv.Atoi(lo)
		if !isRange {
			if errA == nil && a == n {
				return true
			}
			continue
		}
		b, errB := strconv.Atoi(hi)
		if (errA != nil || a <= n) && (errB != nil || n <= b) {
			return true
		}
	}
	return false
}

// awkProgram matches the programs the shell's awk runs:
// [/regexp/] { print ITEM[, ITEM]… }, items being $N, NF, NR or "text".
var awkProgram = regexp.MustCompile(`^\s*(?:/((?:[^/\\]|\\.)*)/)?\s*\{\s*print\s*(.*?)\s*;?\s*\}\s*$`)

func awk(sh *Shell, args []string, stdin string) result {
	sep, prog, haveProg := "", "", false
	var files []string
	for i := 1; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-F" && i+1 < len(args):
			i++
			sep = args[i]
		case strings.HasPrefix(a, "-F"):
			sep = a[2:]
		case !haveProg:
			prog, haveProg = a, true
		default:
			files = append(files, a)
		}
	}
	stdin, r := input(sh, "awk", files, stdin)
	if r.status != 0 {
		return r
	}
	m := awkProgram.FindStringSubmatch(prog)
	if m == nil {
		return result{err: fmt.Sprintf("awk: the emulator's awk runs only '[/re/] {print $N, …}' programs, not %q\n", prog), status: 2}
	}
	var re *regexp.Regexp
	if m[1] != "" {
		var err error
		if re, err = regexp.Compile(m[1]); err != nil {
			return result{err: fmt.Sprintf("awk: bad regex %q\n", m[1]), status: 2}
		}
	}
	items := strings.Split(m[2], ",")
	var out []string
	for nr, l := range lines(stdin) {
		if re != nil && !re.MatchString(l) {
			continue
		}
		var fs []string
		if sep == "" {
			fs = strings.Fields(l)
		} else {
			fs = strings.Split(l, sep)
		}
		var vals []string
		for _, it := range items {
			vals = append(vals, awkItem(strings.TrimSpace(it), l, fs, nr+1))
		}
		out = append(out, strings.Join(vals, " "))
	}
	return result{out: joinLines(out)}
}

func awkItem(it, line string, fs []string, nr int) string {
	switch {
	case it == "" || it == "$0":
		return line
	case it == "NF":
		return strconv.Itoa(len(fs))
	case it == "NR":
		return strconv.Itoa(nr)
	case it == "$NF":
		if len(fs) == 0 {
			return ""
		}
		return fs[len(fs)-1]
	case strings.HasPrefix(it, "$"):
		n, err := strconv.Atoi(it[1:])
		if err != nil || n < 1 || n > len(fs) {
			return ""
		}
		return fs[n-1]
	case strings.HasPrefix(it, `"`) && strings.HasSuffix(it, `"`) && len(it) >= 2:
		return it[1 : len(it)-1]
	}
	return ""
}
