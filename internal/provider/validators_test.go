package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func validate(v validator.String, s types.String) string {
	var resp validator.StringResponse
	v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("a").AtName("virtual_network_id"), ConfigValue: s}, &resp)
	if !resp.Diagnostics.HasError() {
		return ""
	}
	return resp.Diagnostics[0].Summary() + ": " + resp.Diagnostics[0].Detail()
}

func TestVirtualNetworkIDValidator(t *testing.T) {
	v := virtualNetworkIDValidator{}
	if got := validate(v, types.StringValue(testVNetA)); got != "" {
		t.Errorf("valid: %s", got)
	}
	for _, s := range []types.String{types.StringNull(), types.StringUnknown()} {
		if got := validate(v, s); got != "" {
			t.Errorf("%s: %s", s, got)
		}
	}
	got := validate(v, types.StringValue(testVNetA+"/subnets/app"))
	for _, w := range []string{"Not a virtual network ID: ", "a.virtual_network_id", `subnet "app"`, "subnet_names"} {
		if !strings.Contains(got, w) {
			t.Errorf("%q lacks %q", got, w)
		}
	}
	if got := validate(v, types.StringValue("/subscriptions/s/resourceGroups/rg")); !strings.Contains(got, "resource group ID") {
		t.Errorf("%q", got)
	}
}

func TestAzureNameValidator(t *testing.T) {
	v := azureNameValidator{what: "link name"}
	if got := validate(v, types.StringValue("Main-to-Remote")); got != "" {
		t.Errorf("valid: %s", got)
	}
	got := validate(v, types.StringValue("bad name-"))
	if !strings.HasPrefix(got, "Invalid link name: ") || !strings.Contains(got, `"bad name-"`) || !strings.Contains(got, "1 to 80") {
		t.Errorf("%q", got)
	}
}
