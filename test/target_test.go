// Package test holds the Terratest suites: the real terraform, the real
// azurerm provider and the built peerlab provider apply the examples, and
// the official Azure SDK clients check the result. By default each suite
// starts its own emulator in-process; with PEERLAB_TEST_TARGET=azure and
// the ARM_* variables set they run against real Azure. See README.md.
package test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources"
	azureHelpers "github.com/gruntwork-io/terratest/modules/azure"
	"github.com/gruntwork-io/terratest/modules/terraform"
	test_structure "github.com/gruntwork-io/terratest/modules/test-structure"

	"github.com/peerlab/terraform-provider-peerlab/internal/azure"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
	"github.com/peerlab/terraform-provider-peerlab/internal/labcli"
)

// TargetEnv names the variable that picks where the suites run.
const TargetEnv = "PEERLAB_TEST_TARGET"

// target is where a suite's Terraform runs and what its checks talk to:
// an in-process emulator, or real Azure.
type target struct {
	kind string // "emulator" or "azure"
	emu  *emulator.Emulator
	// env is what terraform gets on top of the process environment.
	env       map[string]string
	terraform string

	subscriptionID string
	cred           azcore.TokenCredential
	opts           *arm.ClientOptions
	lab            *labcli.Clients

	// Eventual checks: how often and how long to try again.
	retries int
	pause   time.Duration
}

// toolChain is the offline tool chain `make tools build` leaves in bin/.
type toolChain struct{ repo, terraform, cliConfig string }

// requireToolChain fails (never skips) when a piece is missing, saying
// what to run.
func requireToolChain(t *testing.T) toolChain {
	t.Helper()
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	tc := toolChain{repo: repo, cliConfig: filepath.Join(repo, "bin", "terraformrc")}
	for _, f := range []string{tc.cliConfig, filepath.Join(repo, "bin", "terraform-provider-peerlab")} {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("%s is missing: run `make tools build` in %s first (the azurerm mirror is built once, about 15 minutes on 2 cores; `make test` does it for you)", f, repo)
		}
	}
	tc.terraform = os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tc.terraform == "" {
		if tc.terraform, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("terraform is not on PATH and TF_ACC_TERRAFORM_PATH is not set: install Terraform 1.11")
		}
	}
	return tc
}

// targetKind reads PEERLAB_TEST_TARGET: emulator (the default) or azure.
func targetKind(lookup func(string) (string, bool)) (string, error) {
	v, _ := lookup(TargetEnv)
	switch k := strings.ToLower(strings.TrimSpace(v)); k {
	case "", "emulator":
		return "emulator", nil
	case "azure":
		return "azure", nil
	default:
		return "", fmt.Errorf("%s=%q: use emulator (the default) or azure", TargetEnv, v)
	}
}

// newTarget starts an emulator whose data lives in workDir (so that a
// stage run alone finds the resources of the stages before it), or signs
// in to real Azure.
func newTarget(t *testing.T, workDir string) *target {
	t.Helper()
	tc := requireToolChain(t)
	kind, err := targetKind(os.LookupEnv)
	if err != nil {
		t.Fatal(err)
	}
	tg := &target{kind: kind, terraform: tc.terraform, env: map[string]string{
		"TF_CLI_CONFIG_FILE": tc.cliConfig,
		"CHECKPOINT_DISABLE": "1",
		"TF_IN_AUTOMATION":   "1",
		// A shell that sourced .lab/env must not point the suites at the lab.
		"TF_DATA_DIR": "",
	}}
	if kind == "azure" {
		tg.signInToAzure(t)
	} else {
		tg.startEmulator(t, filepath.Join(workDir, ".test-data", "emulator"))
	}
	if tg.lab, err = labcli.New(tg.subscriptionID, tg.cred, tg.opts); err != nil {
		t.Fatal(err)
	}
	if tg.emu != nil {
		tg.lab.Poll = 100 * time.Millisecond
	}
	return tg
}

