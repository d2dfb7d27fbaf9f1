package dataplane

import (
	"fmt"
	"strings"
	"testing"
)

// render prints a parsed script compactly: items separated by " ; ",
// pipelines by && / ||, commands by |, words in brackets with their parts.
func render(items []andOr) string {
	var out []string
	for _, a := range items {
		var b strings.Builder
		for i, p := range a.pipes {
			if i > 0 {
				b.WriteString(" " + a.ops[i-1] + " ")
			}
			if p.negate {
				b.WriteString("! ")
			}
			for j, c := range p.cmds {
				if j > 0 {
					b.WriteString(" | ")
				}
				var ws []string
				for _, w := range c.words {
					ws = append(ws, renderWord(w))
				}
				for _, r := range c.redirs {
					ws = append(ws, fmt.Sprintf("%d%s%s", r.fd, r.op, renderWord(r.target)))
				}
				fmt.Fprintf(&b, "(%s)@%d", strings.Join(ws, " "), c.line)
			}
		}
		out = append(out, b.String())
	}
	return strings.Join(out, " ; ")
}

func renderWord(w word) string {
	var s string
	for _, p := range w.parts {
		switch p.kind {
		case partLit:
			if p.quoted {
				s += "'" + p.text + "'"
			} else {
				s += p.text
			}
		case partVar:
			s += "${" + p.text + "}"
		case partSubst:
			s += "$(" + p.text + ")"
		}
	}
	return "[" + s + "]"
}

func TestParseListsPipelinesAndRedirections(t *testing.T) {
	cases := map[string]string{
		"ping -c 4 10.0.0.4 && echo ok || echo fail": "([ping] [-c] [4] [10.0.0.4])@1 && ([echo] [ok])@1 || ([echo] [fail])@1",
		"hostname; hostname -I\nip route":            "([hostname])@1 ; ([hostname] [-I])@1 ; ([ip] [route])@2",
		"ping -c 1 x | tail -1 | awk '{print $4}'":   "([ping] [-c] [1] [x])@1 | ([tail] [-1])@1 | ([awk] ['{print $4}'])@1",
		"ping x > /dev/null 2>&1":                    "([ping] [x] 1>[/dev/null] 2>&[1])@1",
		"echo err >&2; cat < f &> out":               "([echo] [err] 1>&[2])@1 ; ([cat] 0<[f] 1&>[out])@1",
		"! false":                                    "! ([false])@1",
		"# comment only\n\necho a # trailing":        "([echo] [a])@3",
		"echo \"v=$V $(hostname)\" '$V' \\$V":        "([echo] ['v='${V}' '$(hostname)] ['$V'] ['$'V])@1",
		"X=1 Y=\"a b\"\necho ${X}$?":                 "([X=1] [Y='a b'])@1 ; ([echo] [${X}${?}])@2",
		"a &&\n b |\n c":                             "([a])@1 && ([b])@2 | ([c])@3",
		"echo `hostname`":                            "([echo] [$(hostname)])@1",
	}
	for src, want := range cases {
		items, err := parseScript(src)
		if err != nil {
			t.Errorf("parse %q: %v", src, err)
			continue
		}
		if got := render(items); got != want {
			t.Errorf("parse %q:\n got %s\nwant %s", src, got, want)
		}
	}
}

func TestParseErrorsAsBashReportsThem(t *testing.T) {
	cases := map[string]string{
		"&& echo":                "line 1: syntax error near unexpected token `&&'",
		"echo a |":               "line 1: syntax error: unexpected end of file",
		"echo ok\necho 'x":       "line 2: unexpected EOF while looking for matching `''",
		"echo \"$(hostname":      "line 1: unexpected EOF while looking for matching `)'",
		"ls >":                   "line 1: syntax error: unexpected end of file",
		"if true; then echo; fi": "line 1: 'if' (compound commands are not simulated by the emulator's shell: use ;, &&, || and |)",
	}
	for src, want := range cases {
		_, err := parseScript(src)
		if err == nil || err.Error() != want {
			t.Errorf("parse %q: error %v, want %q", src, err, want)
		}
	}
}
