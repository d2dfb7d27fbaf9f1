package peering

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
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

func TestCreateMakesBothLinksConnected(t *testing.T) {
	e, f, spec := setup(t)
	p := mustCreate(t, e, spec)
	if !p.Connected() || p.A.State() != StateConnected || p.B.State() != StateConnected {
		t.Fatalf("states %s/%s", p.A.State(), p.B.State())
	}
	if p.ID() != spec.LinkID(SideA).String()+"|"+spec.LinkID(SideB).String() {
		t.Errorf("pair ID %q", p.ID())
	}
	if got := p.A.RemoteAddressSpace(); len(got) != 1 || got[0] != "10.1.0.0/16" {
		t.Errorf("a sees %v of b", got)
	}
	// Each link lives in its own VNet's subscription.
	if f.callCount("PUT", "/subscriptions/sub-1/") != 1 || f.callCount("PUT", "/subscriptions/sub-2/") != 1 {
		t.Errorf("calls %v", f.calls)
	}
}

func TestCreateStartsWithTheGatewayTransitSide(t *testing.T) {
	e, f, spec := setup(t)
	spec.B.AllowGatewayTransit = true
	spec.A.UseRemoteGateways = true
	mustCreate(t, e, spec)
	var puts []string
	for _, c := range f.calls {
		if strings.HasPrefix(c, "PUT ") {
			puts = append(puts, c)
		}
	}
	if len(puts) != 2 || !strings.Contains(puts[0], "/spoke-to-hub") {
		t.Errorf("PUT order %v, want b (allow_gateway_transit) first", puts)
	}
}

