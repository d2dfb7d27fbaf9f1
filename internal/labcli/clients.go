// Package labcli is what the lab needs from Azure beyond Terraform: Run
// Command on a VM, a NIC's effective routes and a peering link's state,
// with the official SDK clients. The same code serves real Azure and the
// peerlab emulator; cmd/peerlab-lab and the Terratest suites use it.
package labcli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
)

// Clients are the SDK clients of one subscription.
type Clients struct {
	SubscriptionID string
	VMs            *armcompute.VirtualMachinesClient
	NICs           *armnetwork.InterfacesClient
	Peerings       *armnetwork.VirtualNetworkPeeringsClient
	// Poll is how often long-running operations are polled when the
	// server does not say (Retry-After wins when it asks for longer).
	Poll time.Duration
}

// New builds the clients of a subscription around a credential and client
// options (the cloud, the transport).
func New(subscriptionID string, cred azcore.TokenCredential, opts *arm.ClientOptions) (*Clients, error) {
	if strings.TrimSpace(subscriptionID) == "" {
		return nil, errors.New("no subscription ID: set ARM_SUBSCRIPTION_ID")
	}
	vms, err := armcompute.NewVirtualMachinesClient(subscriptionID, cred, opts)
	if err != nil {
		return nil, err
	}
	nics, err := armnetwork.NewInterfacesClient(subscriptionID, cred, opts)
	if err != nil {
		return nil, err
	}
	peerings, err := armnetwork.NewVirtualNetworkPeeringsClient(subscriptionID, cred, opts)
	if err != nil {
		return nil, err
	}
	return &Clients{SubscriptionID: subscriptionID, VMs: vms, NICs: nics, Peerings: peerings, Poll: 2 * time.Second}, nil
}

func (c *Clients) poll() *runtime.PollUntilDoneOptions {
	return &runtime.PollUntilDoneOptions{Frequency: c.Poll}
}

// Output is what a RunShellScript Run Command printed.
type Output struct {
	Stdout, Stderr string
	// Message is the whole instance-view message, as Azure returns it.
	Message string
}

// RunShell runs a shell script on a Linux VM through Run Command
// (RunShellScript) and waits for its output.
func (c *Clients) RunShell(ctx context.Context, group, vm string, script ...string) (Output, error) {
	in := armcompute.RunCommandInput{CommandID: to.Ptr("RunShellScript"), Script: to.SliceOfPtrs(script...)}
	p, err := c.VMs.BeginRunCommand(ctx, group, vm, in, nil)
	if err != nil {
		return Output{}, fmt.Errorf("Run Command on VM %q in resource group %q: %w", vm, group, err)
	}
	r, err := p.PollUntilDone(ctx, c.poll())
	if err != nil {
		return Output{}, fmt.Errorf("Run Command on VM %q in resource group %q: %w", vm, group, err)
	}
	var msgs []string
	for _, s := range r.Value {
		if s != nil && s.Message != nil {
			msgs = append(msgs, *s.Message)
		}
	}
	if len(msgs) == 0 {
		return Output{}, fmt.Errorf("Run Command on VM %q in resource group %q returned no message", vm, group)
	}
	msg := strings.Join(msgs, "\n")
	out, errOut := SplitMessage(msg)
	return Output{Stdout: out, Stderr: errOut, Message: msg}, nil
}

// SplitMessage cuts stdout and stderr out of a RunShellScript message,
// "Enable succeeded: \n[stdout]\n…\n[stderr]\n…". A message of another
// shape comes back whole as stdout.
func SplitMessage(msg string) (stdout, stderr string) {
	_, body, ok := strings.Cut(msg, "[stdout]\n")
	if !ok {
		return msg, ""
	}
	out, errOut, _ := strings.Cut(body, "[stderr]\n")
	return strings.TrimSuffix(out, "\n"), errOut
}

// EffectiveRoutes returns the effective routes of a network interface.
func (c *Clients) EffectiveRoutes(ctx context.Context, group, nic string) ([]*armnetwork.EffectiveRoute, error) {
	p, err := c.NICs.BeginGetEffectiveRouteTable(ctx, group, nic, nil)
	if err != nil {
		return nil, fmt.Errorf("effective routes of network interface %q in resource group %q: %w", nic, group, err)
	}
	r, err := p.PollUntilDone(ctx, c.poll())
	if err != nil {
		return nil, fmt.Errorf("effective routes of network interface %q in resource group %q: %w", nic, group, err)
	}
	return r.Value, nil
}

// PeeringState reads one link's peering state (Initiated, Connected,
// Disconnected), or "Missing" when the link does not exist.
func (c *Clients) PeeringState(ctx context.Context, linkID string) (string, error) {
	id, err := arm.ParseResourceID(linkID)
	if err != nil || !strings.EqualFold(id.ResourceType.String(), "Microsoft.Network/virtualNetworks/virtualNetworkPeerings") {
		return "", fmt.Errorf("%q is not a peering link ID (…/virtualNetworks/VNET/virtualNetworkPeerings/NAME)", linkID)
	}
	r, err := c.Peerings.Get(ctx, id.ResourceGroupName, id.Parent.Name, id.Name, nil)
	var re *azcore.ResponseError
	if errors.As(err, &re) && re.StatusCode == 404 {
		return "Missing", nil
	}
	if err != nil {
		return "", fmt.Errorf("reading peering link %s: %w", linkID, err)
	}
	if r.Properties == nil || r.Properties.PeeringState == nil {
		return "", fmt.Errorf("peering link %s has no peeringState", linkID)
	}
	return string(*r.Properties.PeeringState), nil
}
