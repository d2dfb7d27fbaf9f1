package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/peerlab/terraform-provider-peerlab/internal/peering"
)

// advice says what to do about an error from Azure, in a sentence or two,
// or "" when there is nothing better to say than the error itself.
func advice(err error) string {
	var exists *peering.ExistsError
	if errors.As(err, &exists) {
		return fmt.Sprintf("A link named %q already exists on virtual network %q, so it cannot be created. "+
			"To manage the existing pair with this resource, import it: terraform import %s.<name> '%s' "+
			"(or an import block with id = %q). Otherwise choose another link name.",
			exists.Link.Name, exists.Link.VirtualNetwork.String(), bidirectionalPeeringTypeName, exists.PairID, exists.PairID)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "The operation did not finish within its timeout. Raise the matching value in the timeouts attribute, or try again: Azure may have been busy."
	}
	switch code := peering.ErrCode(err); code {
	case "InvalidAuthenticationTokenTenant":
		return "A virtual network's subscription belongs to another tenant than the one the provider signed in to. " +
			"List that tenant in auxiliary_tenant_ids (ARM_AUXILIARY_TENANT_IDS), with the application registered there, so the provider signs in to it too."
	case "LinkedAuthorizationFailed", "AuthorizationFailed", "LinkedAccessCheckFailed":
		return "The signed-in principal lacks access to one of the virtual networks. Grant it Network Contributor (or the peering permissions) on both; " +
			"for a virtual network in another tenant, list that tenant in auxiliary_tenant_ids (ARM_AUXILIARY_TENANT_IDS) and register the application there."
	case "VnetAddressSpacesOverlap":
		return "The two virtual networks' address spaces overlap. Give one of them a range that does not overlap, or peer only some subnets with subnet_names on both sides."
	case "VnetAddressSpaceOverlapsWithAlreadyPeeredVnet":
		return "The address space overlaps that of a third virtual network already peered with one of these two. Change the range, or remove the other peering."
	case "AnotherPeeringAlreadyReferencesRemoteVnet":
		return "Another link on this virtual network already points at the remote one; Azure allows one link per pair of virtual networks and side. " +
			"Import the existing pair into this resource, or delete the other link."
	case peering.CodeRemotePeeringIsDisconnected:
		return "The other side's link is Disconnected. Run terraform apply again: the provider puts a Disconnected side back in place, or recreates it."
	case "RemoteVnetHasNoGateways", "VirtualNetworkGatewayNotFound":
		return "use_remote_gateways needs a virtual network gateway in the remote virtual network. Create the gateway first, or set use_remote_gateways = false."
	case "ResourceNotFound", "ReferencedResourceNotFound", "ParentResourceNotFound":
		return "One of the virtual networks does not exist. Check the virtual_network_id values, and create the networks first (reference their id attributes so Terraform orders the work)."
	}
	return ""
}

// addError adds a diagnostic: a short title, then whole sentences saying
// what failed (naming the object with %q) and what to do, ending with the
// original error.
func addError(diags *diag.Diagnostics, title, what string, err error) {
	detail := what
	if a := advice(err); a != "" {
		detail += " " + a
	}
	diags.AddError(title, detail+"\n\n"+err.Error())
}

// addProblems turns engine problems into attribute errors.
func addProblems(diags *diag.Diagnostics, problems []peering.Problem) {
	for _, p := range problems {
		diags.AddAttributeError(problemPath(p), p.Summary, p.Detail)
	}
}

// problemPath is the attribute a problem is about.
func problemPath(p peering.Problem) path.Path {
	if p.Side == "" {
		return path.Root(string(p.Field))
	}
	return path.Root(string(p.Side)).AtName(string(p.Field))
}

// pairName names a pair in messages: "a-link <-> b-link".
func pairName(spec peering.Spec) string {
	return strings.Join([]string{spec.LinkID(peering.SideA).String(), spec.LinkID(peering.SideB).String()}, " and ")
}
