package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/peerlab/terraform-provider-peerlab/internal/azure"
)

func envOf(m map[string]string) azure.Lookup {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func providerSchema(t *testing.T) schema.Schema {
	t.Helper()
	var resp provider.SchemaResponse
	(&peerlabProvider{}).Schema(context.Background(), provider.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	return resp.Schema
}

func TestProviderSchemaMirrorsAzurerm(t *testing.T) {
	s := providerSchema(t)
	if d := s.ValidateImplementation(context.Background()); d.HasError() {
		t.Fatal(d)
	}
	if len(s.Attributes) != len(azure.Settings) {
		t.Errorf("%d attributes, %d settings", len(s.Attributes), len(azure.Settings))
	}
	for _, set := range azure.Settings {
		a, ok := s.Attributes[set.Attribute]
		if !ok {
			t.Errorf("no attribute %s", set.Attribute)
			continue
		}
		if !strings.Contains(a.GetMarkdownDescription(), "`"+set.EnvVar+"`") {
			t.Errorf("%s does not document %s", set.Attribute, set.EnvVar)
		}
		if a.IsSensitive() != set.Sensitive {
			t.Errorf("%s sensitive = %v", set.Attribute, a.IsSensitive())
		}
		if a.IsRequired() {
			t.Errorf("%s is required; every setting may come from the environment", set.Attribute)
		}
	}
}

// emptyProviderModel has every setting null.
func emptyProviderModel() providerModel {
	return providerModel{AuxiliaryTenantIDs: types.ListNull(types.StringType)}
}

func TestProviderConfigResolution(t *testing.T) {
	p := &peerlabProvider{lookup: envOf(map[string]string{
		"ARM_TENANT_ID": "env-tenant", "ARM_CLIENT_ID": "env-client", "ARM_CLIENT_SECRET": "env-secret",
		"ARM_USE_CLI": "false", "ARM_AUXILIARY_TENANT_IDS": "t2;t3", "ARM_METADATA_HOSTNAME": "127.0.0.1:1234",
	})}
	m := emptyProviderModel()
	m.TenantID = types.StringValue("config-tenant")
	c, err := p.config(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if c.TenantID != "config-tenant" || c.ClientID != "env-client" || c.ClientSecret != "env-secret" || c.UseCLI || c.MetadataHost != "127.0.0.1:1234" {
		t.Errorf("config %+v", c)
	}
	if strings.Join(c.AuxiliaryTenantIDs, ",") != "t2,t3" {
		t.Errorf("aux %v", c.AuxiliaryTenantIDs)
	}
	if m, _ := azure.SelectAuth(c); m != azure.AuthClientSecret {
		t.Errorf("method %q", m)
	}
	m.AuxiliaryTenantIDs, _ = types.ListValueFrom(context.Background(), types.StringType, []string{"a", "b", "c", "d"})
	if _, err := p.config(context.Background(), m); err == nil || !strings.Contains(err.Error(), "auxiliary_tenant_ids (or ARM_AUXILIARY_TENANT_IDS)") {
		t.Errorf("four auxiliary tenants: %v", err)
	}
}

func TestProviderConfigCredentialSelection(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		set  func(m *providerModel)
		want azure.AuthMethod
		err  string
	}{
		{"cli by default", nil, nil, azure.AuthAzureCLI, ""},
		{"msi from env", map[string]string{"ARM_USE_MSI": "true"}, nil, azure.AuthManagedIdentity, ""},
		{"oidc file from attributes", map[string]string{"ARM_TENANT_ID": "t", "ARM_CLIENT_ID": "c"}, func(m *providerModel) {
			m.UseOIDC, m.OIDCTokenFilePath = types.BoolValue(true), types.StringValue("/run/token")
		}, azure.AuthOIDCTokenFile, ""},
		{"attribute false beats env true", map[string]string{"ARM_USE_MSI": "true"}, func(m *providerModel) { m.UseMSI = types.BoolValue(false) }, azure.AuthAzureCLI, ""},
		{"nothing", map[string]string{"ARM_USE_CLI": "false"}, nil, "", "no way to sign in"},
		{"secret without tenant", map[string]string{"ARM_CLIENT_ID": "c", "ARM_CLIENT_SECRET": "hunter2"}, nil, azure.AuthClientSecret, "tenant_id (or ARM_TENANT_ID)"},
		{"bad boolean", map[string]string{"ARM_USE_OIDC": "maybe"}, nil, "", "use_oidc (or ARM_USE_OIDC)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := &peerlabProvider{lookup: envOf(tc.env)}
			m := emptyProviderModel()
			if tc.set != nil {
				tc.set(&m)
			}
			c, err := p.config(context.Background(), m)
			var method azure.AuthMethod
			if err == nil {
				method, err = azure.SelectAuth(c)
			}
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %v, want %q", err, tc.err)
				}
				if strings.Contains(err.Error(), "hunter2") {
					t.Error("the secret is in the error")
				}
				return
			}
			if err != nil || method != tc.want {
				t.Errorf("method %q, err %v; want %q", method, err, tc.want)
			}
		})
	}
}

