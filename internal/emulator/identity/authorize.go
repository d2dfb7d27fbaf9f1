package identity

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
)

var _ arm.Authorizer = (*Issuer)(nil)

// Authenticate checks the bearer token of an ARM request, and any auxiliary
// tokens (x-ms-authorization-auxiliary) for other tenants.
func (i *Issuer) Authenticate(r *http.Request) (*arm.Caller, *arm.Error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, arm.Errorf(http.StatusUnauthorized, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.")
	}
	raw, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		return nil, arm.Errorf(http.StatusUnauthorized, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is provided in an invalid format.")
	}
	c, err := i.Verify(strings.TrimSpace(raw))
	if err != nil {
		return nil, arm.Errorf(http.StatusUnauthorized, "InvalidAuthenticationToken", "The access token is invalid: %v", err)
	}
	if !isARMAudience(c.Audience) {
		return nil, arm.Errorf(http.StatusUnauthorized, "InvalidAuthenticationToken", "The access token has been obtained for wrong audience or resource '%s'. It should exactly match with one of the allowed audiences of this resource manager.", strings.Join(c.Audience, ","))
	}
	caller := &arm.Caller{TenantID: c.TenantID, ObjectID: c.ObjectID, AppID: c.AppID}
	if aux := r.Header.Get("x-ms-authorization-auxiliary"); aux != "" {
		for _, part := range strings.Split(aux, ",") {
			tok, ok := strings.CutPrefix(strings.TrimSpace(part), "Bearer ")
			if !ok {
				return nil, arm.Errorf(http.StatusUnauthorized, "InvalidAuxiliaryToken", "The auxiliary token in header 'x-ms-authorization-auxiliary' is not in the form 'Bearer <token>'.")
			}
			ac, err := i.Verify(strings.TrimSpace(tok))
			if err != nil || !isARMAudience(ac.Audience) {
				return nil, arm.Errorf(http.StatusUnauthorized, "InvalidAuxiliaryToken", "The auxiliary token in header 'x-ms-authorization-auxiliary' is invalid or was obtained for another audience.")
			}
			if !strings.EqualFold(ac.AppID, c.AppID) {
				return nil, arm.Errorf(http.StatusUnauthorized, "InvalidAuxiliaryToken", "The auxiliary token was issued to application '%s', not to the caller's application '%s'.", ac.AppID, c.AppID)
			}
			caller.AuxiliaryTenants = append(caller.AuxiliaryTenants, ac.TenantID)
		}
	}
	return caller, nil
}

// isARMAudience accepts a token for a resource manager root ("https://host/"),
// and refuses tokens for Graph or other resources.
func isARMAudience(aud []string) bool {
	for _, a := range aud {
		u, err := url.Parse(a)
		if err == nil && u.Scheme == "https" && (u.Path == "/" || u.Path == "") {
			return true
		}
	}
	return false
}

// CheckSubscription implements arm.Authorizer.
func (i *Issuer) CheckSubscription(c *arm.Caller, subscription string) *arm.Error {
	sub, ok := i.Config().Subscription(subscription)
	if !ok {
		return arm.NotFound("SubscriptionNotFound", "The subscription '%s' could not be found.", subscription)
	}
	if !strings.EqualFold(sub.TenantID, c.TenantID) {
		return arm.Errorf(http.StatusUnauthorized, "InvalidAuthenticationTokenTenant",
			"The access token is from the wrong issuer 'https://sts.windows.net/%s/'. It must match the tenant 'https://sts.windows.net/%s/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/%s' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.",
			c.TenantID, sub.TenantID, sub.TenantID)
	}
	return nil
}

// Authorize implements arm.Authorizer.
func (i *Issuer) Authorize(c *arm.Caller, scope, action string) *arm.Error {
	if i.allowed(c, c.TenantID, scope, action) {
		return nil
	}
	return arm.Errorf(http.StatusForbidden, "AuthorizationFailed",
		"The client '%s' with object id '%s' does not have authorization to perform action '%s' over scope '%s' or the scope is invalid. If access was recently granted, please refresh your credentials.",
		c.AppID, c.ObjectID, action, scope)
}

// AuthorizeLinked implements arm.Authorizer: the linked resource must be in
// a subscription whose tenant the caller holds a token for (its own, or an
// auxiliary one), with the action allowed there.
func (i *Issuer) AuthorizeLinked(c *arm.Caller, linkedScope, action string) *arm.Error {
	id, err := arm.ParseID(linkedScope)
	if err != nil {
		return arm.BadRequest("InvalidResourceReference", "Resource %s referenced by the request is not a valid resource ID.", linkedScope)
	}
	sub, ok := i.Config().Subscription(id.Subscription)
	if !ok {
		return arm.Errorf(http.StatusForbidden, "LinkedAuthorizationFailed",
			"The client '%s' with object id '%s' has permission to perform the requested action; however, the linked subscription '%s' was not found.", c.AppID, c.ObjectID, id.Subscription)
	}
	tenant := ""
	if strings.EqualFold(sub.TenantID, c.TenantID) {
		tenant = c.TenantID
	}
	for _, t := range c.AuxiliaryTenants {
		if strings.EqualFold(t, sub.TenantID) {
			tenant = t
		}
	}
	if tenant == "" {
		return arm.Errorf(http.StatusForbidden, "LinkedAuthorizationFailed",
			"The client has permission to perform the requested action, however the current tenant '%s' is not authorized to access linked subscription '%s'. Pass a token for tenant '%s' in the 'x-ms-authorization-auxiliary' header.",
			c.TenantID, id.Subscription, sub.TenantID)
	}
	if !i.allowed(c, tenant, linkedScope, action) {
		return arm.Errorf(http.StatusForbidden, "LinkedAuthorizationFailed",
			"The client '%s' with object id '%s' has permission to perform the requested action; however, it does not have permission to perform action(s) '%s' on the linked scope(s) '%s' or the linked scope(s) are invalid.",
			c.AppID, c.ObjectID, action, linkedScope)
	}
	return nil
}

// allowed reports whether the caller's app, as its service principal in
// tenant, holds a role that grants action at scope.
func (i *Issuer) allowed(c *arm.Caller, tenant, scope, action string) bool {
	cfg := i.Config()
	p, ok := cfg.PrincipalByClientID(c.AppID)
	if !ok {
		return false
	}
	if _, ok := p.ObjectIDIn(tenant); !ok {
		return false
	}
	for _, ra := range p.Roles {
		sid, err := arm.ParseID(ra.Scope)
		if err != nil {
			continue
		}
		sub, ok := cfg.Subscription(sid.Subscription)
		if !ok || !strings.EqualFold(sub.TenantID, tenant) {
			continue
		}
		if scopeCovers(ra.Scope, scope) && roleAllows(ra.Role, action) {
			return true
		}
	}
	return false
}
