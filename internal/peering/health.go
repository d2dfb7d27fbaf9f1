package peering

import (
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
)

// State is a side's peering state as users see it: Azure's peeringState, or
// Missing when the link does not exist.
type State string

// The states of a side.
const (
	StateInitiated    State = "Initiated"
	StateConnected    State = "Connected"
	StateDisconnected State = "Disconnected"
	StateMissing      State = "Missing"
)

// States lists every State, for documentation and validators.
var States = []State{StateInitiated, StateConnected, StateDisconnected, StateMissing}

// SyncFullyInSync is the peeringSyncLevel of a link whose view of the remote
// address space is current.
const SyncFullyInSync = string(armnetwork.VirtualNetworkPeeringLevelFullyInSync)

// Side is one observed side of a pair: the ID its link has or would have,
// and the link as last read (nil when it does not exist).
type Side struct {
	ID   LinkID
	Link *armnetwork.VirtualNetworkPeering
}

// Pair is both sides as last read.
type Pair struct {
	A, B Side
}

// Side returns one side.
func (p Pair) Side(n SideName) Side {
	if n == SideB {
		return p.B
	}
	return p.A
}

func (p *Pair) set(n SideName, s Side) {
	if n == SideB {
		p.B = s
	} else {
		p.A = s
	}
}

// ID is the pair ID.
func (p Pair) ID() string { return PairID(p.A.ID, p.B.ID) }

// Connected reports whether both links are Connected.
func (p Pair) Connected() bool {
	return p.A.State() == StateConnected && p.B.State() == StateConnected
}

// Gone reports whether neither link exists.
func (p Pair) Gone() bool { return p.A.Link == nil && p.B.Link == nil }

// Healthy reports whether nothing needs doing: both Connected and in sync.
func (p Pair) Healthy() bool { return p.Connected() && p.A.InSync() && p.B.InSync() }

func (s Side) props() *armnetwork.VirtualNetworkPeeringPropertiesFormat {
	if s.Link == nil || s.Link.Properties == nil {
		return &armnetwork.VirtualNetworkPeeringPropertiesFormat{}
	}
	return s.Link.Properties
}

// Exists reports whether the link exists.
func (s Side) Exists() bool { return s.Link != nil }

// State is the link's peering state, or Missing.
func (s Side) State() State {
	if s.Link == nil {
		return StateMissing
	}
	if ps := s.props().PeeringState; ps != nil {
		switch {
		case strings.EqualFold(string(*ps), string(StateConnected)):
			return StateConnected
		case strings.EqualFold(string(*ps), string(StateDisconnected)):
			return StateDisconnected
		}
	}
	return StateInitiated
}

// SyncLevel is the link's peeringSyncLevel; empty when missing or not reported.
func (s Side) SyncLevel() string {
	if l := s.props().PeeringSyncLevel; l != nil {
		return string(*l)
	}
	return ""
}

// InSync reports whether the link's view of the remote address space is
// current. A level that is not reported counts as in sync.
func (s Side) InSync() bool {
	l := s.SyncLevel()
	return l == "" || strings.EqualFold(l, SyncFullyInSync)
}

// RemoteAddressSpace is the remote address space as this link peers it.
func (s Side) RemoteAddressSpace() []string {
	return prefixes(s.props().RemoteAddressSpace)
}

// RemoteVirtualNetworkID is the remote VNet the link points at.
func (s Side) RemoteVirtualNetworkID() string {
	if r := s.props().RemoteVirtualNetwork; r != nil && r.ID != nil {
		return *r.ID
	}
	return ""
}

// ResourceGUID is the link's resourceGuid, which stays the same across
// in-place updates and changes when the link is recreated.
func (s Side) ResourceGUID() string {
	if g := s.props().ResourceGUID; g != nil {
		return *g
	}
	return ""
}

// Failed reports a link whose last operation failed.
func (s Side) Failed() bool {
	ps := s.props().ProvisioningState
	return ps != nil && strings.EqualFold(string(*ps), string(armnetwork.ProvisioningStateFailed))
}

