// Package peering is the engine behind peerlab_bidirectional_peering: one
// bidirectional VNet peering handled as a pair of ARM links. It validates,
// creates both links atomically (rolling back on failure), reads and
// classifies each side's health, updates in place, repairs only the broken
// side, resyncs address spaces, deletes, and discovers pairs to import. It
// knows Azure and nothing of Terraform.
package peering

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
)

// Clients gives the ARM clients of one subscription. internal/azure
// implements it; each VNet's subscription comes from its ID.
type Clients interface {
	Peerings(ctx context.Context, subscriptionID string) (*armnetwork.VirtualNetworkPeeringsClient, error)
	VirtualNetworks(ctx context.Context, subscriptionID string) (*armnetwork.VirtualNetworksClient, error)
}

// Options tune an Engine; zero values take the defaults noted.
type Options struct {
	// PollFrequency is how often a long-running operation is polled when
	// the server does not say (default 2s).
	PollFrequency time.Duration
	// WaitInterval is the pause between reads while waiting for both links
	// to be Connected (default 2s).
	WaitInterval time.Duration
	// Backoff is the wait before a retry the server gave no Retry-After for
	// (default 2s doubling to 30s).
	Backoff Backoff
	// RollbackTimeout bounds the clean-up after a failed create, which may
	// run after the create's own deadline has passed (default 10m).
	RollbackTimeout time.Duration
	// Locks are the per-VNet locks (default: shared by the whole process).
	Locks *Locks
	// Log receives what the engine does, as a message and key/value pairs.
	Log func(ctx context.Context, msg string, keysAndValues ...any)
}

// Engine runs peering operations against ARM.
type Engine struct {
	clients Clients
	opts    Options
	backoff Backoff
	locks   *Locks
}

// New returns an engine that reaches ARM through clients.
func New(clients Clients, opts Options) *Engine {
	if opts.PollFrequency <= 0 {
		opts.PollFrequency = 2 * time.Second
	}
	if opts.WaitInterval <= 0 {
		opts.WaitInterval = 2 * time.Second
	}
	if opts.RollbackTimeout <= 0 {
		opts.RollbackTimeout = 10 * time.Minute
	}
	e := &Engine{clients: clients, opts: opts, backoff: opts.Backoff, locks: opts.Locks}
	if e.backoff == nil {
		e.backoff = ExponentialBackoff(2*time.Second, 30*time.Second)
	}
	if e.locks == nil {
		e.locks = processLocks
	}
	return e
}

func (e *Engine) log(ctx context.Context, msg string, kv ...any) {
	if e.opts.Log != nil {
		e.opts.Log(ctx, msg, kv...)
	}
}

// getLink reads one link; a missing link (or VNet) is nil without error.
func (e *Engine) getLink(ctx context.Context, id LinkID) (*armnetwork.VirtualNetworkPeering, error) {
	c, err := e.clients.Peerings(ctx, id.VirtualNetwork.SubscriptionID)
	if err != nil {
		return nil, err
	}
	var link *armnetwork.VirtualNetworkPeering
	err = e.retry(ctx, "reading link "+id.String(), func(ctx context.Context) error {
		resp, err := c.Get(ctx, id.VirtualNetwork.ResourceGroup, id.VirtualNetwork.Name, id.Name, nil)
		if err != nil {
			if IsNotFound(err) {
				link = nil
				return nil
			}
			return err
		}
		link = &resp.VirtualNetworkPeering
		return nil
	})
	return link, err
}

// putLink creates or updates one side's link and waits for the operation.
func (e *Engine) putLink(ctx context.Context, spec Spec, n SideName, sync bool) error {
	id := spec.LinkID(n)
	c, err := e.clients.Peerings(ctx, id.VirtualNetwork.SubscriptionID)
	if err != nil {
		return err
	}
	var opts *armnetwork.VirtualNetworkPeeringsClientBeginCreateOrUpdateOptions
	if sync {
		opts = &armnetwork.VirtualNetworkPeeringsClientBeginCreateOrUpdateOptions{SyncRemoteAddressSpace: to.Ptr(armnetwork.SyncRemoteAddressSpaceTrue)}
	}
	body := spec.DesiredLink(n)
	e.log(ctx, "putting link", "side", string(n), "link", id.String(), "sync_remote_address_space", sync)
	return e.retry(ctx, "putting link "+id.String(), func(ctx context.Context) error {
		poller, err := c.BeginCreateOrUpdate(ctx, id.VirtualNetwork.ResourceGroup, id.VirtualNetwork.Name, id.Name, body, opts)
		if err != nil {
			return err
		}
		_, err = poller.PollUntilDone(ctx, &runtime.PollUntilDoneOptions{Frequency: e.opts.PollFrequency})
		return err
	})
}

