package azure

import (
	"os"
	"strconv"
	"strings"
)

// Config is the provider's authentication and cloud settings, each already
// resolved from its attribute or, when that is unset, its ARM_* variable.
type Config struct {
	SubscriptionID            string
	TenantID                  string
	ClientID                  string
	ClientSecret              string
	ClientCertificatePath     string
	ClientCertificatePassword string
	UseOIDC                   bool
	OIDCToken                 string
	OIDCTokenFilePath         string
	OIDCRequestURL            string
	OIDCRequestToken          string
	UseMSI                    bool
	UseCLI                    bool
	Environment               string
	MetadataHost              string
	AuxiliaryTenantIDs        []string
}

// Setting ties a provider attribute to the environment variable azurerm
// reads for it, so the schema, the fallback and every message agree.
type Setting struct {
	Attribute string
	EnvVar    string
	Sensitive bool
}

// The settings, in the order the documentation lists them.
var (
	SettingSubscriptionID            = Setting{"subscription_id", "ARM_SUBSCRIPTION_ID", false}
	SettingTenantID                  = Setting{"tenant_id", "ARM_TENANT_ID", false}
	SettingClientID                  = Setting{"client_id", "ARM_CLIENT_ID", false}
	SettingClientSecret              = Setting{"client_secret", "ARM_CLIENT_SECRET", true}
	SettingClientCertificatePath     = Setting{"client_certificate_path", "ARM_CLIENT_CERTIFICATE_PATH", false}
	SettingClientCertificatePassword = Setting{"client_certificate_password", "ARM_CLIENT_CERTIFICATE_PASSWORD", true}
	SettingUseOIDC                   = Setting{"use_oidc", "ARM_USE_OIDC", false}
	SettingOIDCToken                 = Setting{"oidc_token", "ARM_OIDC_TOKEN", true}
	SettingOIDCTokenFilePath         = Setting{"oidc_token_file_path", "ARM_OIDC_TOKEN_FILE_PATH", false}
	SettingOIDCRequestURL            = Setting{"oidc_request_url", "ARM_OIDC_REQUEST_URL", false}
	SettingOIDCRequestToken          = Setting{"oidc_request_token", "ARM_OIDC_REQUEST_TOKEN", true}
	SettingUseMSI                    = Setting{"use_msi", "ARM_USE_MSI", false}
	SettingUseCLI                    = Setting{"use_cli", "ARM_USE_CLI", false}
	SettingEnvironment               = Setting{"environment", "ARM_ENVIRONMENT", false}
	SettingMetadataHost              = Setting{"metadata_host", "ARM_METADATA_HOSTNAME", false}
	SettingAuxiliaryTenantIDs        = Setting{"auxiliary_tenant_ids", "ARM_AUXILIARY_TENANT_IDS", false}
)

// Settings lists every setting.
var Settings = []Setting{
	SettingSubscriptionID, SettingTenantID, SettingClientID, SettingClientSecret,
	SettingClientCertificatePath, SettingClientCertificatePassword,
	SettingUseOIDC, SettingOIDCToken, SettingOIDCTokenFilePath, SettingOIDCRequestURL, SettingOIDCRequestToken,
	SettingUseMSI, SettingUseCLI, SettingEnvironment, SettingMetadataHost, SettingAuxiliaryTenantIDs,
}

// Named says "tenant_id (or ARM_TENANT_ID)" for messages.
func (s Setting) Named() string { return s.Attribute + " (or " + s.EnvVar + ")" }

// Lookup reads environment variables; tests replace it.
type Lookup func(key string) (string, bool)

// EnvLookup reads the process environment.
var EnvLookup Lookup = os.LookupEnv

// String is the attribute value when set, else the variable's.
func (l Lookup) String(attr *string, s Setting) string {
	if attr != nil {
		return *attr
	}
	v, _ := l(s.EnvVar)
	return v
}

// Bool is the attribute value when set, else the variable's, else def. A
// variable that is not a boolean is an error naming it.
func (l Lookup) Bool(attr *bool, s Setting, def bool) (bool, error) {
	if attr != nil {
		return *attr, nil
	}
	v, ok := l(s.EnvVar)
	if !ok || strings.TrimSpace(v) == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(strings.TrimSpace(v))
	if err != nil {
		return def, &SettingError{Setting: s, Problem: "environment variable " + s.EnvVar + " is " + strconv.Quote(v) + ", which is not true or false"}
	}
	return b, nil
}

// List is the attribute value when set, else the variable's, split on ';'
// as azurerm does.
func (l Lookup) List(attr []string, set bool, s Setting) []string {
	if set {
		return attr
	}
	v, _ := l(s.EnvVar)
	var out []string
	for _, x := range strings.Split(v, ";") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// SettingError is a missing or wrong setting; it names the attribute and
// its variable and never carries a secret value.
type SettingError struct {
	Setting Setting
	Problem string
}

func (e *SettingError) Error() string { return e.Setting.Named() + ": " + e.Problem }
