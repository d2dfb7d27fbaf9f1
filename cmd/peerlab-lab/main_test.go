package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 0, "Usage:"},
		{[]string{"nope"}, 2, `unknown command "nope"`},
		{[]string{"run", "--vm", "MainVM", "ping"}, 2, "--group is required"},
		{[]string{"run", "--group", "g", "--vm", "v"}, 2, "give the script"},
		{[]string{"routes", "--group", "g"}, 2, "--nic is required"},
		{[]string{"verify"}, 2, "--outputs is required"},
		{[]string{"keygen"}, 2, "give one file name"},
	} {
		var out, errOut bytes.Buffer
		code := run(t.Context(), tc.args, strings.NewReader(""), &out, &errOut)
		if code != tc.code || !strings.Contains(out.String()+errOut.String(), tc.want) {
			t.Errorf("peerlab-lab %q: exit %d, output %q; want exit %d and %q", tc.args, code, out.String()+errOut.String(), tc.code, tc.want)
		}
	}
}

func TestVerifyRefusesOutputsOfAnotherConfiguration(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(t.Context(), []string{"verify", "--outputs", "-"}, strings.NewReader(`{"x": {"value": 1}}`), &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "examples/lab") {
		t.Errorf("exit %d, stderr %q; want 1 and a message naming examples/lab", code, errOut.String())
	}
}

func TestKeygenWritesAPairOnceAndKeepsIt(t *testing.T) {
	file := filepath.Join(t.TempDir(), "lab", "id_rsa")
	var out bytes.Buffer
	if code := run(t.Context(), []string{"keygen", file}, nil, &out, &out); code != 0 {
		t.Fatalf("keygen: exit %d: %s", code, out.String())
	}
	pub, err := os.ReadFile(file + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, _, err := ssh.ParseAuthorizedKey(pub); err != nil || !strings.HasPrefix(string(pub), "ssh-rsa ") {
		t.Errorf("the public key %q does not parse as an ssh-rsa key: %v", pub, err)
	}
	priv, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ssh.ParsePrivateKey(priv); err != nil {
		t.Errorf("the private key does not parse: %v", err)
	}
	if st, _ := os.Stat(file); st.Mode().Perm() != 0o600 {
		t.Errorf("the private key has mode %v, want 0600", st.Mode().Perm())
	}
	out.Reset()
	run(t.Context(), []string{"keygen", file}, nil, &out, &out)
	again, _ := os.ReadFile(file + ".pub")
	if !bytes.Equal(again, pub) || !strings.Contains(out.String(), "keeping") {
		t.Errorf("a second keygen replaced the pair (%q)", out.String())
	}
}
