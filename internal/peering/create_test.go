package peering

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
)

func TestCreateMakesBothLinksConnected(t *testing.T) {
	e, lab, spec := setup(t)
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
	if lab.callCount("PUT", "/subscriptions/"+hubID.SubscriptionID+"/") != 1 || lab.callCount("PUT", "/subscriptions/"+spokeID.SubscriptionID+"/") != 1 {
		t.Errorf("calls %v", lab.calls())
	}
}

func TestCreateStartsWithTheGatewayTransitSide(t *testing.T) {
	e, lab, spec := setup(t)
	spec.B.AllowGatewayTransit = true
	spec.A.UseRemoteGateways = true
	// The spoke has no gateway, so Azure refuses a's use_remote_gateways once
	// b exists; the order of the two PUTs is what this test is about.
	_, err := e.Create(context.Background(), spec)
	var ce *CreateError
	if !errors.As(err, &ce) || ce.Side != SideA || ErrCode(err) != "RemoteVnetHasNoGateways" {
		t.Fatalf("want a's link refused for want of a gateway, got %v", err)
	}
	var puts []string
	for _, c := range lab.calls() {
		if c.Method == "PUT" {
			puts = append(puts, c.Path)
		}
	}
	if len(puts) != 2 || !strings.Contains(puts[0], "/spoke-to-hub") {
		t.Errorf("PUT order %v, want b (allow_gateway_transit) first", puts)
	}
}

func TestCreateWithGatewayTransit(t *testing.T) {
	e, lab, spec := setup(t)
	lab.gateway(spokeID, "10.1.255.0/27")
	lab.forgetCalls()
	spec.B.AllowGatewayTransit = true
	spec.A.UseRemoteGateways = true
	p := mustCreate(t, e, spec)
	if !p.Connected() || !*lab.link(spec.LinkID(SideA)).Properties.UseRemoteGateways {
		t.Fatalf("states %s/%s, or a does not use the remote gateway", p.A.State(), p.B.State())
	}
	if n := lab.callCount("PUT", ""); n != 2 {
		t.Errorf("%d PUTs, want 2: %v", n, lab.calls())
	}
}

func TestCreateRollsBackWhenTheSecondLinkFails(t *testing.T) {
	e, lab, spec := setup(t)
	lab.fail(emulator.Fault{Method: "PUT", Path: "/spoke-to-hub$", Status: 400, Code: "SubscriptionNotRegistered"})
	_, err := e.Create(context.Background(), spec)
	var ce *CreateError
	if !errors.As(err, &ce) {
		t.Fatalf("want a CreateError, got %v", err)
	}
	if ce.Side != SideB || ErrCode(err) != "SubscriptionNotRegistered" || !ce.RolledBack() {
		t.Errorf("error %+v", ce)
	}
	if lab.link(spec.LinkID(SideA)) != nil || lab.link(spec.LinkID(SideB)) != nil {
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
	e, lab, spec := setup(t)
	lab.fail(emulator.Fault{Method: "PUT", Path: "/spoke-to-hub$", Status: 400, Code: "InvalidParameter"})
	lab.fail(emulator.Fault{Method: "DELETE", Path: "/hub-to-spoke$", Status: 403, Code: "AuthorizationFailed"})
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
	e, lab, spec := setup(t)
	lab.fail(emulator.Fault{Method: "PUT", Path: "/spoke-to-hub$", Code: "InternalPolicyViolation", Async: true})
	_, err := e.Create(context.Background(), spec)
	if err == nil || ErrCode(err) != "InternalPolicyViolation" {
		t.Fatalf("got %v", err)
	}
	if lab.link(spec.LinkID(SideA)) != nil || lab.link(spec.LinkID(SideB)) != nil {
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
	e, lab, spec := setup(t)
	lab.fail(emulator.Fault{Method: "PUT", Path: "/hub-to-spoke$", Status: 409, Code: CodeAnotherOperationInProgress})
	lab.fail(emulator.Fault{Method: "PUT", Path: "/hub-to-spoke$", Code: CodeReferencedResourceNotProvisioned, Async: true})
	// Azure's Retry-After is in whole seconds: this test waits one.
	lab.fail(emulator.Fault{Method: "PUT", Path: "/spoke-to-hub$", Status: 429, Code: "TooManyRequests", RetryAfter: 1})
	lab.fail(emulator.Fault{Method: "PUT", Path: "/spoke-to-hub$", Status: 503, Code: "ServiceUnavailable"})
	p := mustCreate(t, e, spec)
	if !p.Connected() {
		t.Fatal("not connected")
	}
	if n := lab.callCount("PUT", "/hub-to-spoke"); n != 3 {
		t.Errorf("%d PUTs of a, want 3", n)
	}
	if n := lab.callCount("PUT", "/spoke-to-hub"); n != 3 {
		t.Errorf("%d PUTs of b, want 3", n)
	}
}

func TestRetryStopsAtTheDeadline(t *testing.T) {
	e, lab, spec := setup(t)
	e.backoff = func(int) time.Duration { return time.Hour }
	lab.fail(emulator.Fault{Method: "PUT", Path: "/hub-to-spoke$", Status: 409, Code: CodeAnotherOperationInProgress})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	_, err := e.Create(ctx, spec)
	if err == nil || !strings.Contains(err.Error(), "timeout ends before the next try") || time.Since(start) > time.Second {
		t.Fatalf("got %v after %s", err, time.Since(start))
	}
}
