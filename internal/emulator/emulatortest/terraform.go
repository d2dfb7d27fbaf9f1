package emulatortest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
)

// AzurermVersion is the azurerm build scripts/tools.sh places in the
// mirror.
const AzurermVersion = "5.2.0"

const makeTools = "run `make tools` in the repository root: it builds the azurerm provider into a mirror " +
	"outside the repository (once, about 15 minutes on 2 cores) and writes bin/terraformrc; `make test` runs it first"

// ToolChain is the offline Terraform tool chain of this checkout: the real
// terraform binary and the CLI configuration `make tools` writes.
type ToolChain struct {
	Repo      string
	Terraform string
	CLIConfig string
	rc        string
}

// RequireToolChain finds the tool chain or fails the test saying what to
// do: these tests never skip and never fetch a provider.
func RequireToolChain(t *testing.T) *ToolChain {
	t.Helper()
	tc := &ToolChain{Repo: RepoRoot(t)}
	tc.Terraform = os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tc.Terraform == "" {
		p, err := exec.LookPath("terraform")
		if err != nil {
			t.Fatalf("terraform is not on PATH and TF_ACC_TERRAFORM_PATH is not set: install Terraform 1.11, then %s", makeTools)
		}
		tc.Terraform = p
	}
	tc.CLIConfig = filepath.Join(tc.Repo, "bin", "terraformrc")
	b, err := os.ReadFile(tc.CLIConfig)
	if err != nil {
		t.Fatalf("the Terraform CLI configuration %s cannot be read (%v): %s", tc.CLIConfig, err, makeTools)
	}
	tc.rc = string(b)
	if !tc.hasAzurerm() {
		t.Fatalf("no filesystem_mirror named in %s holds azurerm %s for %s_%s: %s", tc.CLIConfig, AzurermVersion, runtime.GOOS, runtime.GOARCH, makeTools)
	}
	return tc
}

// RepoRoot walks up from the test's directory to this module's go.mod.
func RepoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.Contains(string(b), "module github.com/peerlab/terraform-provider-peerlab\n") {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("the repository root (go.mod of github.com/peerlab/terraform-provider-peerlab) is not above the test's working directory")
		}
		dir = parent
	}
}

var mirrorPath = regexp.MustCompile(`(?s)filesystem_mirror\s*\{[^}]*?path\s*=\s*"([^"]+)"`)

func (tc *ToolChain) hasAzurerm() bool {
	for _, m := range mirrorPath.FindAllStringSubmatch(tc.rc, -1) {
		found, _ := filepath.Glob(filepath.Join(m[1], "*", "hashicorp", "azurerm", AzurermVersion, runtime.GOOS+"_"+runtime.GOARCH, "terraform-provider-azurerm_v"+AzurermVersion))
		for _, f := range found {
			if st, err := os.Stat(f); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
				return true
			}
		}
	}
	return false
}

// TerraformDir is a working directory with the terraform command line
// bound to it: the real binary, the offline CLI configuration, a HOME of
// its own, an explicit environment (the caller's PATH only), and the
// emulator's settings.
type TerraformDir struct {
	t   *testing.T
	tc  *ToolChain
	Dir string
	env []string
	log string
}

// NewTerraformDir copies the files of src (when not empty) into a temporary
// directory and points terraform at the emulator e (when not nil).
func (tc *ToolChain) NewTerraformDir(t *testing.T, src string, e *emulator.Emulator) *TerraformDir {
	t.Helper()
	dir := t.TempDir()
	var entries []os.DirEntry
	if src != "" {
		var err error
		if entries, err = os.ReadDir(src); err != nil {
			t.Fatal(err)
		}
	}
	for _, en := range entries {
		if en.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, en.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, en.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "TF_CLI_CONFIG_FILE=" + tc.CLIConfig,
		"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0"}
	if e != nil {
		for _, v := range e.Env() {
			env = append(env, v.Name+"="+v.Value)
		}
	}
	return &TerraformDir{t: t, tc: tc, Dir: dir, env: env}
}

// Run runs terraform and returns its exit code and output; every run logs
// at DEBUG level to a file that failures quote.
func (d *TerraformDir) Run(args ...string) (int, string) {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(d.t.Context(), 15*time.Minute)
	defer cancel()
	d.log = filepath.Join(d.Dir, "terraform-"+args[0]+".log")
	cmd := exec.CommandContext(ctx, d.tc.Terraform, append(args, "-no-color")...)
	cmd.Dir = d.Dir
	cmd.Env = append(append([]string{}, d.env...), "TF_LOG=DEBUG", "TF_LOG_PATH="+d.log)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String()
	case errors.As(err, &exit) && ctx.Err() == nil:
		return exit.ExitCode(), out.String()
	}
	d.t.Fatalf("terraform %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), d.LogTail())
	return -1, ""
}

// Must runs terraform and fails the test unless it exits 0.
func (d *TerraformDir) Must(args ...string) string {
	d.t.Helper()
	code, out := d.Run(args...)
	if code != 0 {
		d.t.Fatalf("terraform %s exited %d:\n%s%s", strings.Join(args, " "), code, out, d.LogTail())
	}
	return out
}

// LogTail quotes the calls and errors at the end of the last TF_LOG.
func (d *TerraformDir) LogTail() string {
	b, err := os.ReadFile(d.log)
	if err != nil {
		return ""
	}
	var keep []string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.Contains(line, "HTTP Request") || strings.Contains(line, "HTTP Response") ||
			strings.Contains(line, "[ERROR]") || strings.Contains(line, "[WARN]") || strings.Contains(line, "Error") {
			if len(line) > 400 {
				line = line[:400] + "…"
			}
			keep = append(keep, line)
		}
	}
	if len(keep) > 60 {
		keep = keep[len(keep)-60:]
	}
	return "\nlast calls and errors in TF_LOG:\n" + strings.Join(keep, "\n")
}

// State maps each resource address in the state to its attributes.
func (d *TerraformDir) State() map[string]map[string]any {
	d.t.Helper()
	var s struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string         `json:"address"`
					Values  map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	out := d.Must("show", "-json")
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		d.t.Fatalf("terraform show -json: %v\n%s", err, out)
	}
	m := map[string]map[string]any{}
	for _, r := range s.Values.RootModule.Resources {
		m[r.Address] = r.Values
	}
	return m
}

// Timed runs fn and logs how long it took: a measurement, never asserted.
func Timed(t *testing.T, what string, fn func()) {
	t.Helper()
	start := time.Now()
	fn()
	t.Logf("%s took %s", what, time.Since(start).Round(100*time.Millisecond))
}
