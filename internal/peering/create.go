package peering

import (
	"context"
	"fmt"
	"strings"
)

// ExistsError refuses to create a link that already exists: it belongs to
// someone else's configuration or to a pair that should be imported.
type ExistsError struct {
	Side SideName
	Link LinkID
	// PairID is the ID to import the pair under.
	PairID string
}

func (e *ExistsError) Error() string {
	return fmt.Sprintf("link %s %q already exists", e.Side, e.Link.String())
}

// RollbackStep is the outcome of deleting one link after a failed create.
type RollbackStep struct {
	Side    SideName
	Link    LinkID
	Existed bool
	Err     error
}

// CreateError is a failed create: what failed, and what the rollback did.
type CreateError struct {
	Side     SideName
	Link     LinkID
	Err      error
	Rollback []RollbackStep
}

func (e *CreateError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "creating link %s %q failed: %v.", e.Side, e.Link.String(), e.Err)
	var deleted, left []string
	for _, s := range e.Rollback {
		switch {
		case s.Err != nil:
			left = append(left, fmt.Sprintf("link %s %q could not be deleted and is left behind: %v", s.Side, s.Link.String(), s.Err))
		case s.Existed:
			deleted = append(deleted, fmt.Sprintf("link %s %q", s.Side, s.Link.String()))
		}
	}
	switch {
	case len(left) > 0:
		b.WriteString(" Rollback failed: " + strings.Join(left, "; ") + ".")
		if len(deleted) > 0 {
			b.WriteString(" Deleted " + strings.Join(deleted, " and ") + ".")
		}
	case len(deleted) > 0:
		b.WriteString(" Rolled back: deleted " + strings.Join(deleted, " and ") + "; nothing is left behind.")
	default:
		b.WriteString(" Nothing was created.")
	}
	return b.String()
}

func (e *CreateError) Unwrap() error { return e.Err }

// RolledBack reports whether the rollback left nothing behind.
func (e *CreateError) RolledBack() bool {
	for _, s := range e.Rollback {
		if s.Err != nil {
			return false
		}
	}
	return true
}

// Create makes both links: first the side that offers gateway transit (else
// a), then the other, then waits until both are Connected. When anything
// fails after the first link exists, every link it made is deleted again and
// the error reports the original failure and the rollback's outcome.
func (e *Engine) Create(ctx context.Context, spec Spec) (Pair, error) {
	unlock, err := e.locks.Lock(ctx, spec.A.VirtualNetwork, spec.B.VirtualNetwork)
	if err != nil {
		return Pair{}, fmt.Errorf("waiting for the lock on the virtual networks: %w", err)
	}
	defer unlock()

	existing, err := e.readSpec(ctx, spec)
	if err != nil {
		return existing, err
	}
	for _, n := range []SideName{SideA, SideB} {
		if existing.Side(n).Exists() {
			return existing, &ExistsError{Side: n, Link: spec.LinkID(n), PairID: existing.ID()}
		}
	}

	first := spec.FirstSide()
	var made []SideName
	fail := func(n SideName, err error) (Pair, error) {
		return Pair{A: Side{ID: spec.LinkID(SideA)}, B: Side{ID: spec.LinkID(SideB)}},
			&CreateError{Side: n, Link: spec.LinkID(n), Err: err, Rollback: e.rollback(ctx, spec, made)}
	}
	for _, n := range []SideName{first, first.Other()} {
		// A failed PUT may still leave a link behind (in a failed state), so
		// it is rolled back too.
		made = append([]SideName{n}, made...)
		if err := e.putLink(ctx, spec, n, false); err != nil {
			return fail(n, err)
		}
	}
	p, err := e.waitConnected(ctx, spec)
	if err != nil {
		n := SideA
		if p.A.State() == StateConnected {
			n = SideB
		}
		return fail(n, err)
	}
	return p, nil
}

// rollback deletes the given sides' links, newest first, with a deadline of
// its own: the create's may already have passed.
func (e *Engine) rollback(ctx context.Context, spec Spec, sides []SideName) []RollbackStep {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.opts.RollbackTimeout)
	defer cancel()
	var steps []RollbackStep
	for _, n := range sides {
		existed, err := e.deleteLink(ctx, spec.LinkID(n))
		e.log(ctx, "rolled back link", "side", string(n), "existed", existed, "ok", err == nil)
		steps = append(steps, RollbackStep{Side: n, Link: spec.LinkID(n), Existed: existed, Err: err})
	}
	return steps
}
