package dataplane

import (
	"fmt"
	"strings"
)

// The shell's lexer turns a script into words and operators as bash does
// for the subset lab scripts use: quotes ('…', "…", \x), $VAR, ${VAR},
// $?, $(…) and `…`, comments, the operators ; & && || | ! and newlines,
// and redirections (>, >>, <, 2>, 2>&1, &>, >&2).

type partKind int

const (
	partLit   partKind = iota // literal text
	partVar                   // $NAME, ${NAME}, $?
	partSubst                 // $(…) or `…`: text is the inner script
)

// part is a piece of a word; quoted parts are not field-split.
type part struct {
	kind   partKind
	text   string
	quoted bool
}

// word is a shell word before expansion.
type word struct{ parts []part }

// literal is the word's text if it has no expansions (quotes removed).
func (w word) literal() (string, bool) {
	var b strings.Builder
	for _, p := range w.parts {
		if p.kind != partLit {
			return "", false
		}
		b.WriteString(p.text)
	}
	return b.String(), true
}

type tokKind int

const (
	tokWord  tokKind = iota
	tokOp            // ; & && || | ! ( )
	tokRedir         // a redirection operator, with its fd
	tokNewline
	tokEOF
)

type token struct {
	kind tokKind
	op   string // operator or redirection (">", ">>", "<", ">&", "&>")
	fd   int    // the redirected descriptor (1 or 2; 0 for <)
	word word
	line int
}

// syntaxError is bash's message for a script it cannot parse.
type syntaxError struct {
	line int
	msg  string
}

func (e *syntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

type lexer struct {
	src  []rune
	pos  int
	line int
}

func lex(src string) ([]token, error) {
	l := &lexer{src: []rune(src), line: 1}
	var out []token
	for {
		t, err := l.next()
		if err != nil {
			return nil, err
		}
		out = append(out, t)
		if t.kind == tokEOF {
			return out, nil
		}
	}
}

func (l *lexer) peek(off int) rune {
	if l.pos+off < len(l.src) {
		return l.src[l.pos+off]
	}
	return 0
}

func (l *lexer) next() (token, error) {
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			l.pos++
		case c == '\\' && l.peek(1) == '\n':
			l.pos += 2
			l.line++
		case c == '#':
			for l.pos < len(l.src) && l.src[l.pos] != '\n' {
				l.pos++
			}
		default:
			return l.token()
		}
	}
	return token{kind: tokEOF, line: l.line}, nil
}

func (l *lexer) token() (token, error) {
	c, line := l.src[l.pos], l.line
	two := string(c) + string(l.peek(1))
	switch {
	case c == '\n':
		l.pos++
		l.line++
		return token{kind: tokNewline, line: line}, nil
	case two == "&&" || two == "||":
		l.pos += 2
		return token{kind: tokOp, op: two, line: line}, nil
	case two == "&>":
		l.pos += 2
		return token{kind: tokRedir, op: "&>", fd: 1, line: line}, nil
	case c == ';' || c == '&' || c == '|' || c == '(' || c == ')':
		l.pos++
		return token{kind: tokOp, op: string(c), line: line}, nil
	case c == '!' && (l.peek(1) == ' ' || l.peek(1) == '\t'):
		l.pos++
		return token{kind: tokOp, op: "!", line: line}, nil
	case c == '>' || c == '<' || (c >= '0' && c <= '9' && (l.peek(1) == '>' || l.peek(1) == '<')):
		return l.redirection(line), nil
	}
	w, err := l.word()
	return token{kind: tokWord, word: w, line: line}, err
}

func (l *lexer) redirection(line int) token {
	fd := 1
	if c := l.src[l.pos]; c >= '0' && c <= '9' {
		fd = int(c - '0')
		l.pos++
	}
	c := l.src[l.pos]
	l.pos++
	switch {
	case c == '<':
		return token{kind: tokRedir, op: "<", fd: 0, line: line}
	case l.peek(0) == '>':
		l.pos++
		return token{kind: tokRedir, op: ">>", fd: fd, line: line}
	case l.peek(0) == '&':
		l.pos++
		return token{kind: tokRedir, op: ">&", fd: fd, line: line}
	}
	return token{kind: tokRedir, op: ">", fd: fd, line: line}
}

// find is the index of the first r at or after from, or -1.
func (l *lexer) find(from int, r rune) int {
	for i := from; i < len(l.src); i++ {
		if l.src[i] == r {
			return i
		}
	}
	return -1
}

func isMeta(c rune) bool {
	return strings.ContainsRune(" \t\r\n;&|()<>", c)
}