// Flag readers default as Azure does when a field is absent.
func (s Side) AllowVirtualNetworkAccess() bool {
	return boolOr(s.props().AllowVirtualNetworkAccess, true)
}
func (s Side) AllowForwardedTraffic() bool { return boolOr(s.props().AllowForwardedTraffic, false) }
func (s Side) AllowGatewayTransit() bool   { return boolOr(s.props().AllowGatewayTransit, false) }
func (s Side) UseRemoteGateways() bool     { return boolOr(s.props().UseRemoteGateways, false) }
func (s Side) PeerCompleteVnets() bool     { return boolOr(s.props().PeerCompleteVnets, true) }
func (s Side) OnlyIPv6() bool              { return boolOr(s.props().EnableOnlyIPv6Peering, false) }

// LocalSubnetNames are the local subnets of a subnet peering.
func (s Side) LocalSubnetNames() []string { return deref(s.props().LocalSubnetNames) }

// RemoteSubnetNames are the remote subnets of a subnet peering.
func (s Side) RemoteSubnetNames() []string { return deref(s.props().RemoteSubnetNames) }

// Action is what a side needs to match a spec.
type Action int

// Actions, from least to most disruptive.
const (
	// Keep: the link is right.
	Keep Action = iota
	// Update: PUT over the existing link; its resourceGuid stays.
	Update
	// Reconnect: the link is Disconnected (its remote link or VNet was
	// deleted). A PUT brings it back to Initiated and keeps its identity;
	// if Azure refuses, it is deleted and created instead.
	Reconnect
	// Create: the link does not exist.
	Create
	// Recreate: the link cannot be fixed in place (pointing at another VNet,
	// or of another kind); delete it, then create it.
	Recreate
)

func (a Action) String() string {
	return [...]string{"keep", "update", "reconnect", "create", "recreate"}[a]
}

// Diagnose says what one observed side needs to become what spec says.
func Diagnose(spec Spec, n SideName, s Side) Action {
	if s.Link == nil {
		return Create
	}
	remote := spec.Side(n.Other()).VirtualNetwork
	if got := s.RemoteVirtualNetworkID(); got != "" && !strings.EqualFold(got, remote.String()) {
		return Recreate
	}
	// Azure accepts a PUT that switches whole/subnet peering or IPv6-only and
	// ignores it, so a link of the wrong kind must be recreated.
	if s.PeerCompleteVnets() == spec.SubnetPeering() || (spec.SubnetPeering() && s.OnlyIPv6() != spec.OnlyIPv6) {
		return Recreate
	}
	if s.State() == StateDisconnected {
		return Reconnect
	}
	if s.Failed() || !matches(spec, n, s) {
		return Update
	}
	return Keep
}

// matches compares the settings a PUT can change in place.
func matches(spec Spec, n SideName, s Side) bool {
	local, remote := spec.Side(n), spec.Side(n.Other())
	if s.AllowVirtualNetworkAccess() != local.AllowVirtualNetworkAccess ||
		s.AllowForwardedTraffic() != local.AllowForwardedTraffic ||
		s.AllowGatewayTransit() != local.AllowGatewayTransit ||
		s.UseRemoteGateways() != local.UseRemoteGateways {
		return false
	}
	if spec.SubnetPeering() {
		return sameNames(local.SubnetNames, s.props().LocalSubnetNames) &&
			sameNames(remote.SubnetNames, s.props().RemoteSubnetNames)
	}
	return true
}

// NeedsSync reports whether a side should be resynced with the remote
// address space.
func NeedsSync(s Side) bool { return s.Link != nil && !s.InSync() }

func boolOr(b *bool, def bool) bool {
	if b == nil {
		return def
	}
	return *b
}

func deref(list []*string) []string {
	var out []string
	for _, s := range list {
		if s != nil {
			out = append(out, *s)
		}
	}
	return out
}

func prefixes(a *armnetwork.AddressSpace) []string {
	if a == nil {
		return nil
	}
	return deref(a.AddressPrefixes)
}
