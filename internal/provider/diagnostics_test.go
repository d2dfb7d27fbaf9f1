package provider

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/peerlab/terraform-provider-peerlab/internal/peering"
)

func TestAdvice(t *testing.T) {
	armErr := func(code string) error {
		return &azcore.ResponseError{ErrorCode: code, StatusCode: 400, RawResponse: &http.Response{StatusCode: 400}}
	}
	va, _ := peering.ParseVirtualNetworkID(testVNetA)
	exists := &peering.ExistsError{Side: peering.SideA, Link: va.Link("l"), PairID: "A|B"}
	cases := map[string]struct {
		err  error
		want string
	}{
		"exists":      {exists, "terraform import peerlab_bidirectional_peering.<name> 'A|B'"},
		"cross":       {armErr("LinkedAuthorizationFailed"), "auxiliary_tenant_ids (ARM_AUXILIARY_TENANT_IDS)"},
		"tenant":      {armErr("InvalidAuthenticationTokenTenant"), "auxiliary_tenant_ids (ARM_AUXILIARY_TENANT_IDS)"},
		"overlap":     {fmt.Errorf("x: %w", armErr("VnetAddressSpacesOverlap")), "subnet_names"},
		"third":       {armErr("VnetAddressSpaceOverlapsWithAlreadyPeeredVnet"), "third virtual network"},
		"disconnect":  {armErr("RemotePeeringIsDisconnected"), "apply again"},
		"timeout":     {fmt.Errorf("waiting: %w", context.DeadlineExceeded), "timeouts"},
		"one link":    {armErr("AnotherPeeringAlreadyReferencesRemoteVnet"), "one link per pair"},
		"no gateways": {armErr("RemoteVnetHasNoGateways"), "use_remote_gateways"},
	}
	for name, tc := range cases {
		if got := advice(tc.err); !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q lacks %q", name, got, tc.want)
		}
	}
	if advice(armErr("SomethingElse")) != "" {
		t.Error("advice for an unknown code")
	}
}

func TestAddErrorEndsWithTheOriginalError(t *testing.T) {
	var diags diag.Diagnostics
	err := fmt.Errorf("PUT failed: %w", &azcore.ResponseError{ErrorCode: "VnetAddressSpacesOverlap", StatusCode: 400})
	addError(&diags, "Could not create peering", `Creating the peering of "a" and "b" failed.`, err)
	d := diags[0]
	if d.Summary() != "Could not create peering" || !strings.HasPrefix(d.Detail(), `Creating the peering of "a" and "b" failed. The two`) || !strings.HasSuffix(d.Detail(), err.Error()) {
		t.Errorf("%q / %q", d.Summary(), d.Detail())
	}
}

func TestProblemPath(t *testing.T) {
	if got := problemPath(peering.Problem{Side: peering.SideB, Field: peering.FieldSubnetNames}).String(); got != "b.subnet_names" {
		t.Errorf("%q", got)
	}
	if got := problemPath(peering.Problem{Field: peering.FieldOnlyIPv6}).String(); got != "only_ipv6" {
		t.Errorf("%q", got)
	}
}
