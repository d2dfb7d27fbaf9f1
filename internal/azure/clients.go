package azure

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
)

// Options are what NewClients needs beyond the settings.
type Options struct {
	// ApplicationID goes into the User-Agent (at most 24 characters).
	ApplicationID string
	// HTTPClient fetches the cloud metadata and OIDC tokens; nil uses a
	// default client that trusts the system certificate pool.
	HTTPClient *http.Client
	// Transport replaces the SDK's HTTP transport (tests).
	Transport policy.Transporter
}

// Clients hands out ARM clients per subscription, all sharing one
// credential, cloud and retry policy.
type Clients struct {
	Cloud      cloud.Configuration
	Credential azcore.TokenCredential
	Method     AuthMethod
	Config     Config

	options   arm.ClientOptions
	mu        sync.Mutex
	factories map[string]*armnetwork.ClientFactory
}

// ResolveCloud returns the cloud the settings name: metadata_host when set,
// else environment (default public).
func ResolveCloud(ctx context.Context, c Config, client *http.Client) (cloud.Configuration, error) {
	if c.MetadataHost != "" {
		cfg, err := CloudFromMetadataHost(ctx, client, c.MetadataHost)
		if err != nil {
			return cfg, &SettingError{Setting: SettingMetadataHost, Problem: err.Error()}
		}
		return cfg, nil
	}
	cfg, err := CloudForEnvironment(c.Environment)
	if err != nil {
		return cfg, &SettingError{Setting: SettingEnvironment, Problem: err.Error()}
	}
	return cfg, nil
}

// NewClients resolves the cloud, builds the credential and prepares the ARM
// client options. It makes a network call only for metadata_host.
func NewClients(ctx context.Context, c Config, o Options) (*Clients, error) {
	cl, err := ResolveCloud(ctx, c, o.HTTPClient)
	if err != nil {
		return nil, err
	}
	base := policy.ClientOptions{
		Cloud:     cl,
		Retry:     RetryOptions(),
		Telemetry: policy.TelemetryOptions{ApplicationID: applicationID(o.ApplicationID)},
	}
	if o.Transport != nil {
		base.Transport = o.Transport
	}
	cred, method, err := NewCredential(c, CredentialOptions{Cloud: cl, HTTPClient: o.HTTPClient, ClientOptions: base})
	if err != nil {
		return nil, err
	}
	return NewClientsWithCredential(cl, cred, method, c, base), nil
}

// NewClientsWithCredential builds Clients around a credential that already
// exists (tests, and callers with their own sign-in).
func NewClientsWithCredential(cl cloud.Configuration, cred azcore.TokenCredential, method AuthMethod, c Config, base policy.ClientOptions) *Clients {
	base.Cloud = cl
	return &Clients{
		Cloud:      cl,
		Credential: cred,
		Method:     method,
		Config:     c,
		options:    arm.ClientOptions{ClientOptions: base, AuxiliaryTenants: c.AuxiliaryTenantIDs},
		factories:  map[string]*armnetwork.ClientFactory{},
	}
}

// Network returns the armnetwork client factory of a subscription, signed
// in to the subscription's own tenant (see tenantOf).
func (c *Clients) Network(ctx context.Context, subscriptionID string) (*armnetwork.ClientFactory, error) {
	if strings.TrimSpace(subscriptionID) == "" {
		return nil, fmt.Errorf("a subscription ID is required")
	}
	key := strings.ToLower(subscriptionID)
	c.mu.Lock()
	f, ok := c.factories[key]
	c.mu.Unlock()
	if ok {
		return f, nil
	}
	cred, opts := c.optionsFor(c.tenantOf(ctx, subscriptionID))
	f, err := armnetwork.NewClientFactory(subscriptionID, cred, &opts)
	if err != nil {
		return nil, fmt.Errorf("creating the network clients of subscription %q: %w", subscriptionID, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.factories[key]; ok {
		return old, nil
	}
	c.factories[key] = f
	return f, nil
}

// Peerings returns the peering client of a subscription.
func (c *Clients) Peerings(ctx context.Context, subscriptionID string) (*armnetwork.VirtualNetworkPeeringsClient, error) {
	f, err := c.Network(ctx, subscriptionID)
	if err != nil {
		return nil, err
	}
	return f.NewVirtualNetworkPeeringsClient(), nil
}

// VirtualNetworks returns the VNet client of a subscription.
func (c *Clients) VirtualNetworks(ctx context.Context, subscriptionID string) (*armnetwork.VirtualNetworksClient, error) {
	f, err := c.Network(ctx, subscriptionID)
	if err != nil {
		return nil, err
	}
	return f.NewVirtualNetworksClient(), nil
}

// applicationID fits the User-Agent's application ID rule: no spaces, at
// most 24 characters.
func applicationID(s string) string {
	s = strings.ReplaceAll(s, " ", "-")
	if len(s) > 24 {
		s = s[:24]
	}
	return s
}
