// Package resources serves Microsoft.Resources: resource groups (with
// cascading delete), the resource listings, subscriptions, tenants and
// resource-provider registration.
package resources

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armresources/v3"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/identity"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

const groupPath = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}"

// Register adds Microsoft.Resources to the routing table.
func Register(s *arm.Server, cfg *identity.Config) {
	r := s.Router
	r.Handle(http.MethodGet, "/subscriptions/{subscriptionId}/resourcegroups", "Microsoft.Resources/subscriptions/resourceGroups/read", listGroups)
	r.Handle(http.MethodGet, groupPath, "Microsoft.Resources/subscriptions/resourceGroups/read", getGroup)
	r.Handle(http.MethodHead, groupPath, "Microsoft.Resources/subscriptions/resourceGroups/read", headGroup)
	r.Handle(http.MethodPut, groupPath, "Microsoft.Resources/subscriptions/resourceGroups/write", putGroup)
	r.Handle(http.MethodPatch, groupPath, "Microsoft.Resources/subscriptions/resourceGroups/write", patchGroup)
	r.Handle(http.MethodDelete, groupPath, "Microsoft.Resources/subscriptions/resourceGroups/delete", deleteGroup)
	r.Handle(http.MethodGet, groupPath+"/resources", "Microsoft.Resources/subscriptions/resourceGroups/resources/read", listGroupResources)
	r.Handle(http.MethodGet, "/subscriptions/{subscriptionId}/resources", "Microsoft.Resources/subscriptions/resources/read", listSubscriptionResources)
	registerSubscriptions(s, cfg)
	registerProviders(s)
}

// Resource-group names: 1-90 characters of letters, digits, underscores,
// parentheses, hyphens and periods, not ending in a period.
var groupName = regexp.MustCompile(`^[-\w._()]{1,90}$`)

