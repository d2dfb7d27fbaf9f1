package peering

import (
	"context"
	"fmt"
)

// Update brings an existing pair to spec. Settings that a PUT can change are
// updated in place on each side (the links keep their resourceGuid). A side
// that is Missing is created; a Disconnected side is put back in place
// (deleted and created if Azure refuses); a link that cannot be fixed in
// place (pointing elsewhere, of another kind) is deleted and created; a
// side that is fine is left alone. When spec asks for it, links whose view
// of the remote address space is out of date are resynced.
func (e *Engine) Update(ctx context.Context, spec Spec) (Pair, error) {
	unlock, err := e.locks.Lock(ctx, spec.A.VirtualNetwork, spec.B.VirtualNetwork)
	if err != nil {
		return Pair{}, fmt.Errorf("waiting for the lock on the virtual networks: %w", err)
	}
	defer unlock()

	p, err := e.converge(ctx, spec)
	// A side can turn Disconnected between the read and the write (someone
	// deleted the other link meanwhile); one more pass repairs that.
	if err != nil && ErrCode(err) == CodeRemotePeeringIsDisconnected {
		e.log(ctx, "a remote link turned Disconnected during the update; repairing again")
		p, err = e.converge(ctx, spec)
	}
	return p, err
}

// Plan is what converge would do to each side of a pair as observed.
type Plan struct {
	A, B Action
	// Order is the order of the PUTs (creates and updates).
	Order []SideName
	// Sync is true when the links should be resynced afterwards.
	Sync bool
}

// Side returns one side's action.
func (pl Plan) Side(n SideName) Action {
	if n == SideB {
		return pl.B
	}
	return pl.A
}

// PlanRepair decides, without calling Azure, what each side of an observed
// pair needs and in which order the PUTs go: a side giving up
// use_remote_gateways before the other stops offering its gateway, and the
// side offering gateway transit before the side that uses it.
func PlanRepair(spec Spec, p Pair) Plan {
	pl := Plan{A: Diagnose(spec, SideA, p.A), B: Diagnose(spec, SideB, p.B)}
	first := spec.FirstSide()
	order := []SideName{first, first.Other()}
	if other := p.Side(first.Other()); other.Exists() && other.UseRemoteGateways() && !spec.Side(first.Other()).UseRemoteGateways {
		order = []SideName{first.Other(), first}
	}
	for _, n := range order {
		if a := pl.Side(n); a != Keep {
			pl.Order = append(pl.Order, n)
		}
	}
	pl.Sync = spec.SyncAddressSpace && (NeedsSync(p.A) || NeedsSync(p.B))
	return pl
}

func (e *Engine) converge(ctx context.Context, spec Spec) (Pair, error) {
	p, err := e.readSpec(ctx, spec)
	if err != nil {
		return p, err
	}
	// First make every existing link usable: put a Disconnected one back in
	// place, delete what must be recreated. Deleting a link turns the other
	// Disconnected, so this runs until nothing changes.
	for round := 0; round < 3; round++ {
		changed := false
		for _, n := range []SideName{SideA, SideB} {
			switch Diagnose(spec, n, p.Side(n)) {
			case Reconnect:
				e.log(ctx, "reconnecting a Disconnected link in place", "side", string(n))
				err := e.putLink(ctx, spec, n, false)
				if err == nil {
					changed = true
					continue
				}
				if ctx.Err() != nil {
					return p, &SideError{Side: n, Link: spec.LinkID(n), Op: "reconnecting", Err: err}
				}
				e.log(ctx, "reconnecting in place failed; recreating the link", "side", string(n), "error_code", ErrCode(err))
				fallthrough
			case Recreate:
				e.log(ctx, "recreating link", "side", string(n), "state", string(p.Side(n).State()))
				if _, err := e.deleteLink(ctx, spec.LinkID(n)); err != nil {
					return p, &SideError{Side: n, Link: spec.LinkID(n), Op: "deleting (to recreate)", Err: err}
				}
				changed = true
			}
		}
		if !changed {
			break
		}
		if p, err = e.readSpec(ctx, spec); err != nil {
			return p, err
		}
	}

	pl := PlanRepair(spec, p)
	for _, n := range pl.Order {
		op := "updating"
		if pl.Side(n) >= Reconnect {
			op = "creating"
		}
		if err := e.putLink(ctx, spec, n, false); err != nil {
			return p, &SideError{Side: n, Link: spec.LinkID(n), Op: op, Err: err}
		}
	}
	if p, err = e.waitConnected(ctx, spec); err != nil {
		return p, err
	}
	if !spec.SyncAddressSpace || (!NeedsSync(p.A) && !NeedsSync(p.B)) {
		return p, nil
	}
	// Each link learns the remote VNet's current address space; which side
	// was resized is not always clear from the levels, so both are synced.
	for _, n := range []SideName{spec.FirstSide(), spec.FirstSide().Other()} {
		if err := e.putLink(ctx, spec, n, true); err != nil {
			return p, &SideError{Side: n, Link: spec.LinkID(n), Op: "syncing the address space of", Err: err}
		}
	}
	return e.readSpec(ctx, spec)
}