// deleteLink deletes one link and waits; existed is false when it was
// already gone.
func (e *Engine) deleteLink(ctx context.Context, id LinkID) (existed bool, err error) {
	c, err := e.clients.Peerings(ctx, id.VirtualNetwork.SubscriptionID)
	if err != nil {
		return false, err
	}
	e.log(ctx, "deleting link", "link", id.String())
	err = e.retry(ctx, "deleting link "+id.String(), func(ctx context.Context) error {
		// ARM answers 204 to the DELETE of a resource that is not there.
		var first *http.Response
		poller, err := c.BeginDelete(runtime.WithCaptureResponse(ctx, &first), id.VirtualNetwork.ResourceGroup, id.VirtualNetwork.Name, id.Name, nil)
		if err != nil {
			if IsNotFound(err) {
				existed = false
				return nil
			}
			return err
		}
		existed = first == nil || first.StatusCode != http.StatusNoContent
		_, err = poller.PollUntilDone(ctx, &runtime.PollUntilDoneOptions{Frequency: e.opts.PollFrequency})
		if IsNotFound(err) {
			return nil
		}
		return err
	})
	return existed, err
}

// Read reads both links of a pair. Missing links are not an error; the
// caller decides what a Gone pair means.
func (e *Engine) Read(ctx context.Context, a, b LinkID) (Pair, error) {
	p := Pair{A: Side{ID: a}, B: Side{ID: b}}
	var err error
	if p.A.Link, err = e.getLink(ctx, a); err != nil {
		return p, &SideError{Side: SideA, Link: a, Op: "reading", Err: err}
	}
	if p.B.Link, err = e.getLink(ctx, b); err != nil {
		return p, &SideError{Side: SideB, Link: b, Op: "reading", Err: err}
	}
	return p, nil
}

func (e *Engine) readSpec(ctx context.Context, spec Spec) (Pair, error) {
	return e.Read(ctx, spec.LinkID(SideA), spec.LinkID(SideB))
}

// waitConnected reads the pair until both links are Connected, a link is
// gone or Disconnected, or ctx ends.
func (e *Engine) waitConnected(ctx context.Context, spec Spec) (Pair, error) {
	for {
		p, err := e.readSpec(ctx, spec)
		if err != nil {
			return p, err
		}
		if p.Connected() {
			return p, nil
		}
		for _, n := range []SideName{SideA, SideB} {
			if s := p.Side(n); s.State() == StateMissing || s.State() == StateDisconnected {
				return p, &SideError{Side: n, Link: s.ID, Op: "waiting for", Err: fmt.Errorf("the link became %s while waiting for both links to be Connected", s.State())}
			}
		}
		e.log(ctx, "waiting for both links to be Connected", "a", string(p.A.State()), "b", string(p.B.State()))
		t := time.NewTimer(e.opts.WaitInterval)
		select {
		case <-ctx.Done():
			t.Stop()
			return p, fmt.Errorf("waiting for both links to be Connected (a is %s, b is %s): %w", p.A.State(), p.B.State(), ctx.Err())
		case <-t.C:
		}
	}
}

// Delete deletes both links of a pair; links already gone are fine. The side
// that may use the other's gateway goes first, the reverse of creation.
func (e *Engine) Delete(ctx context.Context, spec Spec) error {
	unlock, err := e.locks.Lock(ctx, spec.A.VirtualNetwork, spec.B.VirtualNetwork)
	if err != nil {
		return fmt.Errorf("waiting for the lock on the virtual networks: %w", err)
	}
	defer unlock()
	first := spec.FirstSide()
	var errs []error
	for _, n := range []SideName{first.Other(), first} {
		if _, err := e.deleteLink(ctx, spec.LinkID(n)); err != nil {
			errs = append(errs, &SideError{Side: n, Link: spec.LinkID(n), Op: "deleting", Err: err})
		}
	}
	return errors.Join(errs...)
}

// SideError is a failed operation on one side's link.
type SideError struct {
	Side SideName
	Link LinkID
	Op   string
	Err  error
}

func (e *SideError) Error() string {
	return fmt.Sprintf("%s link %s %q: %v", e.Op, e.Side, e.Link.String(), e.Err)
}

func (e *SideError) Unwrap() error { return e.Err }
