package emulator_test

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
)

// The azurerm build that scripts/tools.sh places in the mirror.
const azurermVersion = "5.2.0"

// toolChain is the offline Terraform tool chain of this checkout: the real
// terraform binary and the CLI configuration that `make tools` writes.
type toolChain struct {
	repo      string // the repository root
	terraform string // the terraform binary
	cliConfig string // bin/terraformrc
	rc        string // its text
}

const makeTools = "run `make tools` in the repository root: it builds the azurerm provider into a mirror " +
	"outside the repository (once, about 15 minutes on 2 cores) and writes bin/terraformrc; `make test` runs it first"

// requireToolChain finds the tool chain, or fails the test with what to
// do: these tests never skip, and they never fetch a provider.
func requireToolChain(t *testing.T) *toolChain {
	t.Helper()
	repo := repoRoot(t)
	tc := &toolChain{repo: repo}
	tc.terraform = os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tc.terraform == "" {
		p, err := exec.LookPath("terraform")
		if err != nil {
			t.Fatalf("terraform is not on PATH and TF_ACC_TERRAFORM_PATH is not set: install Terraform 1.11, then %s", makeTools)
		}
		tc.terraform = p
	}
	// Always this checkout's configuration, whatever TF_CLI_CONFIG_FILE the
	// caller's shell holds (the Makefile exports the same path).
	tc.cliConfig = filepath.Join(repo, "bin", "terraformrc")
	b, err := os.ReadFile(tc.cliConfig)
	if err != nil {
		t.Fatalf("the Terraform CLI configuration %s cannot be read (%v): %s", tc.cliConfig, err, makeTools)
	}
	tc.rc = string(b)
	if tc.azurermBinary() == "" {
		t.Fatalf("no filesystem_mirror named in %s holds azurerm %s for %s_%s: %s",
			tc.cliConfig, azurermVersion, runtime.GOOS, runtime.GOARCH, makeTools)
	}
	return tc
}

// repoRoot walks up from the test's working directory to this module's
// go.mod.
func repoRoot(t *testing.T) string {
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

// mirrors lists the filesystem_mirror paths of the CLI configuration.
func (tc *toolChain) mirrors() []string {
	var out []string
	for _, m := range mirrorPath.FindAllStringSubmatch(tc.rc, -1) {
		out = append(out, m[1])
	}
	return out
}

// azurermBinary is the azurerm executable in one of the mirrors, or "".
// The host directory is whatever terraform calls its default registry.
func (tc *toolChain) azurermBinary() string {
	for _, m := range tc.mirrors() {
		pattern := filepath.Join(m, "*", "hashicorp", "azurerm", azurermVersion, runtime.GOOS+"_"+runtime.GOARCH, "terraform-provider-azurerm_v"+azurermVersion)
		found, _ := filepath.Glob(pattern)
		for _, f := range found {
			if st, err := os.Stat(f); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
				return f
			}
		}
	}
	return ""
}

// terraformDir is one working directory with the terraform command line
// bound to it: the real binary, the offline CLI configuration, a HOME of
// its own, and an explicit environment (nothing of the caller's but PATH).
type terraformDir struct {
	t   *testing.T
	tc  *toolChain
	dir string
	env []string
	log string // TF_LOG output of the last command
}

