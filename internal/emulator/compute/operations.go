package compute

import (
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// The compute resource provider answers both polling headers with one
// URL: …/locations/{location}/operations/{id} is the operation-status
// document (Azure-AsyncOperation), and the same URL with monitor=true is
// the Location URL, which answers 202 until the operation ends and then
// the operation's result (the output of a Run Command), as Azure's own
// answers show (…/operations/{id}?p=…&monitor=true&api-version=…).
const operationPath = subPath + "/locations/{location}/operations/{operationId}"

func registerOperations(s *arm.Server) {
	// More literal segments than ARM's generic operations route, so this
	// one answers for Microsoft.Compute.
	s.Router.Handle(http.MethodGet, operationPath, "", getOperation)
}

// begin starts a long-running compute operation on the resource id.
func begin(c *arm.Context, tx *store.Tx, kind, id, location string, finish arm.FinishFunc) *arm.Operation {
	return c.Ops().Begin(tx, c.Req.Method, arm.OpSpec{Kind: kind, ResourceID: id, Location: location}, finish)
}

// asyncAnswer adds the compute polling headers to resp: Azure-AsyncOperation
// always, Location (the monitor URL) when withLocation.
func asyncAnswer(c *arm.Context, resp *arm.Response, op *arm.Operation, withLocation bool) *arm.Response {
	c.Async(resp, op, arm.PollAsync)
	if withLocation {
		resp.WithHeader("Location", monitorURL(c, op))
	}
	return resp
}

func monitorURL(c *arm.Context, op *arm.Operation) string {
	return op.AsyncURL(c.BaseURL(), c.APIVersion) + "&monitor=true"
}

// operationStatus is the compute operation-status document: name, status,
// times, and the result of a POST as properties.output.
type operationStatus struct {
	Name       string     `json:"name"`
	Status     string     `json:"status"`
	StartTime  string     `json:"startTime"`
	EndTime    string     `json:"endTime,omitempty"`
	Properties *opOutput  `json:"properties,omitempty"`
	Error      *arm.Error `json:"error,omitempty"`
}

type opOutput struct {
	Output any `json:"output"`
}

func getOperation(c *arm.Context) (*arm.Response, error) {
	op, ok := c.Ops().Get(c.Var("operationId"))
	if !ok || !strings.EqualFold(op.Subscription, c.Var("subscriptionId")) {
		return nil, arm.NotFound("NotFound", "The operation '%s' could not be found.", c.Var("operationId"))
	}
	status, end, opErr, result := c.Ops().State(op)
	if strings.EqualFold(c.Query("monitor"), "true") {
		return monitor(c, op, status, opErr, result)
	}
	doc := &operationStatus{Name: op.ID, Status: status, StartTime: op.Start.UTC().Format(time.RFC3339Nano), Error: opErr}
	if !end.IsZero() {
		doc.EndTime = end.UTC().Format(time.RFC3339Nano)
	}
	if result != nil {
		doc.Properties = &opOutput{Output: result}
	}
	resp := arm.OK(doc)
	if status == arm.StatusInProgress {
		retryAfter(c, resp, op)
	}
	return resp, nil
}

// monitor answers the Location URL: 202 while running; then the result of a
// POST, or 200 without a body; or the operation's error.
func monitor(c *arm.Context, op *arm.Operation, status string, opErr *arm.Error, result any) (*arm.Response, error) {
	switch status {
	case arm.StatusInProgress:
		resp := arm.Accepted().WithHeader("Location", monitorURL(c, op))
		retryAfter(c, resp, op)
		return resp, nil
	case arm.StatusFailed:
		return nil, opErr
	case arm.StatusCanceled:
		return nil, arm.Conflict("OperationCanceled", "The operation '%s' was canceled.", op.ID)
	}
	if result != nil {
		return arm.OK(result), nil
	}
	return &arm.Response{Status: http.StatusOK}, nil
}

// retryAfter tells a poller when to look again: the seconds left, at most
// 10; 0 and the go-azure-sdk's skip header in the fast profile, as ARM's
// own operation routes do.
func retryAfter(c *arm.Context, resp *arm.Response, op *arm.Operation) {
	left := time.Until(op.Due)
	if left <= 0 {
		resp.WithHeader("Retry-After", "0")
		if c.Profile().Scale == 0 {
			resp.WithHeader("X-Go-Azure-Sdk-Skip-Polling-Delay", "true")
		}
		return
	}
	resp.WithHeader("Retry-After", fmt.Sprint(min(10, int(math.Ceil(left.Seconds())))))
}
