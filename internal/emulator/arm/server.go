package arm

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// Server serves ARM requests from a routing table.
type Server struct {
	Store   *store.Store
	Router  *Router
	Auth    Authorizer
	Ops     *Operations
	Profile *Profile
	Log     *slog.Logger

	throttle *throttle
	onDelete map[string]DeleteHook
}

// DeleteHook runs inside the write transaction that deletes a resource of
// its type, before the resource goes: a VNet disconnects its remote
// peerings, a VM takes its OS disk with it.
type DeleteHook func(tx *store.Tx, r *store.Resource)

// OnDelete registers the hook for a resource type.
func (s *Server) OnDelete(typ string, h DeleteHook) {
	if s.onDelete == nil {
		s.onDelete = map[string]DeleteHook{}
	}
	s.onDelete[strings.ToLower(typ)] = h
}

// DeleteTree deletes a resource and everything below it, deepest first,
// running each type's delete hook.
func (s *Server) DeleteTree(tx *store.Tx, id string) {
	below := tx.Under(id, "")
	for i := len(below) - 1; i >= 0; i-- {
		s.deleteOne(tx, below[i])
	}
	if r, ok := tx.Get(id); ok {
		s.deleteOne(tx, r)
	}
}

func (s *Server) deleteOne(tx *store.Tx, r *store.Resource) {
	if _, ok := tx.Get(r.ID); !ok {
		return // a hook already took it
	}
	if h := s.onDelete[strings.ToLower(r.Type)]; h != nil {
		h(tx, r)
	}
	tx.Delete(r.ID)
}

// NewServer returns an ARM server with the operation-status routes in
// place; resource types add theirs to Router.
func NewServer(st *store.Store, auth Authorizer, p *Profile, log *slog.Logger) *Server {
	s := &Server{Store: st, Router: &Router{}, Auth: auth, Ops: NewOperations(st, p), Profile: p, Log: log}
	if p.Throttle {
		s.throttle = newThrottle(p)
	}
	r := s.Router
	r.Handle(http.MethodGet, "/subscriptions/{subscriptionId}/providers/{namespace}/locations/{location}/operations/{operationId}", "", operationStatus)
	r.Handle(http.MethodGet, "/subscriptions/{subscriptionId}/providers/{namespace}/locations/{location}/operationResults/{operationId}", "", operationResult)
	r.Handle(http.MethodGet, "/subscriptions/{subscriptionId}/operationresults/{operationId}", "", operationResult)
	return s
}

var apiVersionPattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}(-preview|-beta|-alpha|-privatepreview)?$`)

// ServeHTTP authenticates, checks the api-version, routes, authorizes,
// throttles, and writes the handler's answer.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	reqID := uuid.NewString()
	corr := r.Header.Get("x-ms-correlation-request-id")
	if corr == "" {
		corr = reqID
	}
	h := w.Header()
	h.Set("x-ms-request-id", reqID)
	h.Set("x-ms-correlation-request-id", corr)
	h.Set("x-ms-routing-request-id", "LOCAL:"+start.UTC().Format("20060102T150405Z")+":"+reqID)
	h.Set("Cache-Control", "no-cache")
	h.Set("Pragma", "no-cache")
	h.Set("Expires", "-1")
	if id := r.Header.Get("x-ms-client-request-id"); id != "" {
		h.Set("x-ms-client-request-id", id)
	}

	resp, err := s.serve(r, reqID)
	status := s.write(w, r, resp, err)
	if s.Log != nil {
		s.Log.Debug("arm", "method", r.Method, "path", r.URL.Path, "status", status, "ms", time.Since(start).Milliseconds())
	}
}

func (s *Server) serve(r *http.Request, reqID string) (*Response, error) {
	caller, aerr := s.Auth.Authenticate(r)
	if aerr != nil {
		return nil, aerr
	}
	apiVersion := queryValue(r, "api-version")
	if apiVersion == "" {
		return nil, BadRequest("MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.")
	}
	if !apiVersionPattern.MatchString(apiVersion) {
		return nil, BadRequest("InvalidApiVersionParameter", "The api-version '%s' is invalid. The supported versions are dates in the form YYYY-MM-DD, optionally followed by -preview.", apiVersion)
	}
	route, vars, pathKnown := s.Router.match(r.Method, r.URL.Path)
	if route == nil {
		if pathKnown {
			return nil, Errorf(http.StatusMethodNotAllowed, "MethodNotAllowed", "The requested resource does not support http method '%s'.", r.Method)
		}
		return nil, unknownPath(r.URL.Path, apiVersion)
	}
	if sub := vars["subscriptionId"]; sub != "" {
		if err := s.Auth.CheckSubscription(caller, sub); err != nil {
			return nil, err
		}
	}
	if route.Action != "" {
		if err := s.Auth.Authorize(caller, r.URL.Path, route.Action); err != nil {
			return nil, err
		}
	}
	if s.throttle != nil {
		if err := s.throttle.take(caller, vars["subscriptionId"], r.Method); err != nil {
			return nil, err
		}
	}
	var body []byte
	if r.Body != nil {
		b, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
		if err != nil {
			return nil, BadRequest("InvalidRequestContent", "The request body could not be read: %v", err)
		}
		body = b
	}
	s.Ops.Settle()
	c := &Context{Req: r, Vars: vars, APIVersion: apiVersion, Body: body, Caller: caller, RequestID: reqID, srv: s}
	return route.Handler(c)
}

// write is the one place that turns answers and errors into HTTP.
func (s *Server) write(w http.ResponseWriter, r *http.Request, resp *Response, err error) int {
	if err != nil {
		var ae *Error
		if !errors.As(err, &ae) {
			ae = Internal(err)
		}
		WriteError(w, ae)
		return ae.Status
	}
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	if resp.Body == nil {
		w.WriteHeader(resp.Status)
		return resp.Status
	}
	b, merr := json.Marshal(resp.Body)
	if merr != nil {
		WriteError(w, Internal(merr))
		return http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(resp.Status)
	_, _ = w.Write(b)
	return resp.Status
}

// WriteError writes the ARM error envelope.
func WriteError(w http.ResponseWriter, e *Error) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("x-ms-failure-cause", "gateway")
	if e.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="`+e.Message+`"`)
	}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", fmt.Sprint(e.RetryAfter))
	}
	w.WriteHeader(e.Status)
	_ = json.NewEncoder(w).Encode(map[string]*Error{"error": e})
}

func unknownPath(path, apiVersion string) *Error {
	id, err := ParseID(path)
	if err == nil && id.Provider != "" {
		return BadRequest("InvalidResourceType", "The resource type '%s' could not be found in the namespace '%s' for api version '%s'.",
			strings.Join(id.Types, "/"), id.Provider, apiVersion)
	}
	return NotFound("NotFound", "The requested path '%s' is not served by the Azure Resource Manager API.", path)
}

func queryValue(r *http.Request, name string) string {
	for k, v := range r.URL.Query() {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}
