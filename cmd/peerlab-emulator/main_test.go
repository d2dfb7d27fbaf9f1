package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestCommandLine(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(nil, &out, &errb); code != 0 || !strings.Contains(out.String(), "peerlab-emulator serve --data-dir DIR") {
		t.Errorf("no arguments: %d %q", code, out.String())
	}
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"bogus"}, 2, `unknown command "bogus"`},
		{[]string{"serve"}, 2, "--data-dir is required"},
		{[]string{"serve", "--data-dir", t.TempDir(), "--profile", "slow"}, 2, `unknown profile "slow"`},
		{[]string{"serve", "--data-dir", t.TempDir(), "--addr", "0.0.0.0:0"}, 1, "not a loopback address"},
		{[]string{"env"}, 2, "--data-dir is required"},
		{[]string{"env", "--data-dir", t.TempDir()}, 1, "no emulator has run with data directory"},
	} {
		out.Reset()
		errb.Reset()
		if code := run(c.args, &out, &errb); code != c.code || !strings.Contains(errb.String(), c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errb.String(), c.code, c.msg)
		}
	}
}
