package azure

import (
	"net/http"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// RetryStatusCodes are the answers the HTTP pipeline retries by itself,
// honouring Retry-After. ARM error codes that mean "try again" in a 400 or
// 409 (ReferencedResourceNotProvisioned, AnotherOperationInProgress) and
// failed long-running operations are retried a level up, by the peering
// engine, within the resource's timeout.
var RetryStatusCodes = []int{
	http.StatusRequestTimeout,
	http.StatusTooManyRequests,
	http.StatusInternalServerError,
	http.StatusBadGateway,
	http.StatusServiceUnavailable,
	http.StatusGatewayTimeout,
}

// RetryOptions is the retry policy of every ARM and identity pipeline: a few
// quick tries for throttling, server errors and dropped connections. The
// deadline of a whole operation comes from its context, not from here.
func RetryOptions() policy.RetryOptions {
	return policy.RetryOptions{
		MaxRetries:    4,
		RetryDelay:    time.Second,
		MaxRetryDelay: 60 * time.Second,
		StatusCodes:   RetryStatusCodes,
	}
}
