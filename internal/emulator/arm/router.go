package arm

import (
	"net/http"
	"strings"
)

// HandlerFunc serves one ARM operation. It returns the answer as a value;
// one adapter (Server.serve) writes every answer and every error as HTTP.
type HandlerFunc func(c *Context) (*Response, error)

// Route is one line of the routing table.
type Route struct {
	Method  string
	Pattern string // /subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}
	// Action is the RBAC action checked for the caller, e.g.
	// Microsoft.Network/virtualNetworks/write; empty means any
	// authenticated caller may call it.
	Action  string
	Handler HandlerFunc

	segs []string
}

// Router matches ARM paths case-insensitively, segment by segment, with
// {name} segments captured as variables.
type Router struct {
	routes []*Route
}

// Handle adds a route.
func (r *Router) Handle(method, pattern, action string, h HandlerFunc) {
	r.routes = append(r.routes, &Route{Method: method, Pattern: pattern, Action: action, Handler: h, segs: splitPath(pattern)})
}

// Routes lists the table, for documentation and tests.
func (r *Router) Routes() []*Route { return r.routes }

// match returns the route for the method and path, the captured variables,
// and whether the path exists under another method (for 405).
func (r *Router) match(method, path string) (*Route, map[string]string, bool) {
	segs := splitPath(path)
	pathKnown := false
	var best *Route
	var bestVars map[string]string
	bestLiterals := -1
	for _, rt := range r.routes {
		vars, literals, ok := matchSegs(rt.segs, segs)
		if !ok {
			continue
		}
		pathKnown = true
		if rt.Method != method || literals <= bestLiterals {
			continue
		}
		best, bestVars, bestLiterals = rt, vars, literals
	}
	return best, bestVars, pathKnown
}

// matchSegs matches one pattern; the number of literal segments ranks
// overlapping patterns (…/operations/{id} over …/{type}/{name}).
func matchSegs(pattern, segs []string) (map[string]string, int, bool) {
	if len(pattern) != len(segs) {
		return nil, 0, false
	}
	vars := map[string]string{}
	literals := 0
	for i, p := range pattern {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			vars[p[1:len(p)-1]] = segs[i]
			continue
		}
		if !strings.EqualFold(p, segs[i]) {
			return nil, 0, false
		}
		literals++
	}
	return vars, literals, true
}

// Response is a handler's answer.
type Response struct {
	Status int
	Body   any // marshalled as JSON; nil means no body
	Header http.Header
}

// OK is a 200 with a JSON body.
func OK(body any) *Response { return &Response{Status: http.StatusOK, Body: body} }

// Created is a 201 with a JSON body.
func Created(body any) *Response { return &Response{Status: http.StatusCreated, Body: body} }

// NoContent is a 204.
func NoContent() *Response { return &Response{Status: http.StatusNoContent} }

// Accepted is a 202 without a body.
func Accepted() *Response { return &Response{Status: http.StatusAccepted} }

// WithHeader sets a header on the response.
func (r *Response) WithHeader(k, v string) *Response {
	if r.Header == nil {
		r.Header = http.Header{}
	}
	r.Header.Set(k, v)
	return r
}
