package azure

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// AuthMethod is how the provider signs in.
type AuthMethod string

// The methods, in the order azurerm tries them.
const (
	AuthClientCertificate AuthMethod = "client certificate"
	AuthClientSecret      AuthMethod = "client secret"
	AuthOIDCToken         AuthMethod = "OIDC token"
	AuthOIDCTokenFile     AuthMethod = "OIDC token file"
	AuthOIDCRequest       AuthMethod = "OIDC token request"
	AuthManagedIdentity   AuthMethod = "managed identity"
	AuthAzureCLI          AuthMethod = "Azure CLI"
)

// SelectAuth picks the sign-in method the settings ask for, in azurerm's
// order: client certificate, client secret, OIDC, managed identity, Azure
// CLI. A method that is asked for but lacks a setting is an error naming
// the attribute and its variable, rather than a silent fall-through.
func SelectAuth(c Config) (AuthMethod, error) {
	needIDs := func(m AuthMethod) error {
		var missing []string
		if strings.TrimSpace(c.TenantID) == "" {
			missing = append(missing, SettingTenantID.Named())
		}
		if strings.TrimSpace(c.ClientID) == "" {
			missing = append(missing, SettingClientID.Named())
		}
		if len(missing) > 0 {
			return fmt.Errorf("signing in with a %s needs %s to be set", m, strings.Join(missing, " and "))
		}
		return nil
	}
	switch {
	case c.ClientCertificatePath != "":
		return AuthClientCertificate, needIDs(AuthClientCertificate)
	case c.ClientSecret != "":
		return AuthClientSecret, needIDs(AuthClientSecret)
	case c.UseOIDC:
		var m AuthMethod
		switch {
		case c.OIDCToken != "":
			m = AuthOIDCToken
		case c.OIDCTokenFilePath != "":
			m = AuthOIDCTokenFile
		case c.OIDCRequestURL != "" && c.OIDCRequestToken != "":
			m = AuthOIDCRequest
		case c.OIDCRequestURL != "":
			return AuthOIDCRequest, fmt.Errorf("use_oidc with %s also needs %s to be set", SettingOIDCRequestURL.Named(), SettingOIDCRequestToken.Named())
		case c.OIDCRequestToken != "":
			return AuthOIDCRequest, fmt.Errorf("use_oidc with %s also needs %s to be set", SettingOIDCRequestToken.Named(), SettingOIDCRequestURL.Named())
		default:
			return AuthOIDCToken, fmt.Errorf("use_oidc is set but no token is: set %s, %s, or %s with %s",
				SettingOIDCToken.Named(), SettingOIDCTokenFilePath.Named(), SettingOIDCRequestURL.Named(), SettingOIDCRequestToken.Named())
		}
		return m, needIDs(m)
	case c.UseMSI:
		return AuthManagedIdentity, nil
	case c.UseCLI:
		return AuthAzureCLI, nil
	}
	return "", fmt.Errorf("no way to sign in is configured: set %s with %s and %s, or %s, or use_oidc, or set %s or %s",
		SettingClientSecret.Named(), SettingTenantID.Named(), SettingClientID.Named(),
		SettingClientCertificatePath.Named(), SettingUseMSI.Named(), SettingUseCLI.Named())
}

// CredentialOptions are what NewCredential needs beyond the settings.
type CredentialOptions struct {
	Cloud cloud.Configuration
	// HTTPClient fetches OIDC tokens from oidc_request_url; nil uses a
	// default client.
	HTTPClient *http.Client
	// ClientOptions carry the identity traffic's transport and retry
	// settings; Cloud is set from the field above.
	ClientOptions azcore.ClientOptions
}