func TestCreateRollsBackWhenTheSecondLinkFails(t *testing.T) {
	e, f, spec := setup(t)
	f.fail(fakeFault{method: "PUT", pathContains: "/spoke-to-hub", status: 400, code: "SubscriptionNotRegistered"})
	_, err := e.Create(context.Background(), spec)
	var ce *CreateError
	if !errors.As(err, &ce) {
		t.Fatalf("want a CreateError, got %v", err)
	}
	if ce.Side != SideB || ErrCode(err) != "SubscriptionNotRegistered" || !ce.RolledBack() {
		t.Errorf("error %+v", ce)
	}
	if f.link(spec.LinkID(SideA)) != nil || f.link(spec.LinkID(SideB)) != nil {
		t.Error("a link is left behind after the rollback")
	}
	msg := err.Error()
	for _, want := range []string{`creating link b "` + spec.LinkID(SideB).String() + `" failed`, "SubscriptionNotRegistered", `Rolled back: deleted link a "` + spec.LinkID(SideA).String() + `"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}

func TestCreateReportsAFailedRollback(t *testing.T) {
	e, f, spec := setup(t)
	f.fail(fakeFault{method: "PUT", pathContains: "/spoke-to-hub", status: 400, code: "InvalidParameter"})
	f.fail(fakeFault{method: "DELETE", pathContains: "/hub-to-spoke", status: 403, code: "AuthorizationFailed"})
	_, err := e.Create(context.Background(), spec)
	var ce *CreateError
	if !errors.As(err, &ce) || ce.RolledBack() {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(err.Error(), "Rollback failed: link a") || !strings.Contains(err.Error(), "AuthorizationFailed") || !strings.Contains(err.Error(), "left behind") {
		t.Errorf("message %q", err.Error())
	}
}

func TestCreateRollsBackALinkWhoseOperationFailed(t *testing.T) {
	e, f, spec := setup(t)
	f.fail(fakeFault{method: "PUT", pathContains: "/spoke-to-hub", code: "InternalPolicyViolation", async: true})
	_, err := e.Create(context.Background(), spec)
	if err == nil || ErrCode(err) != "InternalPolicyViolation" {
		t.Fatalf("got %v", err)
	}
	if f.link(spec.LinkID(SideA)) != nil || f.link(spec.LinkID(SideB)) != nil {
		t.Error("a link is left behind after the rollback")
	}
}

func TestCreateRefusesAnExistingLink(t *testing.T) {
	e, _, spec := setup(t)
	mustCreate(t, e, spec)
	_, err := e.Create(context.Background(), spec)
	var ee *ExistsError
	if !errors.As(err, &ee) || ee.Side != SideA || ee.PairID != PairID(spec.LinkID(SideA), spec.LinkID(SideB)) {
		t.Fatalf("got %v", err)
	}
}

func TestCreateRetriesTransientErrors(t *testing.T) {
	e, f, spec := setup(t)
	f.fail(fakeFault{method: "PUT", pathContains: "/hub-to-spoke", status: 409, code: CodeAnotherOperationInProgress})
	f.fail(fakeFault{method: "PUT", pathContains: "/hub-to-spoke", code: CodeReferencedResourceNotProvisioned, async: true})
	f.fail(fakeFault{method: "PUT", pathContains: "/spoke-to-hub", status: 429, code: "TooManyRequests", header: http.Header{"Retry-After-Ms": {"5"}}})
	f.fail(fakeFault{method: "PUT", pathContains: "/spoke-to-hub", status: 503, code: "ServiceUnavailable"})
	p := mustCreate(t, e, spec)
	if !p.Connected() {
		t.Fatal("not connected")
	}
	if n := f.callCount("PUT", "/hub-to-spoke"); n != 3 {
		t.Errorf("%d PUTs of a, want 3", n)
	}
	if n := f.callCount("PUT", "/spoke-to-hub"); n != 3 {
		t.Errorf("%d PUTs of b, want 3", n)
	}
}

func TestRetryStopsAtTheDeadline(t *testing.T) {
	e, f, spec := setup(t)
	e.backoff = func(int) time.Duration { return time.Hour }
	f.fail(fakeFault{method: "PUT", pathContains: "/hub-to-spoke", status: 409, code: CodeAnotherOperationInProgress})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	_, err := e.Create(ctx, spec)
	if err == nil || !strings.Contains(err.Error(), "timeout ends before the next try") || time.Since(start) > time.Second {
		t.Fatalf("got %v after %s", err, time.Since(start))
	}
}

func TestUpdateChangesFlagsInPlace(t *testing.T) {
	e, f, spec := setup(t)
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
	if f.callCount("DELETE", "") != 0 {
		t.Errorf("calls %v", f.calls)
	}
}

func TestUpdateLeavesAHealthyPairAlone(t *testing.T) {
	e, f, spec := setup(t)
	mustCreate(t, e, spec)
	if _, err := e.Update(context.Background(), spec); err != nil {
		t.Fatal(err)
	}
	if n := f.callCount("PUT", ""); n != 2 {
		t.Errorf("%d PUTs in all, want only the 2 of the create", n)
	}
}

func TestUpdateRepairsADeletedSide(t *testing.T) {
	e, f, spec := setup(t)
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
	if n := f.callCount("DELETE", "/hub-to-spoke"); n != 0 {
		t.Errorf("the Disconnected side was deleted %d times", n)
	}
}

func TestUpdateRecreatesADisconnectedSideThatCannotBeReconnected(t *testing.T) {
	e, f, spec := setup(t)
	before := mustCreate(t, e, spec)
	if _, err := e.deleteLink(context.Background(), spec.LinkID(SideB)); err != nil {
		t.Fatal(err)
	}
	f.fail(fakeFault{method: "PUT", pathContains: "/hub-to-spoke", status: 400, code: CodeRemotePeeringIsDisconnected})
	after, err := e.Update(context.Background(), spec)
	if err != nil || !after.Connected() {
		t.Fatalf("%v %s/%s", err, after.A.State(), after.B.State())
	}
	if after.A.ResourceGUID() == before.A.ResourceGUID() || f.callCount("DELETE", "/hub-to-spoke") != 1 {
		t.Error("a was not recreated after the in-place PUT was refused")
	}
}

func TestUpdateCreatesOnlyTheMissingSideOfAHalfPair(t *testing.T) {
	e, f, spec := setup(t)
	// A half pair: a exists (Initiated), b was never made.
	if err := e.putLink(context.Background(), spec, SideA, false); err != nil {
		t.Fatal(err)
	}
	guid := *f.link(spec.LinkID(SideA)).Properties.ResourceGUID
	after, err := e.Update(context.Background(), spec)
	if err != nil || !after.Connected() {
		t.Fatalf("%v %s/%s", err, after.A.State(), after.B.State())
	}
	if after.A.ResourceGUID() != guid || f.callCount("DELETE", "") != 0 {
		t.Error("the healthy side was touched")
	}
}

func TestUpdateResyncsBothLinks(t *testing.T) {
	e, f, spec := setup(t)
	mustCreate(t, e, spec)
	// b is resized: Azure marks the links out of sync.
	f.mu.Lock()
	f.vnets[spokeID.Key()].Properties.AddressSpace.AddressPrefixes = to.SliceOfPtrs("10.1.0.0/16", "10.2.0.0/16")
	for _, l := range f.links {
		l.Properties.PeeringSyncLevel = to.Ptr(armnetwork.VirtualNetworkPeeringLevelRemoteNotInSync)
	}
	f.mu.Unlock()
	p, _ := e.Read(context.Background(), spec.LinkID(SideA), spec.LinkID(SideB))
	if p.Healthy() || !PlanRepair(spec, p).Sync {
		t.Fatal("out-of-sync pair not noticed")
	}
	after, err := e.Update(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if n := f.callCount("PUT", "syncRemoteAddressSpace=true"); n != 2 {
		t.Errorf("%d sync PUTs, want one per link", n)
	}
	if !after.Healthy() || len(after.A.RemoteAddressSpace()) != 2 {
		t.Errorf("after sync: healthy %v, a sees %v", after.Healthy(), after.A.RemoteAddressSpace())
	}
	spec.SyncAddressSpace = false
	f.mu.Lock()
	for _, l := range f.links {
		l.Properties.PeeringSyncLevel = to.Ptr(armnetwork.VirtualNetworkPeeringLevelLocalNotInSync)
	}
	f.mu.Unlock()
	if _, err := e.Update(context.Background(), spec); err != nil {
		t.Fatal(err)
	}
	if n := f.callCount("PUT", "syncRemoteAddressSpace=true"); n != 2 {
		t.Errorf("synced although sync_address_space is off")
	}
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
