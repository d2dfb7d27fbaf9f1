package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources/v3"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
)

// The two ways to peer two existing VNets both ways, as users write them.
const azurermWay = `terraform {
  required_providers {
    azurerm = { source = "hashicorp/azurerm", version = "5.2.0" }
  }
}
provider "azurerm" {
  features {}
  resource_provider_registrations = "none"
}
variable "a" { type = string }
variable "b" { type = string }
resource "azurerm_virtual_network_peering" "a_to_b" {
  name                      = "hub-to-spoke"
  resource_group_name       = "bench"
  virtual_network_name      = "hub"
  remote_virtual_network_id = var.b
  allow_forwarded_traffic   = true
}
resource "azurerm_virtual_network_peering" "b_to_a" {
  name                      = "spoke-to-hub"
  resource_group_name       = "bench"
  virtual_network_name      = "spoke"
  remote_virtual_network_id = var.a
  allow_forwarded_traffic   = true
}
`

const peerlabWay = `terraform {
  required_providers {
    peerlab = { source = "peerlab/peerlab" }
  }
}
variable "a" { type = string }
variable "b" { type = string }
resource "peerlab_bidirectional_peering" "pair" {
  a = {
    virtual_network_id      = var.a
    name                    = "hub-to-spoke"
    allow_forwarded_traffic = true
  }
  b = {
    virtual_network_id      = var.b
    name                    = "spoke-to-hub"
    allow_forwarded_traffic = true
  }
}
`

// peeringBench applies, re-plans and destroys one VNet peering both ways
// against the emulator, the azurerm way (two links) and the peerlab way (one
// resource), in the same run: wall time and ARM calls, with ratios.
func peeringBench(r *report) error {
	repo, err := os.Getwd()
	if err != nil {
		return err
	}
	rc := filepath.Join(repo, "bin", "terraformrc")
	if _, err := os.Stat(rc); err != nil {
		return fmt.Errorf("%s is missing: run `make tools build` (make bench does)", rc)
	}
	tf, err := exec.LookPath("terraform")
	if err != nil {
		return fmt.Errorf("terraform is not on PATH: install Terraform 1.11")
	}
	e, err := emulator.Start(emulator.Options{})
	if err != nil {
		return err
	}
	defer e.Close()
	a, b, err := benchVNets(e)
	if err != nil {
		return err
	}
	type result struct{ apply, plan, destroy step }
	ways := []struct {
		name, config string
		res          result
	}{{"azurerm", azurermWay, result{}}, {"peerlab", peerlabWay, result{}}}
	for i := range ways {
		w := &ways[i]
		dir, err := os.MkdirTemp("", "peerlab-bench-"+w.name+"-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(w.config), 0o644); err != nil {
			return err
		}
		run := func(args ...string) (step, error) {
			return runTerraform(e, tf, rc, dir, append(args, "-input=false", "-no-color", "-var", "a="+a, "-var", "b="+b)...)
		}
		if _, err := runTerraform(e, tf, rc, dir, "init", "-input=false", "-no-color"); err != nil {
			return err
		}
		if w.res.apply, err = run("apply", "-auto-approve"); err != nil {
			return err
		}
		if w.res.plan, err = run("plan", "-detailed-exitcode"); err != nil {
			return err
		}
		if w.res.destroy, err = run("destroy", "-auto-approve"); err != nil {
			return err
		}
	}
	az, pl := ways[0].res, ways[1].res
	for _, s := range []struct {
		what   string
		az, pl step
	}{{"create a peering both ways (apply)", az.apply, pl.apply}, {"plan after apply (refresh)", az.plan, pl.plan}, {"destroy", az.destroy, pl.destroy}} {
		r.add("peering", s.what+": wall time, azurerm / peerlab (fast profile)", fmtDur(s.az.took)+" / "+fmtDur(s.pl.took),
			fmt.Sprintf("peerlab takes %.2f× azurerm's time", s.pl.took.Seconds()/s.az.took.Seconds()))
		r.add("peering", s.what+": ARM calls, azurerm / peerlab (fast profile)", fmt.Sprintf("%d / %d", s.az.calls, s.pl.calls),
			fmt.Sprintf("peerlab makes %.2f× azurerm's calls", float64(s.pl.calls)/float64(s.az.calls)))
	}
	return nil
}

type step struct {
	took  time.Duration
	calls int
}

// runTerraform runs the real terraform against the emulator and counts the
// ARM calls the emulator served meanwhile.
func runTerraform(e *emulator.Emulator, tf, rc, dir string, args ...string) (step, error) {
	before, err := requestCount(e)
	if err != nil {
		return step{}, err
	}
	cmd := exec.Command(tf, args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "TF_CLI_CONFIG_FILE=" + rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1"}
	for _, v := range e.Env() {
		cmd.Env = append(cmd.Env, v.Name+"="+v.Value)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return step{}, fmt.Errorf("terraform %s in %s: %v\n%s", args[0], dir, err, out.String())
	}
	took := time.Since(start)
	after, err := requestCount(e)
	return step{took: took, calls: after - before}, err
}

func requestCount(e *emulator.Emulator) (int, error) {
	req, _ := http.NewRequest(http.MethodGet, e.URL+"/_emulator/requests", nil)
	req.Header.Set("Authorization", "Bearer "+e.AdminKey())
	resp, err := e.HTTPClient().Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var entries []json.RawMessage
	if err := json.Unmarshal(b, &entries); err != nil {
		return 0, fmt.Errorf("request log: %v: %s", err, strings.TrimSpace(string(b)))
	}
	return len(entries), nil
}

// benchVNets creates the resource group and two VNets to peer.
func benchVNets(e *emulator.Emulator) (string, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sub := e.Credentials().SubscriptionID
	cred, err := e.Credential("", "", "")
	if err != nil {
		return "", "", err
	}
	rg, _ := armresources.NewResourceGroupsClient(sub, cred, e.ClientOptions())
	if _, err := rg.CreateOrUpdate(ctx, "bench", armresources.ResourceGroup{Location: to.Ptr("eastus")}, nil); err != nil {
		return "", "", err
	}
	vnets, _ := armnetwork.NewVirtualNetworksClient(sub, cred, e.ClientOptions())
	var ids []string
	for name, cidr := range map[string]string{"hub": "10.0.0.0/16", "spoke": "10.1.0.0/16"} {
		p, err := vnets.BeginCreateOrUpdate(ctx, "bench", name, armnetwork.VirtualNetwork{Location: to.Ptr("eastus"),
			Properties: &armnetwork.VirtualNetworkPropertiesFormat{AddressSpace: &armnetwork.AddressSpace{AddressPrefixes: []*string{to.Ptr(cidr)}}}}, nil)
		if err != nil {
			return "", "", err
		}
		v, err := p.PollUntilDone(ctx, &runtime.PollUntilDoneOptions{Frequency: time.Second})
		if err != nil {
			return "", "", err
		}
		ids = append(ids, *v.ID)
	}
	if strings.HasSuffix(ids[0], "/spoke") {
		ids[0], ids[1] = ids[1], ids[0]
	}
	return ids[0], ids[1], nil
}