// newTerraformDir copies the files of src (if any) into a temporary
// directory; extra are NAME=VALUE settings added to the environment.
func (tc *toolChain) newTerraformDir(t *testing.T, src string, extra []string) *terraformDir {
	t.Helper()
	dir := t.TempDir()
	if src != "" {
		entries, err := os.ReadDir(src)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			b, err := os.ReadFile(filepath.Join(src, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + t.TempDir(),
		"TF_CLI_CONFIG_FILE=" + tc.cliConfig,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
	}
	return &terraformDir{t: t, tc: tc, dir: dir, env: append(env, extra...)}
}

// writeFile writes a file into the working directory.
func (d *terraformDir) writeFile(name, text string) {
	d.t.Helper()
	if err := os.WriteFile(filepath.Join(d.dir, name), []byte(text), 0o644); err != nil {
		d.t.Fatal(err)
	}
}

// run runs terraform with args and returns its exit code and output.
// Every run logs at DEBUG level (every HTTP call the providers make) to a
// file that failures quote.
func (d *terraformDir) run(args ...string) (int, string) {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(d.t.Context(), 15*time.Minute)
	defer cancel()
	d.log = filepath.Join(d.dir, "terraform-"+args[0]+".log")
	cmd := exec.CommandContext(ctx, d.tc.terraform, append(args, "-no-color")...)
	cmd.Dir = d.dir
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
	d.t.Fatalf("terraform %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), d.logTail())
	return -1, ""
}

// must runs terraform and fails the test unless it exits 0.
func (d *terraformDir) must(args ...string) string {
	d.t.Helper()
	code, out := d.run(args...)
	if code != 0 {
		d.t.Fatalf("terraform %s exited %d:\n%s%s", strings.Join(args, " "), code, out, d.logTail())
	}
	return out
}

// logLine picks, from a TF_LOG, the providers' HTTP calls (request and
// status lines), ARM error bodies and errors.
var logLine = regexp.MustCompile(`: (GET|PUT|POST|PATCH|DELETE|HEAD) /\S* HTTP/|: HTTP/[0-9.]+ [0-9]{3}|"error"\s*:|\[ERROR\]`)

// logTail quotes the last calls and errors of the last TF_LOG, for a
// failure message.
func (d *terraformDir) logTail() string {
	b, err := os.ReadFile(d.log)
	if err != nil {
		return ""
	}
	var keep []string
	for _, line := range strings.Split(string(b), "\n") {
		if !logLine.MatchString(line) {
			continue
		}
		if len(line) > 400 {
			line = line[:400] + "…"
		}
		keep = append(keep, line)
	}
	if len(keep) > 60 {
		keep = keep[len(keep)-60:]
	}
	return "\nlast calls and errors in TF_LOG:\n" + strings.Join(keep, "\n")
}

// TestToolChainInitsAzurermAndPeerlabOffline checks what `make tools`
// promises: bin/terraformrc serves peerlab from this checkout's bin/ and
// azurerm from the mirror, and `terraform init` resolves a configuration
// that needs both with no network.
func TestToolChainInitsAzurermAndPeerlabOffline(t *testing.T) {
	tc := requireToolChain(t)
	override := regexp.MustCompile(`(?s)dev_overrides\s*\{[^}]*"peerlab/peerlab"\s*=\s*"([^"]+)"`).FindStringSubmatch(tc.rc)
	if override == nil {
		t.Fatalf("%s has no dev_overrides entry for peerlab/peerlab: %s", tc.cliConfig, makeTools)
	}
	if want := filepath.Join(tc.repo, "bin"); filepath.Clean(override[1]) != want {
		t.Errorf("dev_overrides serves peerlab/peerlab from %s, want this checkout's %s", override[1], want)
	}

	d := tc.newTerraformDir(t, "", nil)
	d.writeFile("main.tf", `terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "`+azurermVersion+`"
    }
    peerlab = {
      source = "peerlab/peerlab"
    }
  }
}
`)
	out := d.must("init", "-input=false")
	if !strings.Contains(out, "Installed hashicorp/azurerm v"+azurermVersion) {
		t.Errorf("terraform init did not install azurerm %s from the mirror:\n%s", azurermVersion, out)
	}
	out = d.must("version", "-json")
	var v struct {
		Selections map[string]string `json:"provider_selections"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("terraform version -json: %v\n%s", err, out)
	}
	got := map[string]string{}
	for addr, ver := range v.Selections {
		got[addr[strings.Index(addr, "/")+1:]] = ver // drop the host
	}
	if got["hashicorp/azurerm"] != azurermVersion || got["peerlab/peerlab"] == "" {
		t.Errorf("provider selections after init = %v, want hashicorp/azurerm %s and peerlab/peerlab", v.Selections, azurermVersion)
	}
}
