package arm

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// Operation statuses as the operation-status document carries them.
const (
	StatusInProgress = "InProgress"
	StatusSucceeded  = "Succeeded"
	StatusFailed     = "Failed"
	StatusCanceled   = "Canceled"
)

// FinishFunc runs when an operation completes, inside a write transaction.
// It returns the result body of a POST operation (or nil), or an error that
// fails the operation.
type FinishFunc func(tx *store.Tx) (any, *Error)

// OpSpec describes a long-running operation as it starts.
type OpSpec struct {
	// Kind names the operation as Azure does in its messages,
	// e.g. PutVirtualNetworkPeeringOperation; it also picks the duration.
	Kind string
	// ResourceID is the resource the operation changes.
	ResourceID string
	// Location is the region in the operation URLs.
	Location string
	// Locks are the resources that stay busy until the operation ends
	// (ResourceID when empty).
	Locks []string
}

// Operation is one long-running operation.
type Operation struct {
	ID           string
	Kind         string
	ResourceID   string
	Subscription string
	Namespace    string
	Location     string
	Method       string
	Start        time.Time
	Due          time.Time

	// Guarded by Operations.mu.
	status string
	end    time.Time
	err    *Error
	result any
	locks  []string
	finish FinishFunc
}

// Operations tracks long-running operations. Lock order: the store's lock,
// then mu.
type Operations struct {
	store   *store.Store
	profile *Profile
	now     func() time.Time

	mu        sync.Mutex
	ops       map[string]*Operation // every operation still answerable
	running   map[string]*Operation // the ones in progress
	lastPrune time.Time
}

// opRetention is how long a finished operation's status stays answerable.
const opRetention = time.Hour

// NewOperations returns a tracker completing operations in st.
func NewOperations(st *store.Store, p *Profile) *Operations {
	return &Operations{store: st, profile: p, now: time.Now, ops: map[string]*Operation{}, running: map[string]*Operation{}}
}

// Begin starts an operation in the write transaction tx. With a zero
// duration (the fast profile) finish runs at once in tx; otherwise it runs
// when the operation is due, and the locked resources are busy until then.
func (o *Operations) Begin(tx *store.Tx, method string, spec OpSpec, finish FinishFunc) *Operation {
	id, _ := ParseID(spec.ResourceID)
	now := o.now()
	op := &Operation{
		ID: uuid.NewString(), Kind: spec.Kind, ResourceID: spec.ResourceID,
		Subscription: id.Subscription, Namespace: id.Provider, Location: normalizeLocation(spec.Location),
		Method: method, Start: now, status: StatusInProgress, finish: finish,
	}
	if op.Namespace == "" {
		op.Namespace = "Microsoft.Resources"
	}
	op.locks = spec.Locks
	if len(op.locks) == 0 {
		op.locks = []string{spec.ResourceID}
	}
	d := o.profile.Duration(spec.Kind)
	op.Due = now.Add(d)
	o.mu.Lock()
	o.ops[op.ID] = op
	o.running[op.ID] = op
	if d == 0 {
		o.finishLocked(tx, op)
	}
	o.mu.Unlock()
	if d > 0 {
		time.AfterFunc(d, func() { o.complete(op) })
	}
	return op
}

// finishLocked runs op's finish in tx; o.mu is held.
func (o *Operations) finishLocked(tx *store.Tx, op *Operation) {
	if op.status != StatusInProgress {
		return
	}
	res, err := op.finish(tx)
	op.end = o.now()
	op.finish = nil
	delete(o.running, op.ID)
	if err != nil {
		op.status, op.err = StatusFailed, err
		return
	}
	op.status, op.result = StatusSucceeded, res
}

func (o *Operations) complete(op *Operation) {
	_ = o.store.Write(func(tx *store.Tx) error {
		o.mu.Lock()
		defer o.mu.Unlock()
		o.finishLocked(tx, op)
		return nil
	})
}

