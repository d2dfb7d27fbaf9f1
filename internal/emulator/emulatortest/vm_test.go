package emulatortest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder stands in for testing.T where a failure is the expected result.
type recorder struct{ failed string }

func (r *recorder) Helper() {}
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
}

func TestSplitOutputCutsTheRunCommandMessage(t *testing.T) {
	out, errOut := SplitOutput(t, "Enable succeeded: \n[stdout]\nhello\n\n[stderr]\noops\n")
	if out != "hello\n" || errOut != "oops\n" {
		t.Errorf("SplitOutput = %q, %q", out, errOut)
	}
	for _, bad := range []string{"Enable failed: \n[stdout]\n\n[stderr]\n", "Enable succeeded: \n[stdout]\nno stderr section"} {
		r := &recorder{}
		SplitOutput(r, bad)
		if r.failed == "" {
			t.Errorf("SplitOutput accepted %q", bad)
		}
	}
}

func TestVMBodyIsALinuxVMWithItsNICsFirstPrimary(t *testing.T) {
	b := VMBody("eastus", "/nic1", "/nic2")
	nics := b.Properties.NetworkProfile.NetworkInterfaces
	if len(nics) != 2 || !*nics[0].Properties.Primary || *nics[1].Properties.Primary {
		t.Errorf("NICs %v: want /nic1 primary, /nic2 not", nics)
	}
	if k := *b.Properties.OSProfile.LinuxConfiguration.SSH.PublicKeys[0].KeyData; !strings.HasPrefix(k, "ssh-rsa AAAAB3NzaC1yc2E") {
		t.Errorf("the test key %q is not an RSA public key", k)
	}
}

func TestRepoRootFindsThisModule(t *testing.T) {
	root := RepoRoot(t)
	if _, err := os.Stat(filepath.Join(root, "internal", "emulator", "emulatortest", "vm.go")); err != nil {
		t.Errorf("RepoRoot = %s, which does not hold this package: %v", root, err)
	}
}
