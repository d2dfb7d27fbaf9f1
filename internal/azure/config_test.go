package azure

import (
	"strings"
	"testing"
)

func lookup(env map[string]string) Lookup {
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
}

func ptr[T any](v T) *T { return &v }

func TestLookupPrefersTheAttribute(t *testing.T) {
	l := lookup(map[string]string{"ARM_TENANT_ID": "from-env", "ARM_USE_CLI": "false", "ARM_AUXILIARY_TENANT_IDS": "t1; t2;;"})
	if got := l.String(ptr("from-config"), SettingTenantID); got != "from-config" {
		t.Errorf("attribute: %q", got)
	}
	if got := l.String(nil, SettingTenantID); got != "from-env" {
		t.Errorf("variable: %q", got)
	}
	if got := l.String(nil, SettingClientID); got != "" {
		t.Errorf("neither: %q", got)
	}
	if got, err := l.Bool(nil, SettingUseCLI, true); err != nil || got {
		t.Errorf("bool from variable: %v, %v", got, err)
	}
	if got, err := l.Bool(ptr(true), SettingUseCLI, false); err != nil || !got {
		t.Errorf("bool from attribute: %v, %v", got, err)
	}
	if got, err := l.Bool(nil, SettingUseMSI, false); err != nil || got {
		t.Errorf("bool default: %v, %v", got, err)
	}
	if got := l.List(nil, false, SettingAuxiliaryTenantIDs); strings.Join(got, ",") != "t1,t2" {
		t.Errorf("list from variable: %q", got)
	}
	if got := l.List([]string{}, true, SettingAuxiliaryTenantIDs); len(got) != 0 {
		t.Errorf("an empty attribute list must win over the variable: %q", got)
	}
}

func TestLookupBoolErrorNamesTheVariable(t *testing.T) {
	_, err := lookup(map[string]string{"ARM_USE_OIDC": "yes please"}).Bool(nil, SettingUseOIDC, false)
	if err == nil || !strings.Contains(err.Error(), "use_oidc (or ARM_USE_OIDC)") || !strings.Contains(err.Error(), `"yes please"`) {
		t.Errorf("got %v", err)
	}
}

func TestSettingsMirrorAzurerm(t *testing.T) {
	want := map[string]string{
		"subscription_id": "ARM_SUBSCRIPTION_ID", "tenant_id": "ARM_TENANT_ID", "client_id": "ARM_CLIENT_ID",
		"client_secret": "ARM_CLIENT_SECRET", "client_certificate_path": "ARM_CLIENT_CERTIFICATE_PATH",
		"client_certificate_password": "ARM_CLIENT_CERTIFICATE_PASSWORD", "use_oidc": "ARM_USE_OIDC",
		"oidc_token": "ARM_OIDC_TOKEN", "oidc_token_file_path": "ARM_OIDC_TOKEN_FILE_PATH",
		"oidc_request_url": "ARM_OIDC_REQUEST_URL", "oidc_request_token": "ARM_OIDC_REQUEST_TOKEN",
		"use_msi": "ARM_USE_MSI", "use_cli": "ARM_USE_CLI", "environment": "ARM_ENVIRONMENT",
		"metadata_host": "ARM_METADATA_HOSTNAME", "auxiliary_tenant_ids": "ARM_AUXILIARY_TENANT_IDS",
	}
	if len(Settings) != len(want) {
		t.Fatalf("%d settings, want %d", len(Settings), len(want))
	}
	for _, s := range Settings {
		if want[s.Attribute] != s.EnvVar {
			t.Errorf("%s reads %s, want %s", s.Attribute, s.EnvVar, want[s.Attribute])
		}
	}
	for _, s := range []Setting{SettingClientSecret, SettingClientCertificatePassword, SettingOIDCToken, SettingOIDCRequestToken} {
		if !s.Sensitive {
			t.Errorf("%s is not marked sensitive", s.Attribute)
		}
	}
}
