package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/peerlab/terraform-provider-peerlab/internal/azure"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/peering"
)

// accEmulator is the emulator every acceptance test of this package talks
// to; TestMain starts it when TF_ACC is set.
var accEmulator *emulator.Emulator

// TestMain starts the emulator once and exports its settings (ARM_*,
// SSL_CERT_FILE) before anything in the process makes an HTTPS call: Go
// reads SSL_CERT_FILE once, on first use of the system pool.
func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	if os.Getenv("TF_ACC") == "" {
		return m.Run()
	}
	emu, err := emulator.Start(emulator.Options{})
	if err != nil {
		fmt.Fprintf(os.Stderr, "acceptance tests: starting the emulator: %v\n", err)
		return 1
	}
	defer emu.Close()
	for _, v := range emu.Env() {
		os.Setenv(v.Name, v.Value)
	}
	// The in-process provider answers for peerlab/peerlab, the source the
	// test configurations name.
	os.Setenv("TF_ACC_PROVIDER_NAMESPACE", "peerlab")
	accEmulator = emu
	return m.Run()
}

// accPreCheck fails, never skips, an acceptance test that cannot run.
func accPreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Fatal("acceptance test: TF_ACC is not set. Run `make testacc` or `make test` (they set TF_ACC=1 and TF_ACC_TERRAFORM_PATH), or set both yourself.")
	}
	if os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		t.Fatal("acceptance test: TF_ACC_TERRAFORM_PATH is not set, and the tests never download Terraform. Run `make testacc`, or set TF_ACC_TERRAFORM_PATH to the terraform binary (such as /usr/local/bin/terraform).")
	}
	if accEmulator == nil {
		t.Fatal("acceptance test: the emulator is not running (TestMain starts it when TF_ACC is set)")
	}
}

// accProviders serves the provider in-process, with the engine's waits
// shortened for the emulator's fast profile.
func accProviders() map[string]func() (tfprotov6.ProviderServer, error) {
	p := &peerlabProvider{version: "acc", lookup: azure.EnvLookup, engineOptions: peering.Options{
		PollFrequency: 200 * time.Millisecond,
		WaitInterval:  200 * time.Millisecond,
		Backoff:       peering.ExponentialBackoff(200*time.Millisecond, 2*time.Second),
	}}
	return map[string]func() (tfprotov6.ProviderServer, error){
		"peerlab": providerserver.NewProtocol6WithError(p),
	}
}

// accConfig is a root module: the provider block (with extra settings) and body.
func accConfig(providerSettings, body string) string {
	return `terraform {
  required_providers {
    peerlab = { source = "peerlab/peerlab" }
  }
}

provider "peerlab" {
` + providerSettings + `
}

` + body
}

// startRealisticEmulator starts a second emulator with the realistic
// profile (operations take Azure's times, scaled down) for one test. It
// shares the first one's certificate authority, which SSL_CERT_FILE
// already trusts.
func startRealisticEmulator(t *testing.T) *emulator.Emulator {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{emulator.FileCA, emulator.FileCAKey} {
		b, err := os.ReadFile(filepath.Join(accEmulator.DataDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	emu, err := emulator.Start(emulator.Options{DataDir: dir, Profile: arm.RealisticProfile(0.02)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { emu.Close() })
	return emu
}

// adminDo calls the shared emulator's test-control API.
func adminDo(t *testing.T, method, path string, body any) []byte {
	t.Helper()
	return adminDoOn(t, accEmulator, method, path, body)
}

// adminDoOn calls an emulator's test-control API.
func adminDoOn(t *testing.T, emu *emulator.Emulator, method, path string, body any) []byte {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, err := http.NewRequest(method, emu.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+emu.AdminKey())
	req.Header.Set("Content-Type", "application/json")
	resp, err := emu.HTTPClient().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var out bytes.Buffer
	_, _ = out.ReadFrom(resp.Body)
	if resp.StatusCode >= 300 {
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, out.String())
	}
	return out.Bytes()
}

// fault makes the next count calls that match method and the path regexp
// fail with an ARM error.
func fault(t *testing.T, method, pathRE string, count, status int, code string, retryAfter int) {
	t.Helper()
	f := map[string]any{"method": method, "path": pathRE, "count": count, "status": status, "code": code,
		"message": "Injected by the acceptance test " + t.Name() + "."}
	if retryAfter > 0 {
		f["retryAfter"] = retryAfter
	}
	adminDo(t, http.MethodPost, "/_emulator/faults", f)
}

// calls counts the ARM calls served so far with that method whose path
// contains each of parts (case-insensitively), by status.
func calls(t *testing.T, method string, parts ...string) map[int]int {
	t.Helper()
	return callsOn(t, accEmulator, method, parts...)
}

// callsOn is calls on a given emulator.
func callsOn(t *testing.T, emu *emulator.Emulator, method string, parts ...string) map[int]int {
	t.Helper()
	var entries []emulator.RequestEntry
	if err := json.Unmarshal(adminDoOn(t, emu, http.MethodGet, "/_emulator/requests", nil), &entries); err != nil {
		t.Fatal(err)
	}
	out := map[int]int{}
	for _, e := range entries {
		if e.Method != method {
			continue
		}
		match := true
		for _, p := range parts {
			match = match && strings.Contains(strings.ToLower(e.Path), strings.ToLower(p))
		}
		if match {
			out[e.Status]++
		}
	}
	return out
}

// accContext bounds the fixture's own calls.
func accContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}