// NewCredential builds the azidentity credential for the selected method.
// Auxiliary tenants are allowed, so cross-tenant calls can get their tokens.
// For a cloud that is not one of Azure's own, instance discovery is off:
// otherwise MSAL would ask Microsoft's public login host about it first.
func NewCredential(c Config, o CredentialOptions) (azcore.TokenCredential, AuthMethod, error) {
	m, err := SelectAuth(c)
	if err != nil {
		return nil, m, err
	}
	co := o.ClientOptions
	co.Cloud = o.Cloud
	noDiscovery := !IsKnownCloud(o.Cloud)
	aux := c.AuxiliaryTenantIDs
	var cred azcore.TokenCredential
	switch m {
	case AuthClientCertificate:
		data, err := os.ReadFile(c.ClientCertificatePath)
		if err != nil {
			return nil, m, fmt.Errorf("reading %s: %w", SettingClientCertificatePath.Named(), err)
		}
		certs, key, err := azidentity.ParseCertificates(data, []byte(c.ClientCertificatePassword))
		if err != nil {
			// The parse error never contains the password.
			return nil, m, fmt.Errorf("reading the certificate at %s (is %s right?): %w", SettingClientCertificatePath.Named(), SettingClientCertificatePassword.Named(), err)
		}
		cred, err = azidentity.NewClientCertificateCredential(c.TenantID, c.ClientID, certs, key, &azidentity.ClientCertificateCredentialOptions{
			ClientOptions: co, AdditionallyAllowedTenants: aux, DisableInstanceDiscovery: noDiscovery,
		})
		return cred, m, err
	case AuthClientSecret:
		cred, err = azidentity.NewClientSecretCredential(c.TenantID, c.ClientID, c.ClientSecret, &azidentity.ClientSecretCredentialOptions{
			ClientOptions: co, AdditionallyAllowedTenants: aux, DisableInstanceDiscovery: noDiscovery,
		})
		return cred, m, err
	case AuthOIDCToken, AuthOIDCTokenFile, AuthOIDCRequest:
		cred, err = azidentity.NewClientAssertionCredential(c.TenantID, c.ClientID, assertionSource(c, m, o.HTTPClient), &azidentity.ClientAssertionCredentialOptions{
			ClientOptions: co, AdditionallyAllowedTenants: aux, DisableInstanceDiscovery: noDiscovery,
		})
		return cred, m, err
	case AuthManagedIdentity:
		opts := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: co}
		if c.ClientID != "" {
			opts.ID = azidentity.ClientID(c.ClientID)
		}
		cred, err = azidentity.NewManagedIdentityCredential(opts)
		return cred, m, err
	case AuthAzureCLI:
		cred, err = azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{
			TenantID: c.TenantID, Subscription: c.SubscriptionID, AdditionallyAllowedTenants: aux,
		})
		return cred, m, err
	}
	return nil, m, errors.New("unknown sign-in method " + string(m))
}

// assertionSource returns the function that gives azidentity a federated
// token each time it needs one: the fixed token, the file's current
// content (tokens on disk are rotated), or a token requested from the CI
// system (GitHub Actions style: GET oidc_request_url&audience=...).
func assertionSource(c Config, m AuthMethod, client *http.Client) func(context.Context) (string, error) {
	switch m {
	case AuthOIDCTokenFile:
		path := c.OIDCTokenFilePath
		return func(context.Context) (string, error) {
			b, err := os.ReadFile(path)
			if err != nil {
				return "", fmt.Errorf("reading %s: %w", SettingOIDCTokenFilePath.Named(), err)
			}
			return strings.TrimSpace(string(b)), nil
		}
	case AuthOIDCRequest:
		if client == nil {
			client = &http.Client{Timeout: 30 * time.Second}
		}
		reqURL, reqToken := c.OIDCRequestURL, c.OIDCRequestToken
		return func(ctx context.Context) (string, error) { return requestOIDCToken(ctx, client, reqURL, reqToken) }
	}
	token := c.OIDCToken
	return func(context.Context) (string, error) { return token, nil }
}

// oidcAudience is the audience Entra ID expects of federated credentials.
const oidcAudience = "api://AzureADTokenExchange"

func requestOIDCToken(ctx context.Context, client *http.Client, reqURL, reqToken string) (string, error) {
	u, err := url.Parse(reqURL)
	if err != nil {
		return "", fmt.Errorf("%s is not a URL: %w", SettingOIDCRequestURL.Named(), err)
	}
	q := u.Query()
	q.Set("audience", oidcAudience)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+reqToken)
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("requesting an OIDC token from %s: %w", SettingOIDCRequestURL.Named(), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		// The body of a failed request is not echoed: it may quote the token.
		return "", fmt.Errorf("requesting an OIDC token from %s: HTTP %d", SettingOIDCRequestURL.Named(), resp.StatusCode)
	}
	var out struct {
		Value string `json:"value"`
	}
	if err := json.Unmarshal(body, &out); err != nil || out.Value == "" {
		return "", fmt.Errorf("requesting an OIDC token from %s: the answer has no \"value\"", SettingOIDCRequestURL.Named())
	}
	return out.Value, nil
}
