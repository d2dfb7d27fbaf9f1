// Package identity is the emulator's Microsoft Entra ID: tenants,
// subscriptions, service principals with their role assignments, the token
// endpoint, signed JWTs, and the checks ARM makes with them.
package identity

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// Config is the directory: who exists and who may do what. It is kept in
// DIR/identity.json and may be edited there (restart to apply).
type Config struct {
	Tenants       []Tenant       `json:"tenants"`
	Subscriptions []Subscription `json:"subscriptions"`
	Principals    []Principal    `json:"principals"`
	// AdminKey guards /_emulator/.
	AdminKey string `json:"adminKey"`
}

// Tenant is an Entra ID tenant.
type Tenant struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Subscription belongs to one tenant.
type Subscription struct {
	ID       string `json:"id"`
	TenantID string `json:"tenantId"`
	Name     string `json:"name"`
}

// Principal is an application registration with its service principals.
type Principal struct {
	Name         string `json:"name"`
	ClientID     string `json:"clientId"`
	HomeTenantID string `json:"homeTenantId"`
	Secret       string `json:"secret,omitempty"`
	// CertificatesPEM are certificates whose keys may sign client assertions.
	CertificatesPEM []string `json:"certificatesPem,omitempty"`
	// Federated credentials accept tokens of an outside issuer (workload
	// identity). Issuer "self" is this emulator's own OIDC issuer.
	Federated []FederatedCredential `json:"federatedCredentials,omitempty"`
	// ServicePrincipals are the app's object IDs, one per tenant it is
	// enabled in (a multi-tenant app has one in each).
	ServicePrincipals []ServicePrincipal `json:"servicePrincipals"`
	Roles             []RoleAssignment   `json:"roleAssignments"`
}

// FederatedCredential trusts tokens with this issuer and subject.
type FederatedCredential struct {
	Issuer   string   `json:"issuer"`
	Subject  string   `json:"subject"`
	Audience []string `json:"audiences"`
}

// ServicePrincipal is the app's object in one tenant.
type ServicePrincipal struct {
	TenantID string `json:"tenantId"`
	ObjectID string `json:"objectId"`
}

// RoleAssignment grants a built-in role at a scope.
type RoleAssignment struct {
	Scope string `json:"scope"`
	Role  string `json:"role"`
}

// Default IDs: fixed, so that the env file and examples stay stable.
const (
	DefaultTenantID            = "5f1c0a4e-7b3d-4c2a-9e61-0d8b2f4a6c11"
	SecondTenantID             = "a83e6d27-41f0-4b9c-8d52-6e7f1c3b9a22"
	DefaultSubscriptionID      = "6b9f4d2e-3c1a-4e8b-a7f5-91d0c2e4b833"
	SecondSubscriptionID       = "c2d7e8f1-5a4b-4c3d-9e2f-1a0b8c7d6e44"
	SecondTenantSubscriptionID = "e4f5a6b7-8c9d-4e0f-a1b2-c3d4e5f6a755"
	DefaultClientID            = "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e66"
	ReaderClientID             = "1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f77"
	// FederatedSubject is the subject the default principal trusts from the
	// emulator's own OIDC issuer.
	FederatedSubject = "peerlab-ci"
	// FederatedAudience is the audience Entra ID expects in federated tokens.
	FederatedAudience = "api://AzureADTokenExchange"
)

