package peering

import (
	"context"
	"testing"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
)

func TestUpdateChangesFlagsInPlace(t *testing.T) {
	e, lab, spec := setup(t)
	before := mustCreate(t, e, spec)
	spec.A.AllowForwardedTraffic = true
	spec.B.AllowVirtualNetworkAccess = false
	after, err := e.Update(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if !after.A.AllowForwardedTraffic() || after.B.AllowVirtualNetworkAccess() || !after.Connected() {
		t.Errorf("flags not applied: %+v", after)
	}
	if after.A.ResourceGUID() != before.A.ResourceGUID() || after.B.ResourceGUID() != before.B.ResourceGUID() {
		t.Error("an in-place update recreated a link")
	}
	if lab.callCount("DELETE", "") != 0 {
		t.Errorf("calls %v", lab.calls())
	}
}

func TestUpdateLeavesAHealthyPairAlone(t *testing.T) {
	e, lab, spec := setup(t)
	mustCreate(t, e, spec)
	if _, err := e.Update(context.Background(), spec); err != nil {
		t.Fatal(err)
	}
	if n := lab.callCount("PUT", ""); n != 2 {
		t.Errorf("%d PUTs in all, want only the 2 of the create", n)
	}
}

func TestUpdateRepairsADeletedSide(t *testing.T) {
	e, lab, spec := setup(t)
	before := mustCreate(t, e, spec)
	// Someone deletes link b in the portal: a turns Disconnected.
	if _, err := e.deleteLink(context.Background(), spec.LinkID(SideB)); err != nil {
		t.Fatal(err)
	}
	p, _ := e.Read(context.Background(), spec.LinkID(SideA), spec.LinkID(SideB))
	if p.A.State() != StateDisconnected || p.B.State() != StateMissing {
		t.Fatalf("after the out-of-band delete: %s/%s", p.A.State(), p.B.State())
	}
	pl := PlanRepair(spec, p)
	if pl.A != Reconnect || pl.B != Create {
		t.Errorf("plan %+v", pl)
	}
	after, err := e.Update(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if !after.Connected() {
		t.Fatalf("not repaired: %s/%s", after.A.State(), after.B.State())
	}
	// Only the deleted side is new: a was put back in place.
	if after.A.ResourceGUID() != before.A.ResourceGUID() || after.B.ResourceGUID() == before.B.ResourceGUID() {
		t.Errorf("guids a %s→%s, b %s→%s", before.A.ResourceGUID(), after.A.ResourceGUID(), before.B.ResourceGUID(), after.B.ResourceGUID())
	}
	if n := lab.callCount("DELETE", "/hub-to-spoke"); n != 0 {
		t.Errorf("the Disconnected side was deleted %d times", n)
	}
}

func TestUpdateRecreatesADisconnectedSideThatCannotBeReconnected(t *testing.T) {
	e, lab, spec := setup(t)
	before := mustCreate(t, e, spec)
	if _, err := e.deleteLink(context.Background(), spec.LinkID(SideB)); err != nil {
		t.Fatal(err)
	}
	lab.fail(emulator.Fault{Method: "PUT", Path: "/hub-to-spoke$", Status: 400, Code: CodeRemotePeeringIsDisconnected})
	after, err := e.Update(context.Background(), spec)
	if err != nil || !after.Connected() {
		t.Fatalf("%v %s/%s", err, after.A.State(), after.B.State())
	}
	if after.A.ResourceGUID() == before.A.ResourceGUID() || lab.callCount("DELETE", "/hub-to-spoke") != 1 {
		t.Error("a was not recreated after the in-place PUT was refused")
	}
}

func TestUpdateCreatesOnlyTheMissingSideOfAHalfPair(t *testing.T) {
	e, lab, spec := setup(t)
	// A half pair: a exists (Initiated), b was never made.
	if err := e.putLink(context.Background(), spec, SideA, false); err != nil {
		t.Fatal(err)
	}
	guid := *lab.link(spec.LinkID(SideA)).Properties.ResourceGUID
	after, err := e.Update(context.Background(), spec)
	if err != nil || !after.Connected() {
		t.Fatalf("%v %s/%s", err, after.A.State(), after.B.State())
	}
	if after.A.ResourceGUID() != guid || lab.callCount("DELETE", "") != 0 {
		t.Error("the healthy side was touched")
	}
}

func TestUpdateResyncsBothLinks(t *testing.T) {
	e, lab, spec := setup(t)
	mustCreate(t, e, spec)
	// b is resized: Azure marks the links out of sync.
	lab.vnet(spokeID, "10.1.0.0/16", "10.2.0.0/16")
	p, _ := e.Read(context.Background(), spec.LinkID(SideA), spec.LinkID(SideB))
	if p.Healthy() || !PlanRepair(spec, p).Sync {
		t.Fatal("out-of-sync pair not noticed")
	}
	after, err := e.Update(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if n := lab.callCount("PUT", "syncRemoteAddressSpace=true"); n != 2 {
		t.Errorf("%d sync PUTs, want one per link", n)
	}
	if !after.Healthy() || len(after.A.RemoteAddressSpace()) != 2 {
		t.Errorf("after sync: healthy %v, a sees %v", after.Healthy(), after.A.RemoteAddressSpace())
	}
	// b grows again, but this spec does not ask for syncs.
	spec.SyncAddressSpace = false
	lab.vnet(spokeID, "10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16")
	if p, _ := e.Read(context.Background(), spec.LinkID(SideA), spec.LinkID(SideB)); !NeedsSync(p.A) || !NeedsSync(p.B) {
		t.Fatal("the second resize left the links in sync")
	}
	if _, err := e.Update(context.Background(), spec); err != nil {
		t.Fatal(err)
	}
	if n := lab.callCount("PUT", "syncRemoteAddressSpace=true"); n != 2 {
		t.Errorf("synced although sync_address_space is off")
	}
}

func TestUpdateRepairsAPairThatLostItsGatewayTransitSide(t *testing.T) {
	e, lab, spec := setup(t)
	lab.gateway(spokeID, "10.1.255.0/27")
	spec.B.AllowGatewayTransit = true
	spec.A.UseRemoteGateways = true
	mustCreate(t, e, spec)
	// The link offering the gateway is deleted out of band; a, which uses
	// it, is Disconnected and can only come back after b.
	if _, err := e.deleteLink(context.Background(), spec.LinkID(SideB)); err != nil {
		t.Fatal(err)
	}
	after, err := e.Update(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if !after.Connected() || !*lab.link(spec.LinkID(SideA)).Properties.UseRemoteGateways || !*lab.link(spec.LinkID(SideB)).Properties.AllowGatewayTransit {
		t.Errorf("not repaired with gateway transit: %s/%s", after.A.State(), after.B.State())
	}
}
