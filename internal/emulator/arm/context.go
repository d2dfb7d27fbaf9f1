package arm

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// Caller is the authenticated principal behind a request.
type Caller struct {
	TenantID string
	ObjectID string
	AppID    string
	// AuxiliaryTenants are the tenants of valid tokens passed in
	// x-ms-authorization-auxiliary, for cross-tenant links.
	AuxiliaryTenants []string
}

// Authorizer authenticates callers and checks their role assignments.
type Authorizer interface {
	// Authenticate checks the bearer token (401 when it is missing or invalid).
	Authenticate(r *http.Request) (*Caller, *Error)
	// CheckSubscription answers 404 for an unknown subscription and 401 for a
	// token of another tenant.
	CheckSubscription(c *Caller, subscription string) *Error
	// Authorize answers 403 AuthorizationFailed when the caller may not do
	// action at scope.
	Authorize(c *Caller, scope, action string) *Error
	// AuthorizeLinked checks an action on a resource that the request refers
	// to (a remote VNet): 403 LinkedAuthorizationFailed when not allowed.
	AuthorizeLinked(c *Caller, linkedScope, action string) *Error
}

// Context is one ARM request on its way through a handler.
type Context struct {
	Req        *http.Request
	Vars       map[string]string
	APIVersion string
	Body       []byte
	Caller     *Caller
	RequestID  string
	srv        *Server
}

// Var returns a path variable by its pattern name.
func (c *Context) Var(name string) string { return c.Vars[name] }

// Query returns a query parameter, matching its name case-insensitively.
func (c *Context) Query(name string) string {
	for k, v := range c.Req.URL.Query() {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// Store is the resource store.
func (c *Context) Store() *store.Store { return c.srv.Store }

// Ops is the long-running-operation tracker.
func (c *Context) Ops() *Operations { return c.srv.Ops }

// DeleteTree deletes a resource and all below it, running delete hooks.
func (c *Context) DeleteTree(tx *store.Tx, id string) { c.srv.DeleteTree(tx, id) }

// Profile is the timing profile in force.
func (c *Context) Profile() *Profile { return c.srv.Profile }

// BaseURL is the emulator's https base URL as the client addressed it.
func (c *Context) BaseURL() string { return "https://" + c.Req.Host }

// Decode unmarshals the request body into v (an Azure SDK model).
func (c *Context) Decode(v any) *Error {
	if len(strings.TrimSpace(string(c.Body))) == 0 {
		return BadRequest("InvalidRequestContent", "The request content was invalid and could not be deserialized: the body is empty.")
	}
	if err := json.Unmarshal(c.Body, v); err != nil {
		return InvalidRequestContent(err)
	}
	return nil
}

// AuthorizeLinked checks the caller's rights on a resource the request
// refers to.
func (c *Context) AuthorizeLinked(linkedScope, action string) *Error {
	return c.srv.Auth.AuthorizeLinked(c.Caller, linkedScope, action)
}

// ResourceID is the request path as an ID in the casing the client sent.
func (c *Context) ResourceID() string {
	return "/" + strings.Join(splitPath(c.Req.URL.Path), "/")
}

// NextLink builds the nextLink of a paged list for the page that starts at
// skip.
func (c *Context) NextLink(skip int) string {
	u := url.URL{Scheme: "https", Host: c.Req.Host, Path: c.Req.URL.Path}
	q := c.Req.URL.Query()
	q.Set("$skiptoken", fmt.Sprint(skip))
	u.RawQuery = q.Encode()
	return u.String()
}
