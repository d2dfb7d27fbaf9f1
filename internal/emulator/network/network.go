// Package network serves Microsoft.Network: virtual networks, subnets,
// peerings, network security groups, public IPs, network interfaces and
// virtual network gateways, with the rules Azure's network resource
// provider enforces.
package network

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// Stored resource types.
const (
	TypeVirtualNetwork = "Microsoft.Network/virtualNetworks"
	TypeSubnet         = "Microsoft.Network/virtualNetworks/subnets"
	TypePeering        = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings"
	TypeNSG            = "Microsoft.Network/networkSecurityGroups"
	TypeSecurityRule   = "Microsoft.Network/networkSecurityGroups/securityRules"
	TypePublicIP       = "Microsoft.Network/publicIPAddresses"
	TypeNIC            = "Microsoft.Network/networkInterfaces"
	TypeGateway        = "Microsoft.Network/virtualNetworkGateways"
)

// Base paths of the routing table.
const (
	rgPath      = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}"
	netPath     = rgPath + "/providers/Microsoft.Network"
	vnetPath    = netPath + "/virtualNetworks/{virtualNetworkName}"
	subnetPath  = vnetPath + "/subnets/{subnetName}"
	peeringPath = vnetPath + "/virtualNetworkPeerings/{virtualNetworkPeeringName}"
)

// Provisioning states.
const (
	stateSucceeded = "Succeeded"
	stateUpdating  = "Updating"
	stateDeleting  = "Deleting"
)

// anotherOperationStatus is the HTTP status of AnotherOperationInProgress:
// 409 Conflict, as a Microsoft.Network answer quoted by azurerm's autorest
// client shows ("StatusCode=409 -- Original Error:
// Code="AnotherOperationInProgress""); older quotes show no status at all.
const anotherOperationStatus = http.StatusConflict

// Register adds Microsoft.Network to the routing table and its delete hooks.
func Register(s *arm.Server) {
	registerVirtualNetworks(s)
	registerSubnets(s)
	registerPeerings(s)
	registerSecurityGroups(s)
	registerPublicIPs(s)
	registerInterfaces(s)
	registerGateways(s)
}

// decodeTop decodes the body of a top-level PUT into in and checks what ARM
// checks first: the name in the path (route variable nameVar, by rule) and
// the location, which location reads from in once it is decoded.
func decodeTop(c *arm.Context, in any, typ, nameVar, rule string, location func() *string) (string, error) {
	if err := c.Decode(in); err != nil {
		return "", err
	}
	name := c.Var(nameVar)
	if !arm.ValidNetworkName(name) {
		return "", arm.InvalidName(typ, name, rule)
	}
	if aerr := arm.RequireLocation(location()); aerr != nil {
		return "", aerr
	}
	return name, nil
}

// priorOf reads into old the resource that a top-level PUT of id replaces,
// and applies ARM's rules to it: If-Match, a location fixed at creation
// (location is the one asked for), no operation still running on it.
func priorOf(c *arm.Context, tx *store.Tx, id arm.ID, location string, old any) (exists bool, aerr *arm.Error) {
	var meta struct {
		Etag     *string `json:"etag"`
		Location *string `json:"location"`
	}
	exists = tx.Decode(id.String(), &meta) == nil && tx.Decode(id.String(), old) == nil
	if aerr := c.CheckIfMatch(exists, etagOf(meta.Etag)); aerr != nil {
		return exists, aerr
	}
	if exists {
		if aerr := arm.KeepLocation(id.Name(), id.ResourceGroup, deref(meta.Location), location); aerr != nil {
			return exists, aerr
		}
	}
	return exists, checkBusy(c, id.String())
}

// checkBusy answers AnotherOperationInProgress when an operation is still
// running on one of these resources.
func checkBusy(c *arm.Context, ids ...string) *arm.Error {
	for _, id := range ids {
		if op := c.Ops().Busy(id); op != nil {
			return arm.Errorf(anotherOperationStatus, "AnotherOperationInProgress",
				"Another operation on this or dependent resource is in progress. To retrieve status of the operation use uri: %s.", op.AsyncURL(c.BaseURL(), c.APIVersion))
		}
	}
	return nil
}

// checkProvisioned answers ReferencedResourceNotProvisioned when a resource
// the request refers to is being changed by a running operation.
func checkProvisioned(c *arm.Context, referenced, by string) *arm.Error {
	op := c.Ops().Busy(referenced)
	if op == nil {
		return nil
	}
	state := stateUpdating
	if strings.HasPrefix(op.Kind, "Delete") {
		state = stateDeleting
	}
	return arm.BadRequest("ReferencedResourceNotProvisioned",
		"Cannot proceed with operation because resource %s used by resource %s is not in Succeeded state. Resource is in %s state and the last operation that updated/is updating the resource is %s.",
		referenced, by, state, op.Kind)
}

