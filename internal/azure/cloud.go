// Package azure turns provider settings into what the Azure SDK needs: a
// cloud configuration (public, usgovernment, china or any cloud described
// by a metadata host), an azidentity credential, and ARM clients per
// subscription that share one retry policy.
package azure

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
)

// Environments are the names accepted for environment / ARM_ENVIRONMENT,
// as azurerm spells them.
var Environments = []string{"public", "usgovernment", "china"}

// MetadataAPIVersion is the api-version of the cloud metadata document.
const MetadataAPIVersion = "2022-09-01"

// Known clouds, complete with their Resource Manager endpoints (the SDK's
// own values, which leave Services empty for the ARM packages to fill in).
var knownClouds = map[string]cloud.Configuration{
	"public": {
		ActiveDirectoryAuthorityHost: cloud.AzurePublic.ActiveDirectoryAuthorityHost,
		Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			cloud.ResourceManager: {Endpoint: "https://management.azure.com", Audience: "https://management.core.windows.net/"},
		},
	},
	"usgovernment": {
		ActiveDirectoryAuthorityHost: cloud.AzureGovernment.ActiveDirectoryAuthorityHost,
		Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			cloud.ResourceManager: {Endpoint: "https://management.usgovcloudapi.net", Audience: "https://management.core.usgovcloudapi.net/"},
		},
	},
	"china": {
		ActiveDirectoryAuthorityHost: cloud.AzureChina.ActiveDirectoryAuthorityHost,
		Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			cloud.ResourceManager: {Endpoint: "https://management.chinacloudapi.cn", Audience: "https://management.core.chinacloudapi.cn/"},
		},
	},
}

// CloudForEnvironment returns the configuration of a named Azure cloud.
func CloudForEnvironment(name string) (cloud.Configuration, error) {
	if name == "" {
		name = "public"
	}
	c, ok := knownClouds[strings.ToLower(name)]
	if !ok {
		return cloud.Configuration{}, fmt.Errorf("%q is not a known Azure environment; use one of %s, or describe the cloud with metadata_host", name, strings.Join(Environments, ", "))
	}
	return c, nil
}

// metadataDocument is the part of https://HOST/metadata/endpoints that a
// client of Resource Manager needs.
type metadataDocument struct {
	Name            string `json:"name"`
	ResourceManager string `json:"resourceManager"`
	Authentication  struct {
		LoginEndpoint    string   `json:"loginEndpoint"`
		Audiences        []string `json:"audiences"`
		Tenant           string   `json:"tenant"`
		IdentityProvider string   `json:"identityProvider"`
	} `json:"authentication"`
}

// MetadataURL is where the metadata document of host lives.
func MetadataURL(host string) string {
	return "https://" + host + "/metadata/endpoints?api-version=" + MetadataAPIVersion
}

// normaliseHost accepts host, host:port, or either behind https:// with a
// trailing slash, and refuses anything that is not HTTPS.
func normaliseHost(h string) (string, error) {
	h = strings.TrimSpace(h)
	if strings.Contains(h, "://") {
		u, err := url.Parse(h)
		if err != nil || u.Scheme != "https" || u.Host == "" || strings.Trim(u.Path, "/") != "" {
			return "", fmt.Errorf("metadata host %q must be a host name with an optional port, such as management.azure.com; the document is always fetched over HTTPS", h)
		}
		h = u.Host
	}
	h = strings.TrimSuffix(h, "/")
	if h == "" || strings.ContainsAny(h, "/?# ") {
		return "", fmt.Errorf("metadata host %q must be a host name with an optional port, such as management.azure.com", h)
	}
	return h, nil
}

// CloudFromMetadataHost fetches a cloud's metadata document and builds its
// configuration from authentication.loginEndpoint,
// authentication.audiences[0] and resourceManager. client may be nil.
func CloudFromMetadataHost(ctx context.Context, client *http.Client, host string) (cloud.Configuration, error) {
	host, err := normaliseHost(host)
	if err != nil {
		return cloud.Configuration{}, err
	}
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, MetadataURL(host), nil)
	if err != nil {
		return cloud.Configuration{}, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return cloud.Configuration{}, fmt.Errorf("fetching the cloud metadata from %s: %w", MetadataURL(host), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return cloud.Configuration{}, fmt.Errorf("reading the cloud metadata from %s: %w", MetadataURL(host), err)
	}
	if resp.StatusCode != http.StatusOK {
		return cloud.Configuration{}, fmt.Errorf("fetching the cloud metadata from %s: HTTP %d: %s", MetadataURL(host), resp.StatusCode, truncate(string(body), 300))
	}
	doc, err := parseMetadata(body, host)
	if err != nil {
		return cloud.Configuration{}, fmt.Errorf("cloud metadata from %s: %w", MetadataURL(host), err)
	}
	cfg, err := doc.configuration()
	if err != nil {
		return cfg, fmt.Errorf("cloud metadata from %s: %w", MetadataURL(host), err)
	}
	return cfg, nil
}

// parseMetadata reads one document, or picks from a list the cloud whose
// Resource Manager is host (as some older endpoints answer).
func parseMetadata(body []byte, host string) (metadataDocument, error) {
	var doc metadataDocument
	trimmed := strings.TrimSpace(string(body))
	if strings.HasPrefix(trimmed, "[") {
		var docs []metadataDocument
		if err := json.Unmarshal(body, &docs); err != nil {
			return doc, fmt.Errorf("not a metadata document: %w", err)
		}
		i := slices.IndexFunc(docs, func(d metadataDocument) bool {
			u, err := url.Parse(d.ResourceManager)
			return err == nil && strings.EqualFold(u.Host, host)
		})
		if i < 0 {
			if len(docs) == 0 {
				return doc, fmt.Errorf("the document lists no clouds")
			}
			i = 0
		}
		return docs[i], nil
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return doc, fmt.Errorf("not a metadata document: %w", err)
	}
	return doc, nil
}

func (d metadataDocument) configuration() (cloud.Configuration, error) {
	if p := d.Authentication.IdentityProvider; p != "" && !strings.EqualFold(p, "AAD") {
		return cloud.Configuration{}, fmt.Errorf("identity provider %q is not supported; only Microsoft Entra ID (AAD) clouds are", p)
	}
	for _, f := range []struct{ name, value string }{
		{"authentication.loginEndpoint", d.Authentication.LoginEndpoint},
		{"resourceManager", d.ResourceManager},
	} {
		u, err := url.Parse(f.value)
		if f.value == "" || err != nil || u.Scheme != "https" || u.Host == "" {
			return cloud.Configuration{}, fmt.Errorf("%s is %q, want an https URL", f.name, f.value)
		}
	}
	if len(d.Authentication.Audiences) == 0 || d.Authentication.Audiences[0] == "" {
		return cloud.Configuration{}, fmt.Errorf("authentication.audiences is empty; want the Resource Manager token audience first")
	}
	login := d.Authentication.LoginEndpoint
	if !strings.HasSuffix(login, "/") {
		login += "/"
	}
	return cloud.Configuration{
		ActiveDirectoryAuthorityHost: login,
		Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			cloud.ResourceManager: {Endpoint: d.ResourceManager, Audience: d.Authentication.Audiences[0]},
		},
	}, nil
}

// IsKnownCloud reports whether c is one of the named Azure clouds, whose
// authority hosts are known to Microsoft's instance discovery.
func IsKnownCloud(c cloud.Configuration) bool {
	for _, k := range knownClouds {
		if strings.EqualFold(k.ActiveDirectoryAuthorityHost, c.ActiveDirectoryAuthorityHost) {
			return true
		}
	}
	return false
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
