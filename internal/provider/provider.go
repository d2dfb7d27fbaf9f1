// Package provider is the Terraform glue of peerlab: schemas, plan
// modifiers, validators, the translation between Terraform values and the
// peering engine, and diagnostics.
package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/peerlab/terraform-provider-peerlab/internal/azure"
	"github.com/peerlab/terraform-provider-peerlab/internal/peering"
)

var (
	_ provider.Provider              = (*peerlabProvider)(nil)
	_ provider.ProviderWithFunctions = (*peerlabProvider)(nil)
)

// peerlabProvider is the peerlab provider.
type peerlabProvider struct {
	version string
	// lookup reads ARM_* variables; tests replace it.
	lookup azure.Lookup
	// engineOptions tune the engine (tests shorten the waits).
	engineOptions peering.Options
}

// providerData is what Configure hands to resources and data sources.
type providerData struct {
	engine  *peering.Engine
	clients *azure.Clients
}

// New returns the provider factory for a version.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &peerlabProvider{version: version, lookup: azure.EnvLookup}
	}
}

// providerModel is the provider block.
type providerModel struct {
	SubscriptionID            types.String `tfsdk:"subscription_id"`
	TenantID                  types.String `tfsdk:"tenant_id"`
	ClientID                  types.String `tfsdk:"client_id"`
	ClientSecret              types.String `tfsdk:"client_secret"`
	ClientCertificatePath     types.String `tfsdk:"client_certificate_path"`
	ClientCertificatePassword types.String `tfsdk:"client_certificate_password"`
	UseOIDC                   types.Bool   `tfsdk:"use_oidc"`
	OIDCToken                 types.String `tfsdk:"oidc_token"`
	OIDCTokenFilePath         types.String `tfsdk:"oidc_token_file_path"`
	OIDCRequestURL            types.String `tfsdk:"oidc_request_url"`
	OIDCRequestToken          types.String `tfsdk:"oidc_request_token"`
	UseMSI                    types.Bool   `tfsdk:"use_msi"`
	UseCLI                    types.Bool   `tfsdk:"use_cli"`
	Environment               types.String `tfsdk:"environment"`
	MetadataHost              types.String `tfsdk:"metadata_host"`
	AuxiliaryTenantIDs        types.List   `tfsdk:"auxiliary_tenant_ids"`
}

// unknown lists the settings whose values are not known yet.
func (m providerModel) unknown() []azure.Setting {
	var out []azure.Setting
	for s, v := range map[azure.Setting]attr.Value{
		azure.SettingSubscriptionID: m.SubscriptionID, azure.SettingTenantID: m.TenantID, azure.SettingClientID: m.ClientID,
		azure.SettingClientSecret: m.ClientSecret, azure.SettingClientCertificatePath: m.ClientCertificatePath,
		azure.SettingClientCertificatePassword: m.ClientCertificatePassword, azure.SettingUseOIDC: m.UseOIDC,
		azure.SettingOIDCToken: m.OIDCToken, azure.SettingOIDCTokenFilePath: m.OIDCTokenFilePath,
		azure.SettingOIDCRequestURL: m.OIDCRequestURL, azure.SettingOIDCRequestToken: m.OIDCRequestToken,
		azure.SettingUseMSI: m.UseMSI, azure.SettingUseCLI: m.UseCLI, azure.SettingEnvironment: m.Environment,
		azure.SettingMetadataHost: m.MetadataHost, azure.SettingAuxiliaryTenantIDs: m.AuxiliaryTenantIDs,
	} {
		if v.IsUnknown() {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b azure.Setting) int { return strings.Compare(a.Attribute, b.Attribute) })
	return out
}

func (p *peerlabProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "peerlab"
	resp.Version = p.version
}

// settingDescription documents a setting and its variable in one place.
func settingDescription(s azure.Setting, text string) string {
	return text + " Falls back to the `" + s.EnvVar + "` environment variable."
}