// Settle completes every operation that is due; the ARM server calls it
// before each request so that a client never sees an operation that is
// overdue but not yet applied.
func (o *Operations) Settle() {
	now := o.now()
	var due []*Operation
	o.mu.Lock()
	for _, op := range o.running {
		if !op.Due.After(now) {
			due = append(due, op)
		}
	}
	if now.Sub(o.lastPrune) > time.Minute {
		o.lastPrune = now
		for id, op := range o.ops {
			if op.status != StatusInProgress && now.Sub(op.end) > opRetention {
				delete(o.ops, id)
			}
		}
	}
	o.mu.Unlock()
	for _, op := range due {
		o.complete(op)
	}
}

// CompleteAll finishes every running operation now (at shutdown, so that
// nothing is left half-applied in the saved state).
func (o *Operations) CompleteAll() {
	o.mu.Lock()
	var all []*Operation
	for _, op := range o.running {
		all = append(all, op)
	}
	o.mu.Unlock()
	for _, op := range all {
		o.complete(op)
	}
}

// Reset forgets every operation; running ones never finish.
func (o *Operations) Reset() {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, op := range o.running {
		op.status, op.finish = StatusCanceled, nil
	}
	o.ops = map[string]*Operation{}
	o.running = map[string]*Operation{}
}

// Fail ends an operation as Failed with err (fault injection). Changes its
// finish already made stay, as they do when Azure fails a write late; the
// resource reads as Failed. It reports whether the operation exists.
func (o *Operations) Fail(id string, err *Error) bool {
	op, ok := o.Get(id)
	if !ok {
		return false
	}
	_ = o.store.Write(func(tx *store.Tx) error {
		o.mu.Lock()
		defer o.mu.Unlock()
		op.status, op.err, op.finish, op.end = StatusFailed, err, nil, o.now()
		delete(o.running, op.ID)
		markFailed(tx, op.ResourceID)
		return nil
	})
	return true
}

// markFailed sets properties.provisioningState to Failed on a resource.
func markFailed(tx *store.Tx, id string) {
	r, ok := tx.Get(id)
	if !ok {
		return
	}
	var m map[string]any
	if json.Unmarshal(r.Body, &m) != nil {
		return
	}
	if props, ok := m["properties"].(map[string]any); ok {
		props["provisioningState"] = StatusFailed
		_ = tx.Put(r.ID, r.Type, m)
	}
}

// Busy returns the running operation that holds the resource with this ID,
// or nil. Call it inside a store transaction.
func (o *Operations) Busy(id string) *Operation {
	k := store.Key(id)
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, op := range o.running {
		for _, l := range op.locks {
			if store.Key(l) == k {
				return op
			}
		}
	}
	return nil
}

// Get returns the operation with this ID.
func (o *Operations) Get(id string) (*Operation, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	op, ok := o.ops[strings.ToLower(id)]
	if !ok {
		op, ok = o.ops[id]
	}
	return op, ok
}

// State returns the operation's status, error and result.
func (o *Operations) State(op *Operation) (status string, end time.Time, err *Error, result any) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return op.status, op.end, op.err, op.result
}

// AsyncURL is the operation's Azure-AsyncOperation URL.
func (op *Operation) AsyncURL(base, apiVersion string) string {
	return fmt.Sprintf("%s/subscriptions/%s/providers/%s/locations/%s/operations/%s?api-version=%s", base, op.Subscription, op.Namespace, op.Location, op.ID, apiVersion)
}

// LocationURL is the operation's Location URL (resource groups use ARM's
// own /operationresults form).
func (op *Operation) LocationURL(base, apiVersion string) string {
	if op.Namespace == "Microsoft.Resources" {
		return fmt.Sprintf("%s/subscriptions/%s/operationresults/%s?api-version=%s", base, op.Subscription, op.ID, apiVersion)
	}
	return fmt.Sprintf("%s/subscriptions/%s/providers/%s/locations/%s/operationResults/%s?api-version=%s", base, op.Subscription, op.Namespace, op.Location, op.ID, apiVersion)
}

