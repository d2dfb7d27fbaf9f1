package peering

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
)

// ARM error codes this package acts on.
const (
	CodeReferencedResourceNotProvisioned = "ReferencedResourceNotProvisioned"
	CodeAnotherOperationInProgress       = "AnotherOperationInProgress"
	CodeRemotePeeringIsDisconnected      = "RemotePeeringIsDisconnected"
	CodeRetryableError                   = "RetryableError"
)

// transientCodes are ARM error codes that clear up by themselves: the VNet is
// still being updated by someone else.
var transientCodes = []string{
	CodeReferencedResourceNotProvisioned,
	CodeAnotherOperationInProgress,
	CodeRetryableError,
}

// Retryable classifies an error from an ARM call. retry is true for
// transient ARM codes, 429, 5xx and dropped connections; after, when
// positive, is the wait the server asked for with Retry-After.
func Retryable(err error) (retry bool, after time.Duration) {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false, 0
	}
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		if re.RawResponse != nil {
			after = retryAfter(re.RawResponse.Header)
		}
		for _, c := range transientCodes {
			if strings.EqualFold(re.ErrorCode, c) {
				return true, after
			}
		}
		if re.StatusCode == http.StatusTooManyRequests || re.StatusCode >= 500 {
			return true, after
		}
		return false, 0
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) {
		return true, 0
	}
	return false, 0
}

// retryAfter reads the wait a server asked for: retry-after-ms,
// x-ms-retry-after-ms, then Retry-After in seconds or as an HTTP date.
func retryAfter(h http.Header) time.Duration {
	for _, k := range []string{"retry-after-ms", "x-ms-retry-after-ms"} {
		if v := h.Get(k); v != "" {
			if ms, err := strconv.Atoi(v); err == nil && ms > 0 {
				return time.Duration(ms) * time.Millisecond
			}
		}
	}
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}

// Backoff is the wait before retry number n (1-based) when the server did
// not say how long to wait.
type Backoff func(n int) time.Duration

// ExponentialBackoff doubles from base up to limit.
func ExponentialBackoff(base, limit time.Duration) Backoff {
	return func(n int) time.Duration {
		d := base
		for i := 1; i < n && d < limit; i++ {
			d *= 2
		}
		return min(d, limit)
	}
}

// ErrCode is the ARM error code of err, or "".
func ErrCode(err error) string {
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		return re.ErrorCode
	}
	return ""
}

// IsNotFound reports a 404 from ARM.
func IsNotFound(err error) bool {
	var re *azcore.ResponseError
	return errors.As(err, &re) && re.StatusCode == http.StatusNotFound
}

// retry runs op until it succeeds, fails for good, or ctx ends. The deadline
// comes from ctx (the resource's timeouts), not from a count of tries.
func (e *Engine) retry(ctx context.Context, what string, op func(context.Context) error) error {
	for n := 1; ; n++ {
		err := op(ctx)
		ok, after := Retryable(err)
		if !ok {
			return err
		}
		wait := after
		if wait <= 0 {
			wait = e.backoff(n)
		}
		if dl, has := ctx.Deadline(); has && time.Until(dl) < wait {
			return fmt.Errorf("%s: gave up after %d tries because the timeout ends before the next try: %w", what, n, err)
		}
		e.log(ctx, "retrying", "operation", what, "try", n, "wait", wait.String(), "error_code", ErrCode(err))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%s: %w (last error: %w)", what, ctx.Err(), err)
		case <-t.C:
		}
	}
}
