package test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gruntwork-io/terratest/modules/random"
	"github.com/gruntwork-io/terratest/modules/retry"
	"github.com/gruntwork-io/terratest/modules/ssh"

	"github.com/peerlab/terraform-provider-peerlab/internal/labcli"
)

// uniqueName gives each run its own names, so runs never collide in a
// shared subscription.
func uniqueName(prefix string) string { return prefix + "-" + strings.ToLower(random.UniqueID()) }

// sshPublicKey is a fresh key for the VMs; the tls provider is not in the
// offline mirror, so the key is made here and passed as a variable.
func sshPublicKey(t *testing.T) string {
	t.Helper()
	return strings.TrimSpace(ssh.GenerateRSAKeyPair(t, 2048).PublicKey)
}

// requirePingLoss pings addr from a VM through Run Command until the loss
// is wantLoss percent (0: reachable, 100: not), retrying for eventual
// changes; it returns the last output.
func (tg *target) requirePingLoss(t *testing.T, group, fromVM, toVM, addr string, wantLoss float64) string {
	t.Helper()
	desc := fmt.Sprintf("ping %s (%s) from %s, want %g%% loss", toVM, addr, fromVM, wantLoss)
	return retry.DoWithRetry(t, desc, tg.retries, tg.pause, func() (string, error) {
		out, err := tg.lab.RunShell(t.Context(), group, fromVM, labcli.PingScript(addr, 4))
		if err != nil {
			return "", err
		}
		stats, err := labcli.ParsePing(out.Stdout)
		if err != nil {
			return "", fmt.Errorf("%v\nstderr: %s", err, out.Stderr)
		}
		if stats.LossPercent != wantLoss {
			return "", fmt.Errorf("%s lost %g%% of its pings to %s, want %g%%:\n%s", fromVM, stats.LossPercent, addr, wantLoss, out.Stdout)
		}
		t.Logf("%s -> %s (%s): %d transmitted, %d received, %g%% loss", fromVM, toVM, addr, stats.Transmitted, stats.Received, stats.LossPercent)
		return out.Stdout, nil
	})
}

// requireConnected waits until both links of a peering ("<a>|<b>") are
// Connected.
func (tg *target) requireConnected(t *testing.T, peeringID string) {
	t.Helper()
	ids := strings.Split(peeringID, "|")
	if len(ids) != 2 {
		t.Fatalf("%q is not a peering pair ID (<a link ID>|<b link ID>)", peeringID)
	}
	for _, id := range ids {
		retry.DoWithRetry(t, "link "+id+" Connected", tg.retries, tg.pause, func() (string, error) {
			state, err := tg.lab.PeeringState(t.Context(), id)
			if err != nil {
				return "", err
			}
			if state != "Connected" {
				return "", fmt.Errorf("link %s is %s, want Connected", id, state)
			}
			return state, nil
		})
	}
}

// requireRoute checks that a NIC's effective routes send prefix to
// nextHop.
func (tg *target) requireRoute(t *testing.T, group, nic, prefix, nextHop string) {
	t.Helper()
	retry.DoWithRetry(t, fmt.Sprintf("%s routes %s via %s", nic, prefix, nextHop), tg.retries, tg.pause, func() (string, error) {
		rs, err := tg.lab.EffectiveRoutes(t.Context(), group, nic)
		if err != nil {
			return "", err
		}
		routes := labcli.Routes(rs)
		r, ok := labcli.FindRoute(routes, prefix)
		if !ok || r.NextHopType != nextHop {
			return "", fmt.Errorf("%s has no active route to %s via %s:\n%s", nic, prefix, nextHop, labcli.FormatRoutes(routes))
		}
		return "", nil
	})
}
