package azure

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
)

// subscriptionAPIVersion is the api-version of the subscription probe.
const subscriptionAPIVersion = "2022-12-01"

// tenantCredential asks for tokens of one tenant unless a request names
// another (as auxiliary tokens do), so that a subscription of an auxiliary
// tenant is called with a token of its own tenant.
type tenantCredential struct {
	azcore.TokenCredential
	tenant string
}

func (t tenantCredential) GetToken(ctx context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if o.TenantID == "" {
		o.TenantID = t.tenant
	}
	return t.TokenCredential.GetToken(ctx, o)
}

// wrongTenantRE finds the subscription's tenant in ARM's
// InvalidAuthenticationTokenTenant message or WWW-Authenticate header.
var wrongTenantRE = []*regexp.Regexp{
	regexp.MustCompile(`must match the tenant 'https://sts\.windows\.net/([0-9A-Za-z.-]+)/'`),
	regexp.MustCompile(`authority \(URL\) 'https://[^/']+/([0-9A-Za-z.-]+)'`),
	regexp.MustCompile(`authorization_uri="https://[^/"]+/([0-9A-Za-z.-]+)"`),
}

// TenantFromWrongTenantAnswer reads the subscription's tenant from a 401
// that says the token is from the wrong tenant; "" when it says nothing.
func TenantFromWrongTenantAnswer(header http.Header, body []byte) string {
	var envelope struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	_ = json.Unmarshal(body, &envelope)
	for _, s := range []string{envelope.Error.Message, header.Get("WWW-Authenticate")} {
		for _, re := range wrongTenantRE {
			if m := re.FindStringSubmatch(s); m != nil && !strings.EqualFold(m[1], "common") && !strings.EqualFold(m[1], "organizations") {
				return m[1]
			}
		}
	}
	return ""
}

// tenantOf returns the tenant to sign in to for a subscription. With no
// auxiliary tenants it is the home tenant. Otherwise ARM is asked for the
// subscription with a home-tenant token: a subscription of another tenant
// answers 401 InvalidAuthenticationTokenTenant naming its tenant, which is
// used when it is one of the auxiliary tenants.
func (c *Clients) tenantOf(ctx context.Context, subscriptionID string) string {
	home := c.Config.TenantID
	if len(c.Config.AuxiliaryTenantIDs) == 0 {
		return home
	}
	opts := c.options
	client, err := arm.NewClient("peerlab-tenant-probe", "v0.1.0", c.Credential, &opts)
	if err != nil {
		return home
	}
	req, err := runtime.NewRequest(ctx, http.MethodGet, runtime.JoinPaths(client.Endpoint(), "subscriptions", subscriptionID))
	if err != nil {
		return home
	}
	q := req.Raw().URL.Query()
	q.Set("api-version", subscriptionAPIVersion)
	req.Raw().URL.RawQuery = q.Encode()
	resp, err := client.Pipeline().Do(req)
	if err != nil {
		return home
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		return home
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	t := TenantFromWrongTenantAnswer(resp.Header, body)
	if t != "" && slices.ContainsFunc(c.Config.AuxiliaryTenantIDs, func(a string) bool { return strings.EqualFold(a, t) }) {
		return t
	}
	return home
}

// optionsFor are the ARM client options for calls signed in to tenant:
// every other configured tenant becomes auxiliary.
func (c *Clients) optionsFor(tenant string) (azcore.TokenCredential, arm.ClientOptions) {
	opts := c.options
	if tenant == "" || strings.EqualFold(tenant, c.Config.TenantID) {
		return c.Credential, opts
	}
	var aux []string
	for _, t := range append([]string{c.Config.TenantID}, c.Config.AuxiliaryTenantIDs...) {
		if t != "" && !strings.EqualFold(t, tenant) {
			aux = append(aux, t)
		}
	}
	opts.AuxiliaryTenants = aux
	return tenantCredential{TokenCredential: c.Credential, tenant: tenant}, opts
}