func getGroup(c *arm.Context) (*arm.Response, error) {
	var out armresources.ResourceGroup
	err := c.Store().Read(func(tx *store.Tx) error {
		if err := tx.Decode(c.ResourceID(), &out); err != nil {
			return arm.ResourceGroupNotFound(c.Var("resourceGroupName"))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return arm.OK(&out), nil
}

// headGroup is CheckExistence: 204 when the group exists, 404 when not.
func headGroup(c *arm.Context) (*arm.Response, error) {
	found := false
	_ = c.Store().Read(func(tx *store.Tx) error { _, found = tx.Get(c.ResourceID()); return nil })
	if !found {
		return &arm.Response{Status: http.StatusNotFound}, nil
	}
	return arm.NoContent(), nil
}

func putGroup(c *arm.Context) (*arm.Response, error) {
	name := c.Var("resourceGroupName")
	if !groupName.MatchString(name) || strings.HasSuffix(name, ".") {
		return nil, arm.BadRequest("InvalidResourceGroup", "The provided resource group name '%s' has these invalid characters: the name can only include alphanumeric, underscore, parentheses, hyphen, period (except at end), and Unicode characters that match the allowed characters.", name)
	}
	var in armresources.ResourceGroup
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	if aerr := arm.RequireLocation(in.Location); aerr != nil {
		return nil, aerr
	}
	id := "/subscriptions/" + c.Var("subscriptionId") + "/resourceGroups/" + name
	var out armresources.ResourceGroup
	status := http.StatusOK
	err := c.Store().Write(func(tx *store.Tx) error {
		var old armresources.ResourceGroup
		if tx.Decode(id, &old) == nil {
			if !strings.EqualFold(arm.NormalizeLocation(*old.Location), arm.NormalizeLocation(*in.Location)) {
				return arm.Conflict("InvalidResourceGroupLocation", "Invalid resource group location '%s'. The Resource group already exists in location '%s'.", *in.Location, *old.Location)
			}
			if old.Properties != nil && old.Properties.ProvisioningState != nil && *old.Properties.ProvisioningState == "Deleting" {
				return arm.Conflict("ResourceGroupBeingDeleted", "The resource group '%s' is in deprovisioning state and cannot perform this operation.", name)
			}
			out = old
			out.Tags = in.Tags
			out.ManagedBy = in.ManagedBy
		} else {
			status = http.StatusCreated
			out = armresources.ResourceGroup{
				ID: to.Ptr(id), Name: to.Ptr(name), Type: to.Ptr(arm.TypeResourceGroup),
				Location: to.Ptr(arm.NormalizeLocation(*in.Location)), Tags: in.Tags, ManagedBy: in.ManagedBy,
				Properties: &armresources.ResourceGroupProperties{ProvisioningState: to.Ptr("Succeeded")},
			}
		}
		return tx.Put(id, arm.TypeResourceGroup, &out)
	})
	if err != nil {
		return nil, err
	}
	return &arm.Response{Status: status, Body: &out}, nil
}

func patchGroup(c *arm.Context) (*arm.Response, error) {
	var in armresources.ResourceGroupPatchable
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	var out armresources.ResourceGroup
	err := c.Store().Write(func(tx *store.Tx) error {
		if err := tx.Decode(c.ResourceID(), &out); err != nil {
			return arm.ResourceGroupNotFound(c.Var("resourceGroupName"))
		}
		if in.Tags != nil {
			out.Tags = in.Tags
		}
		if in.ManagedBy != nil {
			out.ManagedBy = in.ManagedBy
		}
		return tx.Put(*out.ID, arm.TypeResourceGroup, &out)
	})
	if err != nil {
		return nil, err
	}
	return arm.OK(&out), nil
}

// deleteGroup deletes the group and everything in it: 202 with a Location
// to poll, as ARM answers; the group reads as Deleting until it is gone.
func deleteGroup(c *arm.Context) (*arm.Response, error) {
	id := c.ResourceID()
	var op *arm.Operation
	err := c.Store().Write(func(tx *store.Tx) error {
		var g armresources.ResourceGroup
		if err := tx.Decode(id, &g); err != nil {
			return arm.ResourceGroupNotFound(c.Var("resourceGroupName"))
		}
		if g.Properties != nil && g.Properties.ProvisioningState != nil && *g.Properties.ProvisioningState == "Deleting" {
			return nil // already being deleted: accept again
		}
		g.Properties = &armresources.ResourceGroupProperties{ProvisioningState: to.Ptr("Deleting")}
		if err := tx.Put(id, arm.TypeResourceGroup, &g); err != nil {
			return err
		}
		gid := *g.ID
		op = c.Ops().Begin(tx, http.MethodDelete, arm.OpSpec{Kind: "DeleteResourceGroupOperation", ResourceID: gid, Location: *g.Location},
			func(tx *store.Tx) (any, *arm.Error) {
				c.DeleteTree(tx, gid)
				return nil, nil
			})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if op == nil {
		return arm.Accepted(), nil
	}
	return c.Async(arm.Accepted(), op, arm.PollLocation), nil
}

func listGroups(c *arm.Context) (*arm.Response, error) {
	var items []json.RawMessage
	_ = c.Store().Read(func(tx *store.Tx) error {
		for _, r := range tx.Children("/subscriptions/"+c.Var("subscriptionId"), arm.TypeResourceGroup) {
			items = append(items, r.Body)
		}
		return nil
	})
	return c.Paged(items)
}

// genericResource is what the resources listings show of a resource: its
// envelope without properties, plus provisioningState when $expand asks
// for it (azurerm does, before it deletes a group).
func genericResource(r *store.Resource, expand string) json.RawMessage {
	var g armresources.GenericResourceExpanded
	_ = json.Unmarshal(r.Body, &g)
	g.ID, g.Type = to.Ptr(r.ID), to.Ptr(r.Type)
	if expands(expand, "provisioningState") {
		g.ProvisioningState = to.Ptr("Succeeded")
		if props, ok := g.Properties.(map[string]any); ok {
			if s, ok := props["provisioningState"].(string); ok && s != "" {
				g.ProvisioningState = to.Ptr(s)
			}
		}
	}
	g.Properties = nil
	b, _ := json.Marshal(&g)
	return b
}

// expands reports whether a comma-separated $expand names field.
func expands(expand, field string) bool {
	for _, f := range strings.Split(expand, ",") {
		if strings.EqualFold(strings.TrimSpace(f), field) {
			return true
		}
	}
	return false
}

// listGroupResources lists the top-level resources in a group (not child
// resources such as subnets or peerings), as azurerm reads it before it
// deletes a group.
func listGroupResources(c *arm.Context) (*arm.Response, error) {
	var items []json.RawMessage
	err := c.Store().Read(func(tx *store.Tx) error {
		gid := "/subscriptions/" + c.Var("subscriptionId") + "/resourceGroups/" + c.Var("resourceGroupName")
		if _, ok := tx.Get(gid); !ok {
			return arm.ResourceGroupNotFound(c.Var("resourceGroupName"))
		}
		items = topLevel(tx.Under(gid, ""), c.Query("$filter"), c.Query("$expand"))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c.Paged(items)
}

func listSubscriptionResources(c *arm.Context) (*arm.Response, error) {
	var items []json.RawMessage
	_ = c.Store().Read(func(tx *store.Tx) error {
		items = topLevel(tx.Under("/subscriptions/"+c.Var("subscriptionId"), ""), c.Query("$filter"), c.Query("$expand"))
		return nil
	})
	return c.Paged(items)
}

// resourceTypeFilter reads "resourceType eq 'Microsoft.Network/virtualNetworks'".
var resourceTypeFilter = regexp.MustCompile(`(?i)resourceType\s+eq\s+'([^']+)'`)

func topLevel(all []*store.Resource, filter, expand string) []json.RawMessage {
	var want string
	if m := resourceTypeFilter.FindStringSubmatch(filter); m != nil {
		want = m[1]
	}
	var out []json.RawMessage
	for _, r := range all {
		id, err := arm.ParseID(r.ID)
		if err != nil || len(id.Types) != 1 {
			continue
		}
		if want != "" && !strings.EqualFold(want, r.Type) {
			continue
		}
		out = append(out, genericResource(r, expand))
	}
	return out
}
