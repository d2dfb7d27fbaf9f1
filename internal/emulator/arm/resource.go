package arm

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/google/uuid"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// TypeResourceGroup is the stored type of resource groups.
const TypeResourceGroup = "Microsoft.Resources/resourceGroups"

// RequireGroup answers 404 ResourceGroupNotFound unless the ID's group
// exists; it returns the group's canonical name.
func RequireGroup(tx *store.Tx, id ID) (string, *Error) {
	r, ok := tx.Get(id.GroupID())
	if !ok {
		return "", ResourceGroupNotFound(id.ResourceGroup)
	}
	gid, _ := ParseID(r.ID)
	return gid.ResourceGroup, nil
}

// CanonicalID rewrites id with the stored casing of its resource group and
// of every resource on its path that exists: ARM answers with the names as
// they were created (a PUT to …/VNET1 updates vnet1 and keeps calling it
// vnet1).
func CanonicalID(tx *store.Tx, id ID) ID {
	if r, ok := tx.Get(id.GroupID()); ok {
		gid, _ := ParseID(r.ID)
		id.ResourceGroup = gid.ResourceGroup
	}
	id.Names = append([]string(nil), id.Names...)
	for i := range id.Names {
		prefix := id
		prefix.Types, prefix.Names = id.Types[:i+1], id.Names[:i+1]
		if r, ok := tx.Get(prefix.String()); ok {
			if sid, err := ParseID(r.ID); err == nil && len(sid.Names) == i+1 {
				id.Names[i] = sid.Names[i]
			}
		}
	}
	return id
}

// NewETag returns a weak ETag as the network resource provider sends.
func NewETag() string { return `W/"` + uuid.NewString() + `"` }

// CheckIfMatch enforces If-Match / If-None-Match against the stored etag.
func (c *Context) CheckIfMatch(exists bool, etag string) *Error {
	if m := c.Req.Header.Get("If-Match"); m != "" && m != "*" {
		if !exists || strings.Trim(strings.TrimPrefix(m, "W/"), `"`) != strings.Trim(strings.TrimPrefix(etag, "W/"), `"`) {
			return Errorf(http.StatusPreconditionFailed, "PreconditionFailed", "The condition specified using HTTP conditional header(s) is not met.")
		}
	} else if m == "*" && !exists {
		return Errorf(http.StatusPreconditionFailed, "PreconditionFailed", "The condition specified using HTTP conditional header(s) is not met.")
	}
	if m := c.Req.Header.Get("If-None-Match"); m == "*" && exists {
		return Errorf(http.StatusPreconditionFailed, "PreconditionFailed", "The condition specified using HTTP conditional header(s) is not met.")
	}
	return nil
}

// networkName is the naming rule of most Microsoft.Network resources:
// 1-80 characters, letters, digits, underscores, periods and hyphens,
// starting with a letter or digit and ending with a letter, digit or
// underscore.
var networkName = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$`)

// ValidNetworkName reports whether name follows that rule.
func ValidNetworkName(name string) bool { return networkName.MatchString(name) }

// InvalidName is the 400 for a name that breaks a naming rule.
func InvalidName(typ, name, rule string) *Error {
	return BadRequest("InvalidResourceName", "Resource name %s is invalid. The name can be up to 80 characters long. It must begin with a word character, and it must end with a word character or with '_'. The name may contain word characters or '.', '-', '_'. (%s: %s)", name, typ, rule)
}

// RequireLocation is ARM's 400 for a create or update without a location.
func RequireLocation(location *string) *Error {
	if location == nil || *location == "" {
		return BadRequest("LocationRequired", "The location property is required for this definition.")
	}
	return nil
}

// KeepLocation is ARM's 409 for a PUT that would move an existing resource
// to another region: a resource's location is fixed at creation.
func KeepLocation(name, group, stored, requested string) *Error {
	if strings.EqualFold(NormalizeLocation(stored), NormalizeLocation(requested)) {
		return nil
	}
	return Conflict("InvalidResourceLocation", "The resource '%s' already exists in location '%s' in resource group '%s'. A resource with the same name cannot be created in location '%s'. Please select a new resource name.", name, stored, group, requested)
}

// Location of a stored resource's body, as written.
type located struct {
	Location *string `json:"location"`
}

// LocationOf returns the location of a stored resource, or "".
func LocationOf(tx *store.Tx, id string) string {
	var l located
	if err := tx.Decode(id, &l); err != nil || l.Location == nil {
		return ""
	}
	return *l.Location
}
