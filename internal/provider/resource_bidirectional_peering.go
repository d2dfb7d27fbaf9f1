package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/peerlab/terraform-provider-peerlab/internal/peering"
)

const bidirectionalPeeringTypeName = "peerlab_bidirectional_peering"

// Default timeouts, overridden by the timeouts attribute.
const (
	defaultCreateTimeout = 30 * time.Minute
	defaultReadTimeout   = 5 * time.Minute
	defaultUpdateTimeout = 30 * time.Minute
	defaultDeleteTimeout = 30 * time.Minute
	// planCheckTimeout bounds the reads of the two VNets during a plan.
	planCheckTimeout = 2 * time.Minute
)

var (
	_ resource.Resource                   = (*bidirectionalPeeringResource)(nil)
	_ resource.ResourceWithConfigure      = (*bidirectionalPeeringResource)(nil)
	_ resource.ResourceWithImportState    = (*bidirectionalPeeringResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*bidirectionalPeeringResource)(nil)
	_ resource.ResourceWithValidateConfig = (*bidirectionalPeeringResource)(nil)
)

// bidirectionalPeeringResource is peerlab_bidirectional_peering.
type bidirectionalPeeringResource struct {
	data *providerData
}

// NewBidirectionalPeeringResource returns the resource.
func NewBidirectionalPeeringResource() resource.Resource { return &bidirectionalPeeringResource{} }

func (r *bidirectionalPeeringResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_bidirectional_peering"
}

func (r *bidirectionalPeeringResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = bidirectionalPeeringSchema(ctx)
}

func (r *bidirectionalPeeringResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected Resource Configure Type",
			fmt.Sprintf("The resource %q expected provider data of type *providerData but got %T. This is a bug in the provider; please report it.", bidirectionalPeeringTypeName, req.ProviderData))
		return
	}
	r.data = data
}

func (r *bidirectionalPeeringResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan pairModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	timeout, d := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(d...)
	spec, d := plan.spec(ctx)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	if problems := spec.Validate(); len(problems) > 0 {
		addProblems(&resp.Diagnostics, problems)
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	pair, err := r.data.engine.Create(ctx, spec)
	if err != nil {
		addError(&resp.Diagnostics, "Could not create peering",
			fmt.Sprintf("Creating the peering of virtual networks %q and %q failed.", spec.A.VirtualNetwork.String(), spec.B.VirtualNetwork.String()), err)
		return
	}
	state, d := plan.observe(ctx, pair)
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *bidirectionalPeeringResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state pairModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	timeout, d := state.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	a, b, err := state.linkIDs(ctx)
	if err != nil {
		addError(&resp.Diagnostics, "Invalid peering ID", fmt.Sprintf("The state of this peering holds an ID, %q, that is not a pair ID; remove the resource from state and import it again.", state.ID.ValueString()), err)
		return
	}
	pair, err := r.data.engine.Read(ctx, a, b)
	if err != nil {
		addError(&resp.Diagnostics, "Could not read peering", fmt.Sprintf("Reading the links %q and %q failed.", a.String(), b.String()), err)
		return
	}
	if pair.Gone() {
		tflog.Warn(ctx, "both links of the peering are gone; removing it from state", map[string]any{"a": a.String(), "b": b.String()})
		resp.State.RemoveResource(ctx)
		return
	}
	if !pair.Healthy() {
		tflog.Info(ctx, "peering needs repair", map[string]any{"a_state": string(pair.A.State()), "b_state": string(pair.B.State()), "a_sync": pair.A.SyncLevel(), "b_sync": pair.B.SyncLevel()})
	}
	newState, d := state.observe(ctx, pair)
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &newState)...)
}

func (r *bidirectionalPeeringResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior pairModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	timeout, d := plan.Timeouts.Update(ctx, defaultUpdateTimeout)
	resp.Diagnostics.Append(d...)
	spec, d := plan.spec(ctx)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	pair, err := r.data.engine.Update(ctx, spec)
	if err != nil {
		addError(&resp.Diagnostics, "Could not update peering", fmt.Sprintf("Updating the peering %s failed; the side that failed is left as Azure reports it, and the next plan shows what remains to do.", pairName(spec)), err)
		// Record what is really there, so the next plan starts from the truth.
		readCtx, cancelRead := context.WithTimeout(context.WithoutCancel(ctx), defaultReadTimeout)
		defer cancelRead()
		if now, rerr := r.data.engine.Read(readCtx, spec.LinkID(peering.SideA), spec.LinkID(peering.SideB)); rerr == nil {
			state, _ := prior.observe(ctx, now)
			resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
		} else {
			resp.Diagnostics.Append(resp.State.Set(ctx, &prior)...)
		}
		return
	}
	state, d := plan.observe(ctx, pair)
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *bidirectionalPeeringResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state pairModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	timeout, d := state.Timeouts.Delete(ctx, defaultDeleteTimeout)
	resp.Diagnostics.Append(d...)
	spec, d := state.spec(ctx)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if a, b, err := state.linkIDs(ctx); err == nil {
		spec.A.VirtualNetwork, spec.A.Name = a.VirtualNetwork, a.Name
		spec.B.VirtualNetwork, spec.B.Name = b.VirtualNetwork, b.Name
	}
	if err := r.data.engine.Delete(ctx, spec); err != nil {
		addError(&resp.Diagnostics, "Could not delete peering", fmt.Sprintf("Deleting the peering %s failed; run terraform destroy again, or delete the links that remain.", pairName(spec)), err)
	}
}

func (r *bidirectionalPeeringResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, err := peering.ParseImportID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("The import ID %q does not name a peering. Pass the pair ID or one link's ID: %s.", req.ID, err))
		return
	}
	if r.data == nil {
		resp.Diagnostics.AddError("Provider not configured", fmt.Sprintf("The provider must be configured to import %q.", req.ID))
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()
	pair, err := r.data.engine.Discover(ctx, id)
	if err != nil {
		addError(&resp.Diagnostics, "Could not import peering", fmt.Sprintf("Finding the peering named by %q failed.", req.ID), err)
		return
	}
	empty := pairModel{
		ID: types.StringNull(), OnlyIPv6: types.BoolNull(), SyncAddressSpace: types.BoolNull(), Connected: types.BoolNull(),
		A: types.ObjectNull(sideAttrTypes), B: types.ObjectNull(sideAttrTypes),
	}
	empty.Timeouts = nullTimeouts()
	state, d := empty.observe(ctx, pair)
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *bidirectionalPeeringResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan pairModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	var prior *pairModel
	if !req.State.Raw.IsNull() {
		prior = &pairModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, prior)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	swapped := false
	if prior != nil {
		var cfg pairModel
		resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
		swapped = sidesSwapped(ctx, *prior, cfg)
	}
	changing, d := planPair(ctx, &plan, prior, swapped)
	resp.Diagnostics.Append(d...)
	if swapped {
		effect := "The apply only re-orders the two sides in state: it changes nothing in Azure."
		if changing {
			effect = "Besides the changes the plan shows, the apply only re-orders the two sides in state."
		}
		resp.Diagnostics.AddWarning("Sides a and b are the other way round in state",
			fmt.Sprintf("The state holds the peering %q with its sides the other way round from the configuration, as after importing the link of the side that the configuration calls b. %s "+
				"To import without this update, pass the ID of side a's link, or the pair ID as \"<a link ID>|<b link ID>\".", prior.ID.ValueString(), effect))
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if changing && r.data != nil {
		r.checkNetworks(ctx, plan, resp)
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *bidirectionalPeeringResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg pairModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	addProblems(&resp.Diagnostics, validatePair(ctx, cfg))
}