// Polling selects the headers that point a client at an operation.
type Polling int

const (
	// PollAsync sends Azure-AsyncOperation.
	PollAsync Polling = 1 << iota
	// PollLocation sends Location.
	PollLocation
)

// Async adds the polling headers of op to resp: Azure-AsyncOperation and/or
// Location, and Retry-After.
func (c *Context) Async(resp *Response, op *Operation, how Polling) *Response {
	base := c.BaseURL()
	if how&PollAsync != 0 {
		resp.WithHeader("Azure-AsyncOperation", op.AsyncURL(base, c.APIVersion))
	}
	if how&PollLocation != 0 {
		resp.WithHeader("Location", op.LocationURL(base, c.APIVersion))
	}
	c.retryAfter(resp, op)
	return resp
}

// retryAfter tells the client when to look again: the time left, in whole
// seconds, at most 10 as Azure's network provider asks; in the fast profile
// 0, plus the go-azure-sdk's header that skips its fixed polling delay.
func (c *Context) retryAfter(resp *Response, op *Operation) {
	left := op.Due.Sub(c.srv.Ops.now())
	if left <= 0 {
		resp.WithHeader("Retry-After", "0")
		if c.Profile().Scale == 0 {
			resp.WithHeader("X-Go-Azure-Sdk-Skip-Polling-Delay", "true")
		}
		return
	}
	s := int(math.Ceil(left.Seconds()))
	if s > 10 {
		s = 10
	}
	resp.WithHeader("Retry-After", fmt.Sprint(s))
}

// operationStatus serves GET …/locations/{location}/operations/{id}.
func operationStatus(c *Context) (*Response, error) {
	op, err := c.operation()
	if err != nil {
		return nil, err
	}
	status, end, opErr, _ := c.srv.Ops.State(op)
	doc := map[string]any{"name": op.ID, "status": status, "startTime": op.Start.UTC().Format(time.RFC3339Nano)}
	if !end.IsZero() {
		doc["endTime"] = end.UTC().Format(time.RFC3339Nano)
	}
	if opErr != nil {
		doc["error"] = opErr
	}
	resp := OK(doc)
	if status == StatusInProgress {
		c.retryAfter(resp, op)
	}
	return resp, nil
}

// operationResult serves GET …/locations/{location}/operationResults/{id}:
// 202 while running; then the result (POST), the resource (PUT), 204
// (DELETE), or the operation's error.
func operationResult(c *Context) (*Response, error) {
	op, err := c.operation()
	if err != nil {
		return nil, err
	}
	status, _, opErr, result := c.srv.Ops.State(op)
	switch status {
	case StatusInProgress:
		resp := Accepted().WithHeader("Location", op.LocationURL(c.BaseURL(), c.APIVersion))
		c.retryAfter(resp, op)
		return resp, nil
	case StatusFailed:
		return nil, opErr
	case StatusCanceled:
		return nil, Errorf(http.StatusConflict, "OperationCanceled", "The operation '%s' was canceled.", op.ID)
	}
	if result != nil {
		return OK(result), nil
	}
	if op.Method == http.MethodPut {
		var body any
		if err := c.Store().Read(func(tx *store.Tx) error { return tx.Decode(op.ResourceID, &body) }); err == nil {
			return OK(body), nil
		}
	}
	return NoContent(), nil
}

func (c *Context) operation() (*Operation, *Error) {
	op, ok := c.srv.Ops.Get(c.Var("operationId"))
	if !ok || !strings.EqualFold(op.Subscription, c.Var("subscriptionId")) {
		return nil, NotFound("OperationNotFound", "The operation '%s' could not be found.", c.Var("operationId"))
	}
	return op, nil
}

func normalizeLocation(l string) string {
	return strings.ToLower(strings.ReplaceAll(l, " ", ""))
}

// NormalizeLocation folds a region name as ARM does ("East US" → eastus).
func NormalizeLocation(l string) string { return normalizeLocation(l) }