// providerConfig builds a provider block from attribute values.
func providerConfig(t *testing.T, values map[string]tftypes.Value) tfsdk.Config {
	t.Helper()
	s := providerSchema(t)
	typ := s.Type().TerraformType(context.Background()).(tftypes.Object)
	all := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		all[name] = tftypes.NewValue(at, nil)
	}
	for k, v := range values {
		all[k] = v
	}
	return tfsdk.Config{Schema: s, Raw: tftypes.NewValue(typ, all)}
}

func TestConfigureReportsSettingsWithoutSecrets(t *testing.T) {
	p := &peerlabProvider{lookup: envOf(map[string]string{"ARM_USE_CLI": "false"})}
	var resp provider.ConfigureResponse
	p.Configure(context.Background(), provider.ConfigureRequest{Config: providerConfig(t, map[string]tftypes.Value{
		"client_secret": tftypes.NewValue(tftypes.String, "very-secret-value"),
		"client_id":     tftypes.NewValue(tftypes.String, "c"),
	})}, &resp)
	if !resp.Diagnostics.HasError() {
		t.Fatal("configured without a tenant")
	}
	text := resp.Diagnostics[0].Summary() + resp.Diagnostics[0].Detail()
	if !strings.Contains(text, "tenant_id (or ARM_TENANT_ID)") || strings.Contains(text, "very-secret-value") {
		t.Errorf("diagnostic %q", text)
	}
	if resp.ResourceData != nil {
		t.Error("provider data set after an error")
	}
}

func TestConfigureRefusesUnknownSettings(t *testing.T) {
	p := &peerlabProvider{lookup: envOf(nil)}
	var resp provider.ConfigureResponse
	p.Configure(context.Background(), provider.ConfigureRequest{Config: providerConfig(t, map[string]tftypes.Value{
		"tenant_id": tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
	})}, &resp)
	if !resp.Diagnostics.HasError() || !strings.Contains(resp.Diagnostics[0].Detail(), `"tenant_id"`) || !strings.Contains(resp.Diagnostics[0].Detail(), "ARM_TENANT_ID") {
		t.Errorf("diagnostics %v", resp.Diagnostics)
	}
}

func TestConfigureWithCLISucceedsOffline(t *testing.T) {
	// Building the CLI credential calls nothing; the first token request would.
	p := &peerlabProvider{version: "test", lookup: envOf(map[string]string{"ARM_ENVIRONMENT": "china"})}
	var resp provider.ConfigureResponse
	p.Configure(context.Background(), provider.ConfigureRequest{Config: providerConfig(t, nil)}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	data, ok := resp.ResourceData.(*providerData)
	if !ok || data.engine == nil || data.clients.Method != azure.AuthAzureCLI || resp.DataSourceData != resp.ResourceData {
		t.Fatalf("provider data %#v", resp.ResourceData)
	}
	if !strings.Contains(data.clients.Cloud.ActiveDirectoryAuthorityHost, "chinacloudapi.cn") {
		t.Errorf("cloud %+v", data.clients.Cloud)
	}
}

func TestProviderLists(t *testing.T) {
	p := New("1.0")()
	var md provider.MetadataResponse
	p.Metadata(context.Background(), provider.MetadataRequest{}, &md)
	if md.TypeName != "peerlab" || md.Version != "1.0" {
		t.Errorf("metadata %+v", md)
	}
	pp := p.(*peerlabProvider)
	if len(pp.Resources(context.Background())) != 1 || len(pp.DataSources(context.Background())) != 1 || len(pp.Functions(context.Background())) != 1 {
		t.Error("resources, data sources or functions missing")
	}
}
