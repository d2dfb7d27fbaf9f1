package identity

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
)

// GraphPath is the path of the emulator's Microsoft Graph resource ID; Graph
// tokens carry it as audience and are refused by ARM.
const GraphPath = "/graph/"

// CloudName is the name in the cloud metadata document.
const CloudName = "PeerlabEmulator"

// Metadata is the cloud metadata document (api-version 2022-09-01): one
// object naming every endpoint as Azure's public cloud does, pointing at the
// emulator.
func Metadata(base string) map[string]any {
	host := strings.TrimPrefix(base, "https://")
	return map[string]any{
		"name":                                  CloudName,
		"portal":                                base + "/portal",
		"resourceManager":                       base + "/",
		"microsoftGraphResourceId":              base + GraphPath,
		"graph":                                 base + GraphPath,
		"graphAudience":                         base + GraphPath,
		"media":                                 base + "/media/",
		"batch":                                 base + "/batch/",
		"gallery":                               base + "/gallery/",
		"sqlManagement":                         base + "/sql/",
		"activeDirectoryDataLake":               base + "/datalake/",
		"vmImageAliasDoc":                       base + "/vmimagealiasdoc.json",
		"appInsightsResourceId":                 base + "/appinsights/",
		"appInsightsTelemetryChannelResourceId": base + "/appinsights-telemetry/",
		"attestationResourceId":                 base + "/attestation/",
		"synapseAnalyticsResourceId":            base + "/synapse/",
		"logAnalyticsResourceId":                base + "/loganalytics/",
		"ossrDbmsResourceId":                    base + "/ossrdbms/",
		"authentication": map[string]any{
			"loginEndpoint":    base + "/",
			"audiences":        []string{base + "/"},
			"tenant":           "common",
			"identityProvider": "AAD",
		},
		"suffixes": map[string]any{
			"acrLoginServer":                      "azurecr." + host,
			"sqlServerHostname":                   "database." + host,
			"keyVaultDns":                         "vault." + host,
			"storage":                             "storage." + host,
			"azureFrontDoorEndpointSuffix":        "azurefd." + host,
			"storageSyncEndpointSuffix":           "afs." + host,
			"mhsmDns":                             "managedhsm." + host,
			"mysqlServerEndpoint":                 "mysql." + host,
			"postgresqlServerEndpoint":            "postgres." + host,
			"mariadbServerEndpoint":               "mariadb." + host,
			"synapseAnalytics":                    "sql.synapse." + host,
			"attestationEndpoint":                 "attest." + host,
			"azureDataLakeStoreFileSystem":        "datalake." + host,
			"azureDataLakeAnalyticsCatalogAndJob": "datalakeanalytics." + host,
		},
	}
}

// Register adds the identity endpoints to mux: OpenID discovery, keys and
// token endpoints per tenant (v2 and v1), and the emulator's own workload
// identity issuer.
func (i *Issuer) Register(mux *http.ServeMux, base func(r *http.Request) string) {
	mux.HandleFunc("GET /{tenant}/v2.0/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		b := base(r)
		t := r.PathValue("tenant")
		if !i.knownTenant(t) {
			aadError(w, http.StatusBadRequest, "invalid_tenant", 90002, fmt.Sprintf("Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.", t))
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"issuer":                                issuerURL(b, t),
			"authorization_endpoint":                b + "/" + t + "/oauth2/v2.0/authorize",
			"token_endpoint":                        b + "/" + t + "/oauth2/v2.0/token",
			"device_authorization_endpoint":         b + "/" + t + "/oauth2/v2.0/devicecode",
			"jwks_uri":                              b + "/" + t + "/discovery/v2.0/keys",
			"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
			"subject_types_supported":               []string{"pairwise"},
			"id_token_signing_alg_values_supported": []string{"RS256"},
			"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
			"tenant_region_scope":                   "NA",
			"cloud_instance_name":                   strings.TrimPrefix(b, "https://"),
		})
	})
	keys := func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, i.JWKS()) }
	mux.HandleFunc("GET /{tenant}/discovery/v2.0/keys", keys)
	mux.HandleFunc("GET /{tenant}/discovery/keys", keys)
	mux.HandleFunc("POST /{tenant}/oauth2/v2.0/token", func(w http.ResponseWriter, r *http.Request) { i.token(w, r, base(r), true) })
	mux.HandleFunc("POST /{tenant}/oauth2/token", func(w http.ResponseWriter, r *http.Request) { i.token(w, r, base(r), false) })

	mux.HandleFunc("GET /_emulator/oidc/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		b := base(r)
		writeJSON(w, http.StatusOK, map[string]any{"issuer": selfOIDCIssuer(b), "jwks_uri": selfOIDCIssuer(b) + "/keys",
			"id_token_signing_alg_values_supported": []string{"RS256"}, "response_types_supported": []string{"id_token"}, "subject_types_supported": []string{"public"}})
	})
	mux.HandleFunc("GET /_emulator/oidc/keys", keys)
}

