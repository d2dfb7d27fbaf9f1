package dataplane

import (
	"strings"
	"testing"
)

func TestLexerCountsLinesAcrossQuotesAndContinuations(t *testing.T) {
	toks, err := lex("echo 'a\nb' \\\n  c\nfoo")
	if err != nil {
		t.Fatal(err)
	}
	var words []string
	var lines []int
	for _, tk := range toks {
		if tk.kind == tokWord {
			s, _ := tk.word.literal()
			words, lines = append(words, s), append(lines, tk.line)
		}
	}
	if len(words) != 4 || words[1] != "a\nb" || words[2] != "c" || lines[3] != 4 {
		t.Errorf("words %q on lines %v, want echo, a\\nb, c and foo on line 4", words, lines)
	}
}

func TestLexerRedirectionsNeedNoSpaces(t *testing.T) {
	toks, err := lex("cmd>out 2>>err <in 2>&1")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tk := range toks {
		switch tk.kind {
		case tokRedir:
			got = append(got, string(rune('0'+tk.fd))+tk.op)
		case tokWord:
			s, _ := tk.word.literal()
			got = append(got, s)
		}
	}
	want := "cmd 1> out 2>> err 0< in 2>& 1"
	if s := strings.Join(got, " "); s != want {
		t.Errorf("tokens %q, want %q", s, want)
	}
}
