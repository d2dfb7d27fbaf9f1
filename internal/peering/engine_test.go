package peering

import (
	"context"
	"testing"
)

var (
	hubID   = VirtualNetworkID{SubscriptionID: "sub-1", ResourceGroup: "rg", Name: "hub"}
	spokeID = VirtualNetworkID{SubscriptionID: "sub-2", ResourceGroup: "rg2", Name: "spoke"}
)

func testSpec() Spec {
	return Spec{
		A:                SideSpec{VirtualNetwork: hubID, Name: "hub-to-spoke", AllowVirtualNetworkAccess: true},
		B:                SideSpec{VirtualNetwork: spokeID, Name: "spoke-to-hub", AllowVirtualNetworkAccess: true},
		SyncAddressSpace: true,
	}
}

func setup(t *testing.T) (*Engine, *fakeARM, Spec) {
	e, f := newTestEngine(t)
	f.addVNet(hubID, "10.0.0.0/16")
	f.addVNet(spokeID, "10.1.0.0/16")
	return e, f, testSpec()
}

func mustCreate(t *testing.T, e *Engine, spec Spec) Pair {
	t.Helper()
	p, err := e.Create(context.Background(), spec)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	return p
}

func TestDeleteRemovesBothAndToleratesMissing(t *testing.T) {
	e, f, spec := setup(t)
	mustCreate(t, e, spec)
	if _, err := e.deleteLink(context.Background(), spec.LinkID(SideA)); err != nil {
		t.Fatal(err)
	}
	if err := e.Delete(context.Background(), spec); err != nil {
		t.Fatal(err)
	}
	if len(f.links) != 0 {
		t.Errorf("left behind: %v", f.links)
	}
	if err := e.Delete(context.Background(), spec); err != nil {
		t.Errorf("deleting a deleted pair: %v", err)
	}
}

func TestReadOfAGonePair(t *testing.T) {
	e, _, spec := setup(t)
	p, err := e.Read(context.Background(), spec.LinkID(SideA), spec.LinkID(SideB))
	if err != nil || !p.Gone() || p.A.State() != StateMissing {
		t.Fatalf("%v %+v", err, p)
	}
}