// setState sets properties.provisioningState of a stored resource.
func setState(tx *store.Tx, id, state string) {
	r, ok := tx.Get(id)
	if !ok {
		return
	}
	var m map[string]any
	if json.Unmarshal(r.Body, &m) != nil {
		return
	}
	props, _ := m["properties"].(map[string]any)
	if props == nil {
		props = map[string]any{}
		m["properties"] = props
	}
	props["provisioningState"] = state
	_ = tx.Put(r.ID, r.Type, m)
}

// startState is the provisioning state a write shows until its operation
// ends: Updating, or at once Succeeded in the fast profile.
func startState(c *arm.Context, kind string) string {
	if c.Profile().Duration(kind) == 0 {
		return stateSucceeded
	}
	return stateUpdating
}

// beginPut starts the operation that completes a PUT of id.
func beginPut(c *arm.Context, tx *store.Tx, kind, id, location string, locks []string, then func(tx *store.Tx)) *arm.Operation {
	return c.Ops().Begin(tx, http.MethodPut, arm.OpSpec{Kind: kind, ResourceID: id, Location: location, Locks: append([]string{id}, locks...)},
		func(tx *store.Tx) (any, *arm.Error) {
			setState(tx, id, stateSucceeded)
			if then != nil {
				then(tx)
			}
			return nil, nil
		})
}

// beginDelete marks id Deleting and starts the operation that removes it
// (and what lies below it, through the delete hooks).
func beginDelete(c *arm.Context, tx *store.Tx, kind, id, location string, locks []string) *arm.Operation {
	setState(tx, id, stateDeleting)
	return c.Ops().Begin(tx, http.MethodDelete, arm.OpSpec{Kind: kind, ResourceID: id, Location: location, Locks: append([]string{id}, locks...)},
		func(tx *store.Tx) (any, *arm.Error) {
			c.DeleteTree(tx, id)
			return nil, nil
		})
}

// putAnswer is the answer to a network PUT: 201 or 200 with the resource,
// and Azure-AsyncOperation to poll.
func putAnswer(c *arm.Context, created bool, body any, op *arm.Operation) *arm.Response {
	resp := arm.OK(body)
	if created {
		resp = arm.Created(body)
	}
	return c.Async(resp, op, arm.PollAsync)
}

// deleteAnswer is the answer to a network DELETE: 202 with both polling
// headers, or 204 when there was nothing to delete.
func deleteAnswer(c *arm.Context, op *arm.Operation) *arm.Response {
	if op == nil {
		return arm.NoContent()
	}
	return c.Async(arm.Accepted(), op, arm.PollAsync|arm.PollLocation)
}

// parse parses the request's resource ID and checks its resource group.
// The ID comes back in canonical casing, whatever the client sent.
func parse(c *arm.Context, tx *store.Tx) (arm.ID, *arm.Error) {
	id, err := arm.ParseID(c.ResourceID())
	if err != nil {
		return id, arm.BadRequest("InvalidResourceId", "%v", err)
	}
	if _, aerr := arm.RequireGroup(tx, id); aerr != nil {
		return id, aerr
	}
	return canonicalID(tx, id), nil
}

// canonicalSegments maps the folded provider and type segments of the
// stored types to their canonical spelling (microsoft.network →
// Microsoft.Network, virtualnetworks → virtualNetworks).
var canonicalSegments = func() map[string]string {
	m := map[string]string{}
	for _, t := range []string{TypeVirtualNetwork, TypeSubnet, TypePeering, TypeNSG, TypeSecurityRule, TypePublicIP, TypeNIC} {
		for _, seg := range strings.Split(t, "/") {
			m[strings.ToLower(seg)] = seg
		}
	}
	return m
}()

// canonicalID spells an ID as ARM answers it: provider and types in their
// canonical casing, names as arm.CanonicalID keeps them.
func canonicalID(tx *store.Tx, id arm.ID) arm.ID {
	out := id
	if p, ok := canonicalSegments[strings.ToLower(id.Provider)]; ok {
		out.Provider = p
	}
	out.Types = make([]string, len(id.Types))
	for i, t := range id.Types {
		out.Types[i] = t
		if ct, ok := canonicalSegments[strings.ToLower(t)]; ok {
			out.Types[i] = ct
		}
	}
	return arm.CanonicalID(tx, out)
}
