package peering

import (
	"context"
	"testing"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/identity"
)

// The pair spans the emulator's two subscriptions, as a hub and a spoke do.
var (
	hubID   = VirtualNetworkID{SubscriptionID: identity.DefaultSubscriptionID, ResourceGroup: "rg", Name: "hub"}
	spokeID = VirtualNetworkID{SubscriptionID: identity.SecondSubscriptionID, ResourceGroup: "rg2", Name: "spoke"}
)

func testSpec() Spec {
	return Spec{
		A:                SideSpec{VirtualNetwork: hubID, Name: "hub-to-spoke", AllowVirtualNetworkAccess: true},
		B:                SideSpec{VirtualNetwork: spokeID, Name: "spoke-to-hub", AllowVirtualNetworkAccess: true},
		SyncAddressSpace: true,
	}
}

// setup returns an engine over an emulator that holds the hub and the spoke,
// with an empty request log.
func setup(t *testing.T) (*Engine, *testLab, Spec) {
	t.Helper()
	e, lab := newTestEngine(t)
	lab.vnet(hubID, "10.0.0.0/16")
	lab.vnet(spokeID, "10.1.0.0/16")
	lab.forgetCalls()
	return e, lab, testSpec()
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
	e, lab, spec := setup(t)
	mustCreate(t, e, spec)
	if _, err := e.deleteLink(context.Background(), spec.LinkID(SideA)); err != nil {
		t.Fatal(err)
	}
	if err := e.Delete(context.Background(), spec); err != nil {
		t.Fatal(err)
	}
	if left := lab.links(hubID, spokeID); len(left) != 0 {
		t.Errorf("left behind: %v", left)
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