func (p *peerlabProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	str := func(s azure.Setting, text string, validators ...validator.String) schema.StringAttribute {
		return schema.StringAttribute{Optional: true, Sensitive: s.Sensitive, MarkdownDescription: settingDescription(s, text), Validators: validators}
	}
	boolean := func(s azure.Setting, text string) schema.BoolAttribute {
		return schema.BoolAttribute{Optional: true, MarkdownDescription: settingDescription(s, text)}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The peerlab provider manages Azure virtual network peerings as one resource per pair of links. " +
			"It signs in like the `azurerm` provider, with the same settings and `ARM_*` environment variables, " +
			"and reaches every subscription named in a virtual network ID with the one provider block.",
		Attributes: map[string]schema.Attribute{
			"subscription_id": str(azure.SettingSubscriptionID, "The default subscription ID. Each peering takes its subscriptions from its virtual network IDs; this one is passed to the Azure CLI when signing in with it."),
			"tenant_id":       str(azure.SettingTenantID, "The Microsoft Entra tenant ID to sign in to."),
			"client_id":       str(azure.SettingClientID, "The client (application) ID of the service principal or user-assigned managed identity."),
			"client_secret":   str(azure.SettingClientSecret, "The client secret of the service principal."),
			"client_certificate_path": str(azure.SettingClientCertificatePath,
				"The path of a PKCS#12 (`.pfx`) or PEM file holding the service principal's certificate and private key."),
			"client_certificate_password": str(azure.SettingClientCertificatePassword, "The password of the client certificate file, if it has one."),
			"use_oidc":                    boolean(azure.SettingUseOIDC, "Sign in with an OpenID Connect token from a CI system (workload identity federation). Defaults to `false`."),
			"oidc_token":                  str(azure.SettingOIDCToken, "The OIDC token to exchange for an Azure token, when `use_oidc` is set."),
			"oidc_token_file_path": str(azure.SettingOIDCTokenFilePath,
				"The path of a file holding the OIDC token, read each time a token is needed, when `use_oidc` is set."),
			"oidc_request_url": str(azure.SettingOIDCRequestURL,
				"The URL to request an OIDC token from (GitHub Actions' `ACTIONS_ID_TOKEN_REQUEST_URL`), when `use_oidc` is set."),
			"oidc_request_token": str(azure.SettingOIDCRequestToken,
				"The bearer token for `oidc_request_url` (GitHub Actions' `ACTIONS_ID_TOKEN_REQUEST_TOKEN`)."),
			"use_msi": boolean(azure.SettingUseMSI, "Sign in with a managed identity; set `client_id` for a user-assigned one. Defaults to `false`."),
			"use_cli": boolean(azure.SettingUseCLI, "Sign in with the Azure CLI's account when no other method is configured. Defaults to `true`."),
			"environment": str(azure.SettingEnvironment,
				"The Azure cloud: "+quotedList(azure.Environments)+". Defaults to `public`. Ignored when `metadata_host` is set.",
				stringvalidator.OneOfCaseInsensitive(azure.Environments...)),
			"metadata_host": str(azure.SettingMetadataHost,
				"The host name (and port) of a cloud metadata endpoint, `https://<host>/metadata/endpoints?api-version="+azure.MetadataAPIVersion+"`, "+
					"describing a cloud that is not one of the named environments, such as Azure Stack Hub or the peerlab emulator."),
			"auxiliary_tenant_ids": schema.ListAttribute{
				Optional:    true,
				ElementType: types.StringType,
				MarkdownDescription: settingDescription(azure.SettingAuxiliaryTenantIDs,
					"Other tenants whose virtual networks are peered (up to three), for cross-tenant peering. The variable separates IDs with `;`."),
			},
		},
	}
}

