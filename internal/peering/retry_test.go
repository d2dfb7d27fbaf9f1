package peering

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
)

func respErr(status int, code string, h http.Header) error {
	if h == nil {
		h = http.Header{}
	}
	return &azcore.ResponseError{StatusCode: status, ErrorCode: code, RawResponse: &http.Response{StatusCode: status, Header: h}}
}

func TestRetryable(t *testing.T) {
	date := time.Now().Add(5 * time.Second).UTC().Format(http.TimeFormat)
	cases := []struct {
		name     string
		err      error
		retry    bool
		minAfter time.Duration
		maxAfter time.Duration
	}{
		{"nil", nil, false, 0, 0},
		{"not provisioned", respErr(400, "ReferencedResourceNotProvisioned", nil), true, 0, 0},
		{"another operation", respErr(409, "AnotherOperationInProgress", nil), true, 0, 0},
		{"code in other case", respErr(409, "anotheroperationinprogress", nil), true, 0, 0},
		{"failed operation", respErr(200, "AnotherOperationInProgress", nil), true, 0, 0},
		{"429 seconds", respErr(429, "TooManyRequests", http.Header{"Retry-After": {"7"}}), true, 7 * time.Second, 7 * time.Second},
		{"429 date", respErr(429, "", http.Header{"Retry-After": {date}}), true, 3 * time.Second, 6 * time.Second},
		{"429 ms", respErr(429, "", http.Header{"Retry-After-Ms": {"250"}, "Retry-After": {"9"}}), true, 250 * time.Millisecond, 250 * time.Millisecond},
		{"x-ms ms", respErr(429, "", http.Header{"X-Ms-Retry-After-Ms": {"40"}}), true, 40 * time.Millisecond, 40 * time.Millisecond},
		{"500", respErr(500, "InternalServerError", nil), true, 0, 0},
		{"503 with wait", respErr(503, "", http.Header{"Retry-After": {"2"}}), true, 2 * time.Second, 2 * time.Second},
		{"disconnected", respErr(400, "RemotePeeringIsDisconnected", nil), false, 0, 0},
		{"overlap", respErr(400, "VnetAddressSpacesOverlap", nil), false, 0, 0},
		{"linked auth", respErr(403, "LinkedAuthorizationFailed", nil), false, 0, 0},
		{"404", respErr(404, "NotFound", nil), false, 0, 0},
		{"wrapped", fmt.Errorf("putting: %w", respErr(409, "AnotherOperationInProgress", nil)), true, 0, 0},
		{"reset", fmt.Errorf("read: %w", syscall.ECONNRESET), true, 0, 0},
		{"eof", io.ErrUnexpectedEOF, true, 0, 0},
		{"net", &net.OpError{Op: "dial", Err: errors.New("refused")}, true, 0, 0},
		{"deadline", context.DeadlineExceeded, false, 0, 0},
		{"canceled wrapped", fmt.Errorf("x: %w", context.Canceled), false, 0, 0},
		{"other", errors.New("ClientSecretCredential: authentication failed"), false, 0, 0},
	}
	for _, tc := range cases {
		retry, after := Retryable(tc.err)
		if retry != tc.retry || after < tc.minAfter || after > tc.maxAfter {
			t.Errorf("%s: retry %v after %s; want %v after %s..%s", tc.name, retry, after, tc.retry, tc.minAfter, tc.maxAfter)
		}
	}
}

func TestExponentialBackoff(t *testing.T) {
	b := ExponentialBackoff(2*time.Second, 30*time.Second)
	want := []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 30 * time.Second, 30 * time.Second}
	for i, w := range want {
		if got := b(i + 1); got != w {
			t.Errorf("try %d: %s, want %s", i+1, got, w)
		}
	}
}

func TestEngineRetryHonoursRetryAfterAndGivesUp(t *testing.T) {
	e, _ := newTestEngine(t)
	e.backoff = func(int) time.Duration { return time.Millisecond }
	tries := 0
	start := time.Now()
	err := e.retry(context.Background(), "op", func(context.Context) error {
		tries++
		if tries < 3 {
			return respErr(429, "", http.Header{"Retry-After-Ms": {"60"}})
		}
		return nil
	})
	if err != nil || tries != 3 {
		t.Fatalf("%v after %d tries", err, tries)
	}
	if d := time.Since(start); d < 120*time.Millisecond {
		t.Errorf("two Retry-After waits of 60ms took %s", d)
	}
	tries = 0
	err = e.retry(context.Background(), "op", func(context.Context) error {
		tries++
		return respErr(400, "InvalidParameter", nil)
	})
	if tries != 1 || ErrCode(err) != "InvalidParameter" {
		t.Errorf("a permanent error was tried %d times: %v", tries, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err = e.retry(ctx, "op", func(context.Context) error {
		return respErr(429, "", http.Header{"Retry-After": {"30"}})
	})
	if err == nil || !strings.Contains(err.Error(), "timeout ends before the next try") {
		t.Fatalf("got %v", err)
	}
	var re *azcore.ResponseError
	if !errors.As(err, &re) || re.StatusCode != 429 {
		t.Errorf("the last error is not kept: %v", err)
	}
}