// DefaultConfig is one lab principal with Contributor on two subscriptions
// of the main tenant and on one subscription of a second tenant (where the
// multi-tenant app also has a service principal), plus a reader.
func DefaultConfig() *Config {
	sub := func(id string) string { return "/subscriptions/" + id }
	return &Config{
		Tenants: []Tenant{{ID: DefaultTenantID, Name: "peerlab"}, {ID: SecondTenantID, Name: "peerlab-partner"}},
		Subscriptions: []Subscription{
			{ID: DefaultSubscriptionID, TenantID: DefaultTenantID, Name: "peerlab-main"},
			{ID: SecondSubscriptionID, TenantID: DefaultTenantID, Name: "peerlab-second"},
			{ID: SecondTenantSubscriptionID, TenantID: SecondTenantID, Name: "peerlab-partner"},
		},
		Principals: []Principal{
			{
				Name: "peerlab-lab", ClientID: DefaultClientID, HomeTenantID: DefaultTenantID, Secret: newSecret(),
				Federated: []FederatedCredential{{Issuer: "self", Subject: FederatedSubject, Audience: []string{FederatedAudience}}},
				ServicePrincipals: []ServicePrincipal{
					{TenantID: DefaultTenantID, ObjectID: "7e8f9a0b-1c2d-4e3f-8a5b-6c7d8e9f0a88"},
					{TenantID: SecondTenantID, ObjectID: "8f9a0b1c-2d3e-4f5a-9b6c-7d8e9f0a1b99"},
				},
				Roles: []RoleAssignment{
					{Scope: sub(DefaultSubscriptionID), Role: "Contributor"},
					{Scope: sub(SecondSubscriptionID), Role: "Contributor"},
					{Scope: sub(SecondTenantSubscriptionID), Role: "Contributor"},
				},
			},
			{
				Name: "peerlab-reader", ClientID: ReaderClientID, HomeTenantID: DefaultTenantID, Secret: newSecret(),
				ServicePrincipals: []ServicePrincipal{{TenantID: DefaultTenantID, ObjectID: "9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1caa"}},
				Roles:             []RoleAssignment{{Scope: sub(DefaultSubscriptionID), Role: "Reader"}},
			},
		},
		AdminKey: newSecret(),
	}
}

// LoadOrCreateConfig reads path, or writes the default config there.
func LoadOrCreateConfig(path string, write func(string, []byte) error) (*Config, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		var c Config
		if err := json.Unmarshal(b, &c); err != nil {
			return nil, fmt.Errorf("identity config %s is not valid JSON: %v", path, err)
		}
		return &c, c.Validate()
	}
	if !os.IsNotExist(err) {
		return nil, err
	}
	c := DefaultConfig()
	b, _ = json.MarshalIndent(c, "", "  ")
	return c, write(path, b)
}

// Validate checks that every reference in the config resolves.
func (c *Config) Validate() error {
	tenants := map[string]bool{}
	for _, t := range c.Tenants {
		tenants[strings.ToLower(t.ID)] = true
	}
	for _, s := range c.Subscriptions {
		if !tenants[strings.ToLower(s.TenantID)] {
			return fmt.Errorf("subscription %s names tenant %s, which is not in the tenants list", s.ID, s.TenantID)
		}
	}
	for _, p := range c.Principals {
		if p.ClientID == "" {
			return fmt.Errorf("principal %q has no clientId", p.Name)
		}
		for _, sp := range p.ServicePrincipals {
			if !tenants[strings.ToLower(sp.TenantID)] {
				return fmt.Errorf("principal %q has a service principal in tenant %s, which is not in the tenants list", p.Name, sp.TenantID)
			}
		}
		for _, r := range p.Roles {
			if _, ok := roleActions[strings.ToLower(r.Role)]; !ok {
				return fmt.Errorf("principal %q has role %q: known roles are Owner, Contributor, Network Contributor, Virtual Machine Contributor and Reader", p.Name, r.Role)
			}
		}
	}
	if c.AdminKey == "" {
		return fmt.Errorf("identity config has no adminKey")
	}
	return nil
}

// Subscription returns the subscription with this ID.
func (c *Config) Subscription(id string) (*Subscription, bool) {
	for i := range c.Subscriptions {
		if strings.EqualFold(c.Subscriptions[i].ID, id) {
			return &c.Subscriptions[i], true
		}
	}
	return nil, false
}

// Tenant returns the tenant with this ID.
func (c *Config) Tenant(id string) (*Tenant, bool) {
	for i := range c.Tenants {
		if strings.EqualFold(c.Tenants[i].ID, id) {
			return &c.Tenants[i], true
		}
	}
	return nil, false
}

// PrincipalByClientID returns the application with this client ID.
func (c *Config) PrincipalByClientID(id string) (*Principal, bool) {
	for i := range c.Principals {
		if strings.EqualFold(c.Principals[i].ClientID, id) {
			return &c.Principals[i], true
		}
	}
	return nil, false
}

// ObjectIDIn returns the app's service-principal object ID in a tenant.
func (p *Principal) ObjectIDIn(tenant string) (string, bool) {
	for _, sp := range p.ServicePrincipals {
		if strings.EqualFold(sp.TenantID, tenant) {
			return sp.ObjectID, true
		}
	}
	return "", false
}

func newSecret() string {
	b := make([]byte, 30)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