// inheritedARM are settings a developer's shell may hold that would send
// terraform elsewhere than the emulator; they are blanked for it.
var inheritedARM = []string{
	"ARM_ENVIRONMENT", "ARM_CLIENT_CERTIFICATE_PATH", "ARM_CLIENT_CERTIFICATE_PASSWORD",
	"ARM_USE_OIDC", "ARM_OIDC_TOKEN", "ARM_OIDC_TOKEN_FILE_PATH", "ARM_OIDC_REQUEST_URL", "ARM_OIDC_REQUEST_TOKEN",
	"ARM_USE_MSI", "ARM_AUXILIARY_TENANT_IDS",
}

func (tg *target) startEmulator(t *testing.T, dataDir string) {
	t.Helper()
	e, err := emulator.Start(emulator.Options{DataDir: dataDir})
	if err != nil {
		t.Fatalf("starting the emulator in %s: %v", dataDir, err)
	}
	t.Cleanup(func() { _ = e.Close() })
	tg.emu = e
	for _, name := range inheritedARM {
		tg.env[name] = ""
	}
	for _, v := range e.Env() {
		tg.env[v.Name] = v.Value
	}
	tg.subscriptionID = e.Credentials().SubscriptionID
	if tg.cred, err = e.Credential("", "", ""); err != nil {
		t.Fatal(err)
	}
	tg.opts = e.ClientOptions()
	tg.retries, tg.pause = 5, time.Second
}

// azureCloud is the cloud the ARM_* variables name: ARM_METADATA_HOSTNAME's
// metadata document when set, else ARM_ENVIRONMENT's (default public).
func azureCloud(ctx context.Context, lookup func(string) (string, bool)) (cloud.Configuration, error) {
	host, _ := lookup("ARM_METADATA_HOSTNAME")
	env, _ := lookup("ARM_ENVIRONMENT")
	return azure.ResolveCloud(ctx, azure.Config{MetadataHost: strings.TrimSpace(host), Environment: strings.TrimSpace(env)}, nil)
}

func (tg *target) signInToAzure(t *testing.T) {
	t.Helper()
	tg.subscriptionID = os.Getenv("ARM_SUBSCRIPTION_ID")
	if tg.subscriptionID == "" {
		t.Fatalf("%s=azure needs ARM_SUBSCRIPTION_ID (and a sign-in: ARM_TENANT_ID, ARM_CLIENT_ID, ARM_CLIENT_SECRET, or `az login`)", TargetEnv)
	}
	cl, err := azureCloud(t.Context(), os.LookupEnv)
	if err != nil {
		t.Fatal(err)
	}
	base := policy.ClientOptions{Cloud: cl}
	noDiscovery := !azure.IsKnownCloud(cl)
	tenant := os.Getenv("ARM_TENANT_ID")
	var chain []azcore.TokenCredential
	// terraform signs in with ARM_*; the SDK's default chain reads AZURE_*
	// (or the Azure CLI), so the ARM_* service principal goes first.
	if id, secret := os.Getenv("ARM_CLIENT_ID"), os.Getenv("ARM_CLIENT_SECRET"); tenant != "" && id != "" && secret != "" {
		c, err := azidentity.NewClientSecretCredential(tenant, id, secret, &azidentity.ClientSecretCredentialOptions{ClientOptions: base, DisableInstanceDiscovery: noDiscovery})
		if err != nil {
			t.Fatal(err)
		}
		chain = append(chain, c)
	}
	def, err := azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{ClientOptions: base, TenantID: tenant, DisableInstanceDiscovery: noDiscovery})
	if err != nil {
		t.Fatalf("signing in to Azure: %v", err)
	}
	if tg.cred, err = azidentity.NewChainedTokenCredential(append(chain, def), nil); err != nil {
		t.Fatal(err)
	}
	tg.opts = &arm.ClientOptions{ClientOptions: base}
	// Run Command takes half a minute or more on a real VM.
	tg.retries, tg.pause = 10, 20*time.Second
}