// config resolves the provider block and the environment into settings.
func (p *peerlabProvider) config(ctx context.Context, m providerModel) (azure.Config, error) {
	l := p.lookup
	if l == nil {
		l = azure.EnvLookup
	}
	s := func(v types.String, set azure.Setting) string {
		return strings.TrimSpace(l.String(v.ValueStringPointer(), set))
	}
	c := azure.Config{
		SubscriptionID:            s(m.SubscriptionID, azure.SettingSubscriptionID),
		TenantID:                  s(m.TenantID, azure.SettingTenantID),
		ClientID:                  s(m.ClientID, azure.SettingClientID),
		ClientSecret:              l.String(m.ClientSecret.ValueStringPointer(), azure.SettingClientSecret),
		ClientCertificatePath:     s(m.ClientCertificatePath, azure.SettingClientCertificatePath),
		ClientCertificatePassword: l.String(m.ClientCertificatePassword.ValueStringPointer(), azure.SettingClientCertificatePassword),
		OIDCToken:                 s(m.OIDCToken, azure.SettingOIDCToken),
		OIDCTokenFilePath:         s(m.OIDCTokenFilePath, azure.SettingOIDCTokenFilePath),
		OIDCRequestURL:            s(m.OIDCRequestURL, azure.SettingOIDCRequestURL),
		OIDCRequestToken:          s(m.OIDCRequestToken, azure.SettingOIDCRequestToken),
		Environment:               s(m.Environment, azure.SettingEnvironment),
		MetadataHost:              s(m.MetadataHost, azure.SettingMetadataHost),
	}
	var err error
	if c.UseOIDC, err = l.Bool(m.UseOIDC.ValueBoolPointer(), azure.SettingUseOIDC, false); err != nil {
		return c, err
	}
	if c.UseMSI, err = l.Bool(m.UseMSI.ValueBoolPointer(), azure.SettingUseMSI, false); err != nil {
		return c, err
	}
	if c.UseCLI, err = l.Bool(m.UseCLI.ValueBoolPointer(), azure.SettingUseCLI, true); err != nil {
		return c, err
	}
	var aux []string
	if !m.AuxiliaryTenantIDs.IsNull() {
		if d := m.AuxiliaryTenantIDs.ElementsAs(ctx, &aux, false); d.HasError() {
			return c, fmt.Errorf("auxiliary_tenant_ids is not a list of strings")
		}
	}
	c.AuxiliaryTenantIDs = l.List(aux, !m.AuxiliaryTenantIDs.IsNull(), azure.SettingAuxiliaryTenantIDs)
	if len(c.AuxiliaryTenantIDs) > 3 {
		return c, &azure.SettingError{Setting: azure.SettingAuxiliaryTenantIDs, Problem: fmt.Sprintf("Azure accepts at most 3 auxiliary tenants, and %d are set", len(c.AuxiliaryTenantIDs))}
	}
	return c, nil
}

func (p *peerlabProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for _, s := range m.unknown() {
		resp.Diagnostics.AddAttributeError(path.Root(s.Attribute), "Unknown provider setting",
			fmt.Sprintf("The provider setting %q depends on a value that is known only after apply, so the provider cannot sign in to plan. Set it from a value known at plan time, or from the %s environment variable.", s.Attribute, s.EnvVar))
	}
	if resp.Diagnostics.HasError() {
		return
	}
	cfg, err := p.config(ctx, m)
	if err != nil {
		resp.Diagnostics.AddError("Invalid provider setting", fmt.Sprintf("The provider configuration cannot be used. %s.", err))
		return
	}
	clients, err := azure.NewClients(ctx, cfg, azure.Options{ApplicationID: "peerlab/" + p.version})
	if err != nil {
		resp.Diagnostics.AddError("Could not configure the Azure client",
			fmt.Sprintf("The provider could not prepare its Azure sign-in. Check the settings named below, in the provider block or their ARM_* environment variables.\n\n%s", err))
		return
	}
	tflog.Info(ctx, "configured Azure client", map[string]any{"auth_method": string(clients.Method), "auxiliary_tenants": len(cfg.AuxiliaryTenantIDs), "custom_cloud": cfg.MetadataHost != ""})
	opts := p.engineOptions
	opts.Log = func(ctx context.Context, msg string, kv ...any) {
		fields := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			fields[fmt.Sprint(kv[i])] = kv[i+1]
		}
		tflog.Debug(ctx, msg, fields)
	}
	data := &providerData{engine: peering.New(clients, opts), clients: clients}
	resp.ResourceData = data
	resp.DataSourceData = data
}

func (p *peerlabProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewBidirectionalPeeringResource}
}

func (p *peerlabProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewVirtualNetworkPeeringsDataSource}
}

func (p *peerlabProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{NewOverlappingPrefixesFunction}
}

func quotedList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = "`" + s + "`"
	}
	return strings.Join(q, ", ")
}