// word reads one word, quotes and expansions included.
func (l *lexer) word() (word, error) {
	var w word
	var lit strings.Builder
	flush := func(quoted bool) {
		if lit.Len() > 0 {
			w.parts = append(w.parts, part{kind: partLit, text: lit.String(), quoted: quoted})
			lit.Reset()
		}
	}
	for l.pos < len(l.src) && !isMeta(l.src[l.pos]) {
		c := l.src[l.pos]
		switch c {
		case '\\':
			flush(false)
			if l.pos+1 < len(l.src) {
				lit.WriteRune(l.src[l.pos+1])
				l.pos += 2
			} else {
				l.pos++
			}
			flush(true)
		case '\'':
			flush(false)
			end := l.find(l.pos+1, '\'')
			if end < 0 {
				return w, &syntaxError{l.line, "unexpected EOF while looking for matching `''"}
			}
			text := string(l.src[l.pos+1 : end])
			l.line += strings.Count(text, "\n")
			w.parts = append(w.parts, part{kind: partLit, text: text, quoted: true})
			l.pos = end + 1
		case '"':
			flush(false)
			if err := l.doubleQuoted(&w); err != nil {
				return w, err
			}
		case '$', '`':
			flush(false)
			p, err := l.expansion(false)
			if err != nil {
				return w, err
			}
			w.parts = append(w.parts, p)
		default:
			lit.WriteRune(c)
			l.pos++
		}
	}
	flush(false)
	return w, nil
}

// doubleQuoted reads "…" into quoted parts.
func (l *lexer) doubleQuoted(w *word) error {
	start := l.line
	l.pos++ // opening quote
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			w.parts = append(w.parts, part{kind: partLit, text: lit.String(), quoted: true})
			lit.Reset()
		}
	}
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == '"':
			l.pos++
			flush()
			if len(w.parts) == 0 {
				w.parts = append(w.parts, part{kind: partLit, quoted: true})
			}
			return nil
		case c == '\\' && strings.ContainsRune("$`\"\\\n", l.peek(1)):
			if l.peek(1) != '\n' {
				lit.WriteRune(l.peek(1))
			}
			l.pos += 2
		case c == '$' || c == '`':
			flush()
			p, err := l.expansion(true)
			if err != nil {
				return err
			}
			w.parts = append(w.parts, p)
		default:
			if c == '\n' {
				l.line++
			}
			lit.WriteRune(c)
			l.pos++
		}
	}
	return &syntaxError{start, "unexpected EOF while looking for matching `\"'"}
}

// expansion reads $NAME, ${NAME}, $?, $(…) or `…` at l.pos.
func (l *lexer) expansion(quoted bool) (part, error) {
	if l.src[l.pos] == '`' {
		end := l.find(l.pos+1, '`')
		if end < 0 {
			return part{}, &syntaxError{l.line, "unexpected EOF while looking for matching ``'"}
		}
		inner := string(l.src[l.pos+1 : end])
		l.pos = end + 1
		return part{kind: partSubst, text: inner, quoted: quoted}, nil
	}
	l.pos++ // $
	switch c := l.peek(0); {
	case c == '(':
		depth, i := 1, l.pos+1
		for ; i < len(l.src) && depth > 0; i++ {
			switch l.src[i] {
			case '(':
				depth++
			case ')':
				depth--
			case '\'':
				for i++; i < len(l.src) && l.src[i] != '\''; i++ {
				}
			}
		}
		if depth > 0 {
			return part{}, &syntaxError{l.line, "unexpected EOF while looking for matching `)'"}
		}
		inner := string(l.src[l.pos+1 : i-1])
		l.line += strings.Count(inner, "\n")
		l.pos = i
		return part{kind: partSubst, text: inner, quoted: quoted}, nil
	case c == '{':
		end := l.find(l.pos, '}')
		if end < 0 {
			return part{}, &syntaxError{l.line, "unexpected EOF while looking for matching `}'"}
		}
		name := string(l.src[l.pos+1 : end])
		l.pos = end + 1
		return part{kind: partVar, text: name, quoted: quoted}, nil
	case c == '?' || c == '$' || c == '#' || (c >= '0' && c <= '9'):
		l.pos++
		return part{kind: partVar, text: string(c), quoted: quoted}, nil
	case c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'):
		start := l.pos
		for l.pos < len(l.src) && (l.src[l.pos] == '_' || (l.src[l.pos] >= 'A' && l.src[l.pos] <= 'Z') || (l.src[l.pos] >= 'a' && l.src[l.pos] <= 'z') || (l.src[l.pos] >= '0' && l.src[l.pos] <= '9')) {
			l.pos++
		}
		return part{kind: partVar, text: string(l.src[start:l.pos]), quoted: quoted}, nil
	}
	return part{kind: partLit, text: "$", quoted: quoted}, nil
}