// options are terraform's options for a working directory; saved with the
// stage data, and given this run's environment when loaded again (an
// emulator's port changes from run to run).
func (tg *target) options(dir string, vars map[string]any) *terraform.Options {
	return &terraform.Options{TerraformDir: dir, TerraformBinary: tg.terraform, Vars: vars, EnvVars: tg.env, NoColor: true}
}

// save keeps opts for later stages without their environment: Terratest
// logs what it saves, and the environment holds the client secret. load
// puts this run's environment back.
func (tg *target) save(t *testing.T, dir string, opts *terraform.Options) {
	t.Helper()
	o := *opts
	o.EnvVars = nil
	test_structure.SaveTerraformOptions(t, dir, &o)
}

func (tg *target) load(t *testing.T, dir string) *terraform.Options {
	t.Helper()
	o := test_structure.LoadTerraformOptions(t, dir)
	o.EnvVars, o.TerraformBinary = tg.env, tg.terraform
	return o
}

// workDir copies the repository's example folder to a temporary tree
// (modules/ comes along for relative sources) and removes it once the test
// has passed. With a SKIP_<stage> variable set, Terratest works in the
// example folder itself so that stages can be rerun one at a time.
func workDir(t *testing.T, example string) string {
	t.Helper()
	dir, err := filepath.Abs(test_structure.CopyTerraformFolderToTemp(t, "..", example))
	if err != nil {
		t.Fatal(err)
	}
	if !test_structure.SkipStageEnvVarSet() {
		// <temp>/<test name><random>/<repository>/<example>: remove it all.
		root := filepath.Dir(strings.TrimSuffix(dir, string(filepath.Separator)+filepath.FromSlash(example)))
		t.Cleanup(func() {
			if !t.Failed() {
				os.RemoveAll(root)
			} else {
				t.Logf("kept the working copy %s", root)
			}
		})
	}
	return dir
}

// resourceGroupGone asks ARM (with Terratest's helper) that a group no
// longer exists.
func (tg *target) resourceGroupGone(t *testing.T, name string) {
	t.Helper()
	client, err := armresources.NewResourceGroupsClient(tg.subscriptionID, tg.cred, tg.opts)
	if err != nil {
		t.Fatal(err)
	}
	_, err = azureHelpers.GetAResourceGroupWithClient(t.Context(), client, name)
	var re *azcore.ResponseError
	if !errors.As(err, &re) || re.StatusCode != http.StatusNotFound {
		t.Errorf("resource group %s still exists after destroy (GET answered %v)", name, err)
	}
}

// vmsClient is the VM client Terratest's compute helpers take.
func (tg *target) vmsClient(t *testing.T) *armcompute.VirtualMachinesClient {
	t.Helper()
	c, err := armcompute.NewVirtualMachinesClient(tg.subscriptionID, tg.cred, tg.opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// emulatorCalls lists the ARM calls the emulator has served (nil against
// Azure, where nobody can see them).
func (tg *target) emulatorCalls(t *testing.T) []emulator.RequestEntry {
	t.Helper()
	if tg.emu == nil {
		return nil
	}
	var calls []emulator.RequestEntry
	tg.admin(t, http.MethodGet, "/_emulator/requests", &calls)
	return calls
}

// emulatorResources lists every resource ID the emulator holds.
func (tg *target) emulatorResources(t *testing.T) []string {
	t.Helper()
	var ids []string
	tg.admin(t, http.MethodGet, "/_emulator/resources", &ids)
	return ids
}

func (tg *target) admin(t *testing.T, method, path string, out any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, tg.emu.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tg.emu.AdminKey())
	resp, err := tg.emu.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || json.Unmarshal(b, out) != nil {
		t.Fatalf("%s %s: %s\n%s", method, path, resp.Status, b)
	}
}

// writes are the calls that change something (PUT, PATCH, DELETE).
func writes(calls []emulator.RequestEntry) []string {
	var out []string
	for _, c := range calls {
		switch c.Method {
		case http.MethodPut, http.MethodPatch, http.MethodDelete:
			out = append(out, fmt.Sprintf("%s %s -> %d", c.Method, c.Path, c.Status))
		}
	}
	return out
}
