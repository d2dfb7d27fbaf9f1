package emulator

import (
	"crypto/tls"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azarm "github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// Cloud is the emulator as an Azure SDK cloud configuration.
func (e *Emulator) Cloud() cloud.Configuration {
	return cloud.Configuration{
		ActiveDirectoryAuthorityHost: e.URL + "/",
		Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			cloud.ResourceManager: {Endpoint: e.URL, Audience: e.URL + "/"},
		},
	}
}

// HTTPClient trusts the emulator's CA, and nothing else.
func (e *Emulator) HTTPClient() *http.Client {
	return &http.Client{Transport: &http.Transport{
		TLSClientConfig:   &tls.Config{RootCAs: e.CAPool, MinVersion: tls.VersionTLS12},
		ForceAttemptHTTP2: true,
	}}
}

// ClientOptions are Azure SDK ARM client options for the emulator.
func (e *Emulator) ClientOptions() *azarm.ClientOptions {
	return &azarm.ClientOptions{ClientOptions: policy.ClientOptions{Cloud: e.Cloud(), Transport: e.HTTPClient()}}
}

// Credential is an azidentity client-secret credential for a principal
// (the default one when clientID is empty) in a tenant (its home tenant
// when empty), as any Go client would build it for a custom cloud.
func (e *Emulator) Credential(tenantID, clientID, secret string) (azcore.TokenCredential, error) {
	c := e.Credentials()
	if clientID == "" {
		clientID, secret = c.ClientID, c.ClientSecret
	}
	if tenantID == "" {
		tenantID = c.TenantID
	}
	return azidentity.NewClientSecretCredential(tenantID, clientID, secret, &azidentity.ClientSecretCredentialOptions{
		ClientOptions:              policy.ClientOptions{Cloud: e.Cloud(), Transport: e.HTTPClient()},
		DisableInstanceDiscovery:   true,
		AdditionallyAllowedTenants: []string{"*"},
	})
}
