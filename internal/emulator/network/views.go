package network

import (
	"encoding/json"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// view renders the stored resource with this ID as GET shows it.
type view[T any] func(tx *store.Tx, id string) (T, bool)

// getTop serves GET of a top-level resource (ARM's 404 ResourceNotFound).
func getTop[T any](typ string, v view[T]) arm.HandlerFunc {
	return func(c *arm.Context) (*arm.Response, error) {
		var out T
		err := c.Store().Read(func(tx *store.Tx) error {
			id, aerr := parse(c, tx)
			if aerr != nil {
				return aerr
			}
			got, ok := v(tx, id.String())
			if !ok {
				return arm.ResourceNotFound(typ, id.Name(), id.ResourceGroup)
			}
			out = got
			return nil
		})
		if err != nil {
			return nil, err
		}
		return arm.OK(out), nil
	}
}

// listTop serves a top-level type's listing in a resource group, or in the
// whole subscription when the path names no group.
func listTop[T any](typ string, v view[T]) arm.HandlerFunc {
	return func(c *arm.Context) (*arm.Response, error) {
		var items []json.RawMessage
		err := c.Store().Read(func(tx *store.Tx) error {
			scope := "/subscriptions/" + c.Var("subscriptionId")
			if g := c.Var("resourceGroupName"); g != "" {
				scope += "/resourceGroups/" + g
				if _, ok := tx.Get(scope); !ok {
					return arm.ResourceGroupNotFound(g)
				}
			}
			for _, r := range tx.Under(scope, typ) {
				if got, ok := v(tx, r.ID); ok {
					b, _ := json.Marshal(got)
					items = append(items, b)
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		return c.Paged(items)
	}
}

// getChild serves GET of a child resource: the network provider's 404
// NotFound "Resource {id} not found.".
func getChild[T any](v view[T]) arm.HandlerFunc {
	return func(c *arm.Context) (*arm.Response, error) {
		var out T
		err := c.Store().Read(func(tx *store.Tx) error {
			id, aerr := parse(c, tx)
			if aerr != nil {
				return aerr
			}
			got, ok := v(tx, id.String())
			if !ok {
				return arm.NotFound("NotFound", "Resource %s not found.", id.String())
			}
			out = got
			return nil
		})
		if err != nil {
			return nil, err
		}
		return arm.OK(out), nil
	}
}

// listChildren serves …/{parent}/{collection}: the parent's children of
// typ, or 404 ResourceNotFound for a missing parent.
func listChildren[T any](parentType, typ string, v view[T]) arm.HandlerFunc {
	return func(c *arm.Context) (*arm.Response, error) {
		var items []json.RawMessage
		err := c.Store().Read(func(tx *store.Tx) error {
			parent, aerr := parseCollection(c, tx)
			if aerr != nil {
				return aerr
			}
			if _, ok := tx.Get(parent.String()); !ok {
				return arm.ResourceNotFound(parentType, parent.Name(), parent.ResourceGroup)
			}
			for _, r := range tx.Children(parent.String(), typ) {
				if got, ok := v(tx, r.ID); ok {
					b, _ := json.Marshal(got)
					items = append(items, b)
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		return c.Paged(items)
	}
}

// parseCollection parses the parent of a collection path (…/subnets),
// which is not a resource ID itself.
func parseCollection(c *arm.Context, tx *store.Tx) (arm.ID, *arm.Error) {
	p := c.ResourceID()
	id, err := arm.ParseID(p[:strings.LastIndex(p, "/")])
	if err != nil {
		return id, arm.BadRequest("InvalidResourceId", "%v", err)
	}
	if _, aerr := arm.RequireGroup(tx, id); aerr != nil {
		return id, aerr
	}
	return canonicalID(tx, id), nil
}

// byResource adapts a view of a stored resource to a view by ID.
func byResource[T any](f func(tx *store.Tx, r *store.Resource) T) view[T] {
	return func(tx *store.Tx, id string) (T, bool) {
		r, ok := tx.Get(id)
		if !ok {
			var zero T
			return zero, false
		}
		return f(tx, r), true
	}
}

// decoded is the view of a resource shown as stored.
func decoded[T any](tx *store.Tx, id string) (*T, bool) {
	var v T
	if tx.Decode(id, &v) != nil {
		return nil, false
	}
	return &v, true
}

// ruleByID shows a security rule with its NSG's etag.
func ruleByID(tx *store.Tx, id string) (*armnetwork.SecurityRule, bool) {
	r, ok := tx.Get(id)
	if !ok {
		return nil, false
	}
	pid, _ := arm.ParseID(id)
	var g armnetwork.SecurityGroup
	if tx.Decode(pid.Parent().String(), &g) != nil {
		return nil, false
	}
	return ruleView(r, etagOf(g.Etag))
}

// patchTags serves PATCH of a top-level resource's tags (TagsObject): the
// tags are replaced and the etag changes; nothing else does.
func patchTags[T any](typ string, v view[T]) arm.HandlerFunc {
	return func(c *arm.Context) (*arm.Response, error) {
		var in armnetwork.TagsObject
		if err := c.Decode(&in); err != nil {
			return nil, err
		}
		var out T
		err := c.Store().Write(func(tx *store.Tx) error {
			id, aerr := parse(c, tx)
			if aerr != nil {
				return aerr
			}
			r, ok := tx.Get(id.String())
			if !ok {
				return arm.ResourceNotFound(typ, id.Name(), id.ResourceGroup)
			}
			var m map[string]any
			if err := json.Unmarshal(r.Body, &m); err != nil {
				return err
			}
			m["tags"], m["etag"] = in.Tags, arm.NewETag()
			if err := tx.Put(r.ID, r.Type, m); err != nil {
				return err
			}
			out, _ = v(tx, r.ID)
			return nil
		})
		if err != nil {
			return nil, err
		}
		return arm.OK(out), nil
	}
}

// deleteHandler serves DELETE: 204 when there is nothing to delete;
// AnotherOperationInProgress while the resource (or, for a child, its
// parent) is busy; then check, which refuses a resource in use or prepares
// the delete; then 202 while the operation removes the resource and what
// lies below it.
func deleteHandler(kind string, child bool, check func(tx *store.Tx, id string) *arm.Error) arm.HandlerFunc {
	return func(c *arm.Context) (*arm.Response, error) {
		var op *arm.Operation
		err := c.Store().Write(func(tx *store.Tx) error {
			id, aerr := parse(c, tx)
			if aerr != nil {
				return aerr
			}
			r, ok := tx.Get(id.String())
			if !ok {
				return nil
			}
			var locks []string
			home := r.ID // the resource whose location the operation reports
			if child {
				home = id.Parent().String()
				locks = []string{home}
			}
			if aerr := checkBusy(c, append([]string{r.ID}, locks...)...); aerr != nil {
				return aerr
			}
			if check != nil {
				if aerr := check(tx, r.ID); aerr != nil {
					return aerr
				}
			}
			op = beginDelete(c, tx, kind, r.ID, arm.LocationOf(tx, home), locks)
			return nil
		})
		if err != nil {
			return nil, err
		}
		return deleteAnswer(c, op), nil
	}
}
