package labcli

import (
	"context"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/peerlab/terraform-provider-peerlab/internal/azure"
)

// ConfigFromEnv reads the ARM_* variables azurerm and the peerlab provider
// read (ARM_SUBSCRIPTION_ID, ARM_TENANT_ID, ARM_CLIENT_ID,
// ARM_CLIENT_SECRET, ARM_USE_OIDC, ARM_USE_MSI, ARM_USE_CLI,
// ARM_ENVIRONMENT, ARM_METADATA_HOSTNAME, …).
func ConfigFromEnv(l azure.Lookup) (azure.Config, error) {
	s := func(set azure.Setting) string { return strings.TrimSpace(l.String(nil, set)) }
	c := azure.Config{
		SubscriptionID:            s(azure.SettingSubscriptionID),
		TenantID:                  s(azure.SettingTenantID),
		ClientID:                  s(azure.SettingClientID),
		ClientSecret:              l.String(nil, azure.SettingClientSecret),
		ClientCertificatePath:     s(azure.SettingClientCertificatePath),
		ClientCertificatePassword: l.String(nil, azure.SettingClientCertificatePassword),
		OIDCToken:                 s(azure.SettingOIDCToken),
		OIDCTokenFilePath:         s(azure.SettingOIDCTokenFilePath),
		OIDCRequestURL:            s(azure.SettingOIDCRequestURL),
		OIDCRequestToken:          s(azure.SettingOIDCRequestToken),
		Environment:               s(azure.SettingEnvironment),
		MetadataHost:              s(azure.SettingMetadataHost),
	}
	var err error
	if c.UseOIDC, err = l.Bool(nil, azure.SettingUseOIDC, false); err != nil {
		return c, err
	}
	if c.UseMSI, err = l.Bool(nil, azure.SettingUseMSI, false); err != nil {
		return c, err
	}
	if c.UseCLI, err = l.Bool(nil, azure.SettingUseCLI, true); err != nil {
		return c, err
	}
	return c, nil
}

// FromEnv signs in as the provider does from the ARM_* variables: the
// cloud is ARM_METADATA_HOSTNAME's metadata document when set (the
// emulator, Azure Stack), else ARM_ENVIRONMENT's (default public); the
// credential is the one the settings select.
func FromEnv(ctx context.Context, l azure.Lookup) (*Clients, error) {
	cfg, err := ConfigFromEnv(l)
	if err != nil {
		return nil, err
	}
	// NewClients resolves the cloud and the credential; its network
	// factory is not used here.
	az, err := azure.NewClients(ctx, cfg, azure.Options{ApplicationID: "peerlab-lab"})
	if err != nil {
		return nil, err
	}
	opts := &arm.ClientOptions{ClientOptions: policy.ClientOptions{
		Cloud:     az.Cloud,
		Retry:     azure.RetryOptions(),
		Telemetry: policy.TelemetryOptions{ApplicationID: "peerlab-lab"},
	}}
	return New(cfg.SubscriptionID, az.Credential, opts)
}