func (i *Issuer) knownTenant(t string) bool {
	_, ok := i.Config().Tenant(t)
	return ok
}

// token serves the client-credentials grant: a secret, a certificate
// assertion or a federated assertion; v2 takes a scope, v1 a resource.
func (i *Issuer) token(w http.ResponseWriter, r *http.Request, base string, v2 bool) {
	if err := r.ParseForm(); err != nil {
		aadError(w, http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.")
		return
	}
	tenant := r.PathValue("tenant")
	cfg := i.Config()
	if _, ok := cfg.Tenant(tenant); !ok {
		aadError(w, http.StatusBadRequest, "invalid_request", 90002, fmt.Sprintf("Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.", tenant))
		return
	}
	if gt := r.PostForm.Get("grant_type"); gt != "client_credentials" {
		aadError(w, http.StatusBadRequest, "unsupported_grant_type", 70003, fmt.Sprintf("The app requested an unsupported grant type '%s'. The emulator supports client_credentials only.", gt))
		return
	}
	clientID := r.PostForm.Get("client_id")
	p, ok := cfg.PrincipalByClientID(clientID)
	if !ok {
		aadError(w, http.StatusBadRequest, "unauthorized_client", 700016, fmt.Sprintf("Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.", clientID, tenant))
		return
	}
	oid, ok := p.ObjectIDIn(tenant)
	if !ok {
		aadError(w, http.StatusBadRequest, "unauthorized_client", 700016, fmt.Sprintf("Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.", clientID, tenant))
		return
	}
	acr := "1"
	switch {
	case r.PostForm.Get("client_secret") != "":
		if p.Secret == "" || r.PostForm.Get("client_secret") != p.Secret {
			aadError(w, http.StatusUnauthorized, "invalid_client", 7000215, fmt.Sprintf("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.", clientID))
			return
		}
	case r.PostForm.Get("client_assertion") != "":
		if t := r.PostForm.Get("client_assertion_type"); t != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
			aadError(w, http.StatusBadRequest, "invalid_request", 50027, fmt.Sprintf("Invalid client_assertion_type '%s'.", t))
			return
		}
		if err := i.checkAssertion(base, base+r.URL.Path, p, r.PostForm.Get("client_assertion")); err != nil {
			aadError(w, http.StatusUnauthorized, "invalid_client", 700027, err.Error())
			return
		}
		acr = "2"
	default:
		aadError(w, http.StatusUnauthorized, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
		return
	}
	resource := r.PostForm.Get("resource")
	if v2 {
		resource = scopeToResource(r.PostForm.Get("scope"))
	}
	if resource == "" {
		aadError(w, http.StatusBadRequest, "invalid_scope", 1002012, "The provided value for scope or resource is not valid.")
		return
	}
	tok, exp, err := i.issue(base, p, tenant, oid, resource, acr)
	if err != nil {
		aadError(w, http.StatusInternalServerError, "server_error", 90000, "signing the token failed")
		return
	}
	secs := int(time.Until(exp).Seconds())
	writeJSON(w, http.StatusOK, map[string]any{"token_type": "Bearer", "expires_in": secs, "ext_expires_in": secs, "access_token": tok})
}

// scopeToResource turns "https://host//.default" or "https://host/.default"
// into "https://host/".
func scopeToResource(scope string) string {
	for _, s := range strings.Fields(scope) {
		s = strings.TrimSuffix(s, ".default")
		if strings.HasPrefix(s, "https://") {
			rest := strings.TrimPrefix(s, "https://")
			for strings.Contains(rest, "//") {
				rest = strings.ReplaceAll(rest, "//", "/")
			}
			if !strings.HasSuffix(rest, "/") {
				rest += "/"
			}
			return "https://" + rest
		}
		if s != "" {
			return s
		}
	}
	return ""
}

// aadError writes an Entra ID error: no secret ever appears in it.
func aadError(w http.ResponseWriter, status int, code string, aadsts int, desc string) {
	trace := uuid.NewString()
	if !strings.HasPrefix(desc, "AADSTS") {
		desc = fmt.Sprintf("AADSTS%d: %s", aadsts, desc)
	}
	writeJSON(w, status, map[string]any{
		"error": code, "error_description": desc + " Trace ID: " + trace,
		"error_codes": []int{aadsts}, "timestamp": time.Now().UTC().Format("2006-01-02 15:04:05Z"),
		"trace_id": trace, "correlation_id": uuid.NewString(),
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store, no-cache")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
