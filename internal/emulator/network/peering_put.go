package network

import (
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
	"github.com/google/uuid"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// putPeering creates or updates one link. The rules, in Azure's order:
// the remote must be another VNet the caller may peer with; neither VNet
// may be mid-operation; one link per VNet pair and side; a Disconnected
// reverse link blocks the write; whole-VNet links need address spaces that
// do not overlap (each other, or VNets already peered); subnet links need
// existing subnets whose blocks do not exist in the other VNet; gateway
// flags need gateways. The kind of a link (whole or subnet, IPv6-only)
// cannot change: Azure accepts such a PUT and keeps the old kind.
func putPeering(c *arm.Context) (*arm.Response, error) {
	var in armnetwork.VirtualNetworkPeering
	if err := c.Decode(&in); err != nil {
		return nil, err
	}
	if name := c.Var("virtualNetworkPeeringName"); !arm.ValidNetworkName(name) {
		return nil, arm.InvalidName(TypePeering, name, "1-80 characters")
	}
	sync := c.Query("syncRemoteAddressSpace")
	if sync != "" && !strings.EqualFold(sync, "true") {
		return nil, arm.BadRequest("InvalidQueryParameterValue", "Query parameter syncRemoteAddressSpace has the value '%s'; the only allowed value is 'true'.", sync)
	}
	if in.Properties == nil {
		in.Properties = &armnetwork.VirtualNetworkPeeringPropertiesFormat{}
	}
	var out *armnetwork.VirtualNetworkPeering
	var op *arm.Operation
	created := false
	err := c.Store().Write(func(tx *store.Tx) error {
		id, aerr := parse(c, tx)
		if aerr != nil {
			return aerr
		}
		pid, vid := id.String(), id.Parent().String()
		var local armnetwork.VirtualNetwork
		if tx.Decode(vid, &local) != nil {
			return arm.NotFound("ParentResourceNotFound", "Failed to perform 'write' on resource(s) of type 'virtualNetworks/virtualNetworkPeerings', because the parent resource '%s' could not be found.", vid)
		}
		var old armnetwork.VirtualNetworkPeering
		exists := tx.Decode(pid, &old) == nil && old.Properties != nil
		if aerr := c.CheckIfMatch(exists, etagOf(old.Etag)); aerr != nil {
			return aerr
		}
		remoteID, aerr := remoteOf(pid, &in)
		if aerr != nil {
			return aerr
		}
		if arm.SameID(remoteID, vid) {
			return arm.BadRequest("CannotPeerVirtualNetworkWithItself", "Peering %s cannot reference its own virtual network %s as the remote virtual network.", pid, vid)
		}
		if exists && !arm.SameID(*old.Properties.RemoteVirtualNetwork.ID, remoteID) {
			return arm.BadRequest("ChangingRemoteVirtualNetworkNotAllowed", "Peering %s references remote virtual network %s; it cannot be changed to %s. Delete the peering and create it again.", pid, *old.Properties.RemoteVirtualNetwork.ID, remoteID)
		}
		if aerr := c.AuthorizeLinked(remoteID, peerAction); aerr != nil {
			return aerr
		}
		var remote armnetwork.VirtualNetwork
		if tx.Decode(remoteID, &remote) != nil {
			return arm.BadRequest("InvalidResourceReference", "Resource %s referenced by resource %s was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.", remoteID, pid)
		}
		remoteID = *remote.ID
		if aerr := checkLinkBusy(c, pid, vid); aerr != nil {
			return aerr
		}
		if aerr := checkProvisioned(c, remoteID, pid); aerr != nil {
			return aerr
		}
		for _, l := range linksOf(tx, vid) {
			if !arm.SameID(l.ID, pid) && arm.SameID(l.Remote, remoteID) {
				return arm.BadRequest("AnotherPeeringAlreadyReferencesRemoteVnet", "Peering %s already references remote virtual network %s. Cannot add another peering %s referencing the same remote virtual network.", l.ID, remoteID, pid)
			}
		}
		k := kindOf(in.Properties)
		if exists {
			// Azure answers 200 to a change of kind and keeps the old one.
			if ok := kindOf(old.Properties); ok.whole != k.whole || ok.ipv6Only != k.ipv6Only {
				k = ok
			}
		}
		if k.ipv6Only && k.whole {
			return arm.BadRequest("InvalidPeeringConfiguration", "Peering %s sets enableOnlyIPv6Peering, which is allowed only for subnet peering (peerCompleteVnets false with localSubnetNames and remoteSubnetNames).", pid)
		}
		rev := reverseLink(tx, pid, &armnetwork.VirtualNetworkPeering{Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{RemoteVirtualNetwork: &armnetwork.SubResource{ID: to.Ptr(remoteID)}}})
		if rev != nil && stateOf(&rev.P) == armnetwork.VirtualNetworkPeeringStateDisconnected {
			return arm.BadRequest("RemotePeeringIsDisconnected",
				"Cannot create or update peering %s because remote peering %s referencing parent virtual network %s is in Disconnected state. Update or re-create the remote peering to get it back to Initiated state. Peering gets Disconnected when remote vnet or remote peering is deleted and re-created.",
				pid, rev.ID, vid)
		}
		if aerr := checkPeeringSpaces(tx, pid, &local, &remote, k); aerr != nil {
			return aerr
		}
		if aerr := checkGateways(tx, pid, vid, &remote, rev, in.Properties); aerr != nil {
			return aerr
		}

		// Valid: apply.
		created = !exists
		opKind := "PutVirtualNetworkPeeringOperation"
		p := newLink(pid, id.Name(), remoteID, in.Properties, k, startState(c, opKind))
		if exists {
			p.Properties.ResourceGUID = old.Properties.ResourceGUID
			p.Properties.PeeringState = old.Properties.PeeringState
			// Address spaces stay as last synced, unless the peered subnets
			// change (they are read again) or this PUT syncs.
			p.Properties.LocalAddressSpace, p.Properties.RemoteAddressSpace = old.Properties.LocalAddressSpace, old.Properties.RemoteAddressSpace
			if !k.whole && (!sameSet(derefs(old.Properties.LocalSubnetNames), derefs(k.localNames)) || !sameSet(derefs(old.Properties.RemoteSubnetNames), derefs(k.remoteNames))) {
				snapshot(tx, p, vid, remoteID)
			}
		} else {
			snapshot(tx, p, vid, remoteID)
		}
		if sync != "" {
			l := &link{ID: pid, Local: vid, Remote: remoteID, P: *p}
			p.Properties.RemoteAddressSpace = space(remoteSpace(tx, l))
		}
		if err := tx.Put(pid, TypePeering, p); err != nil {
			return err
		}
		refreshReverse := created || sync != ""
		op = beginPut(c, tx, opKind, pid, *local.Location, []string{vid}, func(tx *store.Tx) { connect(tx, pid, refreshReverse) })
		r, _ := tx.Get(pid)
		out = peeringView(tx, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return putAnswer(c, created, out, op), nil
}

// linkKind is what cannot change on a link once it exists: whole or subnet
// peering (with its subnets), IPv6-only or not.
type linkKind struct {
	whole, ipv6Only         bool
	localNames, remoteNames []*string
}

func kindOf(p *armnetwork.VirtualNetworkPeeringPropertiesFormat) linkKind {
	k := linkKind{
		whole:    p.PeerCompleteVnets == nil || *p.PeerCompleteVnets,
		ipv6Only: p.EnableOnlyIPv6Peering != nil && *p.EnableOnlyIPv6Peering,
	}
	if !k.whole {
		k.localNames, k.remoteNames = p.LocalSubnetNames, p.RemoteSubnetNames
	}
	return k
}

// newLink builds the stored link from a request, with Azure's defaults.
func newLink(pid, name, remoteID string, in *armnetwork.VirtualNetworkPeeringPropertiesFormat, k linkKind, state string) *armnetwork.VirtualNetworkPeering {
	p := &armnetwork.VirtualNetworkPeering{
		ID: to.Ptr(pid), Name: to.Ptr(name), Type: to.Ptr(TypePeering), Etag: to.Ptr(arm.NewETag()),
		Properties: &armnetwork.VirtualNetworkPeeringPropertiesFormat{
			AllowVirtualNetworkAccess: orDefault(in.AllowVirtualNetworkAccess, true),
			AllowForwardedTraffic:     orDefault(in.AllowForwardedTraffic, false),
			AllowGatewayTransit:       orDefault(in.AllowGatewayTransit, false),
			UseRemoteGateways:         orDefault(in.UseRemoteGateways, false),
			DoNotVerifyRemoteGateways: orDefault(in.DoNotVerifyRemoteGateways, false),
			RemoteVirtualNetwork:      &armnetwork.SubResource{ID: to.Ptr(remoteID)},
			PeerCompleteVnets:         to.Ptr(k.whole),
			PeeringState:              to.Ptr(armnetwork.VirtualNetworkPeeringStateInitiated),
			PeeringSyncLevel:          to.Ptr(armnetwork.VirtualNetworkPeeringLevelFullyInSync),
			ProvisioningState:         to.Ptr(armnetwork.ProvisioningState(state)),
			ResourceGUID:              to.Ptr(uuid.NewString()),
		},
	}
	if !k.whole {
		// Only subnet links carry these, as in Azure's answers.
		p.Properties.EnableOnlyIPv6Peering = to.Ptr(k.ipv6Only)
		p.Properties.LocalSubnetNames, p.Properties.RemoteSubnetNames = k.localNames, k.remoteNames
	}
	return p
}

// checkLinkBusy answers for a link whose VNet is mid-operation: another
// peering's operation holds the VNet (AnotherOperationInProgress), or the
// VNet itself is being changed (ReferencedResourceNotProvisioned, as Azure
// answers when a subnet of the VNet is being put).
func checkLinkBusy(c *arm.Context, pid, vid string) *arm.Error {
	if aerr := checkBusy(c, pid); aerr != nil {
		return aerr
	}
	if op := c.Ops().Busy(vid); op != nil {
		if strings.Contains(op.Kind, "VirtualNetworkPeering") {
			return checkBusy(c, vid)
		}
		return checkProvisioned(c, vid, pid)
	}
	return nil
}

// remoteOf returns the remote VNet ID of a request, checked to be a VNet ID.
func remoteOf(pid string, in *armnetwork.VirtualNetworkPeering) (string, *arm.Error) {
	if in.Properties.RemoteVirtualNetwork == nil || in.Properties.RemoteVirtualNetwork.ID == nil || *in.Properties.RemoteVirtualNetwork.ID == "" {
		return "", arm.BadRequest("RemoteVirtualNetworkReferenceMissing", "Peering %s must reference a remote virtual network in properties.remoteVirtualNetwork.id.", pid)
	}
	rid := *in.Properties.RemoteVirtualNetwork.ID
	id, err := arm.ParseID(rid)
	if err != nil || !strings.EqualFold(id.FullType(), TypeVirtualNetwork) {
		return "", arm.BadRequest("InvalidRemoteVirtualNetworkReference", "Peering %s references %s as its remote virtual network, which is not a virtual network ID (/subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.Network/virtualNetworks/{name}).", pid, rid)
	}
	return id.String(), nil
}
