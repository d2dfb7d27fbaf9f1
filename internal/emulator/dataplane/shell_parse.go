package dataplane

import "fmt"

// The shell's grammar, bash's for what it covers:
//
//	list     := andOr ((";" | "&" | newline) andOr)*
//	andOr    := pipeline (("&&" | "||") newline* pipeline)*
//	pipeline := ["!"] command ("|" newline* command)*
//	command  := (word | redirection)+
//
// Control structures (if, for, while, case, functions, subshells) are not
// part of it; the shell says so rather than guess.

// redirect is one redirection of a command.
type redirect struct {
	op     string // ">", ">>", "<", ">&", "&>"
	fd     int
	target word
}

type command struct {
	words  []word
	redirs []redirect
	line   int
}

type pipeline struct {
	negate bool
	cmds   []command
}

// andOr is a chain of pipelines joined by && and ||; ops[i] joins
// pipes[i] and pipes[i+1].
type andOr struct {
	pipes []pipeline
	ops   []string
}

// unsupported are the reserved words of bash's compound commands.
var unsupported = map[string]bool{
	"if": true, "then": true, "else": true, "elif": true, "fi": true, "for": true, "while": true, "until": true,
	"do": true, "done": true, "case": true, "esac": true, "function": true, "select": true, "{": true, "}": true, "[[": true,
}

type parser struct {
	toks []token
	pos  int
}

// parseScript parses a whole script.
func parseScript(src string) ([]andOr, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	return p.list()
}

func (p *parser) peek() token { return p.toks[p.pos] }

func (p *parser) advance() token {
	t := p.toks[p.pos]
	if t.kind != tokEOF {
		p.pos++
	}
	return t
}

func (p *parser) unexpected(t token) error {
	what := t.op
	switch t.kind {
	case tokNewline:
		what = "newline"
	case tokEOF:
		return &syntaxError{t.line, "syntax error: unexpected end of file"}
	case tokWord:
		what, _ = t.word.literal()
	}
	return &syntaxError{t.line, fmt.Sprintf("syntax error near unexpected token `%s'", what)}
}

func (p *parser) list() ([]andOr, error) {
	var out []andOr
	for {
		for t := p.peek(); t.kind == tokNewline || (t.kind == tokOp && t.op == ";" && len(out) > 0); t = p.peek() {
			p.advance()
		}
		if p.peek().kind == tokEOF {
			return out, nil
		}
		a, err := p.andOr()
		if err != nil {
			return nil, err
		}
		out = append(out, a)
		switch t := p.peek(); {
		case t.kind == tokEOF:
			return out, nil
		case t.kind == tokNewline || (t.kind == tokOp && (t.op == ";" || t.op == "&")):
			p.advance()
		default:
			return nil, p.unexpected(t)
		}
	}
}

func (p *parser) andOr() (andOr, error) {
	var a andOr
	pl, err := p.pipeline()
	if err != nil {
		return a, err
	}
	a.pipes = append(a.pipes, pl)
	for t := p.peek(); t.kind == tokOp && (t.op == "&&" || t.op == "||"); t = p.peek() {
		p.advance()
		for p.peek().kind == tokNewline {
			p.advance()
		}
		pl, err := p.pipeline()
		if err != nil {
			return a, err
		}
		a.ops = append(a.ops, t.op)
		a.pipes = append(a.pipes, pl)
	}
	return a, nil
}

func (p *parser) pipeline() (pipeline, error) {
	var pl pipeline
	if t := p.peek(); t.kind == tokOp && t.op == "!" {
		p.advance()
		pl.negate = true
	}
	for {
		c, err := p.command()
		if err != nil {
			return pl, err
		}
		pl.cmds = append(pl.cmds, c)
		if t := p.peek(); t.kind != tokOp || t.op != "|" {
			return pl, nil
		}
		p.advance()
		for p.peek().kind == tokNewline {
			p.advance()
		}
	}
}

func (p *parser) command() (command, error) {
	c := command{line: p.peek().line}
	for {
		t := p.peek()
		switch t.kind {
		case tokWord:
			if s, ok := t.word.literal(); ok && len(c.words) == 0 && unsupported[s] && !t.word.parts[0].quoted {
				return c, &syntaxError{t.line, fmt.Sprintf("'%s' (compound commands are not simulated by the emulator's shell: use ;, &&, || and |)", s)}
			}
			p.advance()
			c.words = append(c.words, t.word)
		case tokRedir:
			p.advance()
			target := p.advance()
			if target.kind != tokWord {
				return c, p.unexpected(target)
			}
			c.redirs = append(c.redirs, redirect{op: t.op, fd: t.fd, target: target.word})
		default:
			if len(c.words) == 0 && len(c.redirs) == 0 {
				return c, p.unexpected(t)
			}
			return c, nil
		}
	}
}
