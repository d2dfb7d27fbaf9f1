package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/peerlab/terraform-provider-peerlab/internal/peering"
)

var (
	_ validator.String = virtualNetworkIDValidator{}
	_ validator.String = azureNameValidator{}
)

// virtualNetworkIDValidator accepts VNet IDs only; any other ID gets a
// message saying what it is and what to pass instead.
type virtualNetworkIDValidator struct{}

func (virtualNetworkIDValidator) Description(context.Context) string {
	return "must be the ID of a virtual network"
}

func (v virtualNetworkIDValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (virtualNetworkIDValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := peering.ParseVirtualNetworkID(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Not a virtual network ID",
			fmt.Sprintf("The value of %s is not the ID of a virtual network: %s.", req.Path, err))
	}
}

// azureNameValidator applies Azure's naming rule for links and subnets.
type azureNameValidator struct {
	what string // "link name", "subnet name"
}

func (v azureNameValidator) Description(context.Context) string {
	return "must be " + peering.NameRule
}

func (v azureNameValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v azureNameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if s := req.ConfigValue.ValueString(); !peering.ValidName(s) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+v.what,
			fmt.Sprintf("The %s %q at %s does not follow Azure's naming rule: %s.", v.what, s, req.Path, peering.NameRule))
	}
}
