package peering

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

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
