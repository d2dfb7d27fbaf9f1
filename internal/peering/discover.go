package peering

import (
	"context"
	"fmt"
	"strings"
)

// ListLinks returns every link of a VNet, for audits and import discovery.
func (e *Engine) ListLinks(ctx context.Context, vnet VirtualNetworkID) ([]Side, error) {
	c, err := e.clients.Peerings(ctx, vnet.SubscriptionID)
	if err != nil {
		return nil, err
	}
	var out []Side
	err = e.retry(ctx, "listing the links of "+vnet.String(), func(ctx context.Context) error {
		out = out[:0]
		pager := c.NewListPager(vnet.ResourceGroup, vnet.Name, nil)
		for pager.More() {
			page, err := pager.NextPage(ctx)
			if err != nil {
				return err
			}
			for _, l := range page.Value {
				if l == nil {
					continue
				}
				name := ""
				if l.Name != nil {
					name = *l.Name
				}
				out = append(out, Side{ID: vnet.Link(name), Link: l})
			}
		}
		return nil
	})
	return out, err
}

// Discover finds the pair an import ID names. A pair ID is read as given
// (either link may be missing, and the next apply creates it); a single link
// ID becomes side a, and side b is the link on the remote VNet that points
// back at a's VNet.
func (e *Engine) Discover(ctx context.Context, id ImportID) (Pair, error) {
	if !id.Single {
		p, err := e.Read(ctx, id.A, id.B)
		if err != nil {
			return p, err
		}
		if p.Gone() {
			return p, fmt.Errorf("neither link of pair %q exists; there is nothing to import", PairID(id.A, id.B))
		}
		return p, nil
	}
	link, err := e.getLink(ctx, id.A)
	if err != nil {
		return Pair{}, &SideError{Side: SideA, Link: id.A, Op: "reading", Err: err}
	}
	if link == nil {
		return Pair{}, fmt.Errorf("peering link %q does not exist; check the ID, or list the links of virtual network %q with the peerlab_virtual_network_peerings data source", id.A.String(), id.A.VirtualNetwork.String())
	}
	a := Side{ID: id.A, Link: link}
	remoteID := a.RemoteVirtualNetworkID()
	remote, err := ParseVirtualNetworkID(remoteID)
	if err != nil {
		return Pair{}, fmt.Errorf("peering link %q points at %q, which is not a virtual network ID: %w", id.A.String(), remoteID, err)
	}
	links, err := e.ListLinks(ctx, remote)
	if err != nil {
		if IsNotFound(err) {
			return Pair{}, fmt.Errorf("peering link %q points at virtual network %q, which does not exist; delete the link, or import a pair whose virtual networks both exist: %w", id.A.String(), remote.String(), err)
		}
		return Pair{}, fmt.Errorf("listing the links of the remote virtual network %q: %w", remote.String(), err)
	}
	for _, l := range links {
		if strings.EqualFold(l.RemoteVirtualNetworkID(), id.A.VirtualNetwork.String()) {
			return Pair{A: a, B: l}, nil
		}
	}
	return Pair{}, fmt.Errorf("no link on the remote virtual network %q points back at %q, so the pair is only half there; import it with the pair ID %q, naming the reverse link you want, and the next apply creates that link",
		remote.String(), id.A.VirtualNetwork.String(), PairID(id.A, remote.Link(DefaultLinkName(remote, id.A.VirtualNetwork))))
}

// SpecFromPair describes an observed pair as a Spec, so that an imported
// pair can be written to state with the settings it really has. A missing
// side takes the defaults of a new link.
func SpecFromPair(p Pair) Spec {
	side := func(s Side, other Side) SideSpec {
		ss := SideSpec{VirtualNetwork: s.ID.VirtualNetwork, Name: s.ID.Name, AllowVirtualNetworkAccess: true}
		switch {
		case s.Exists():
			ss.AllowVirtualNetworkAccess = s.AllowVirtualNetworkAccess()
			ss.AllowForwardedTraffic = s.AllowForwardedTraffic()
			ss.AllowGatewayTransit = s.AllowGatewayTransit()
			ss.UseRemoteGateways = s.UseRemoteGateways()
			if !s.PeerCompleteVnets() {
				ss.SubnetNames = s.LocalSubnetNames()
			}
		case other.Exists() && !other.PeerCompleteVnets():
			ss.SubnetNames = other.RemoteSubnetNames()
		}
		return ss
	}
	spec := Spec{A: side(p.A, p.B), B: side(p.B, p.A), SyncAddressSpace: true}
	for _, s := range []Side{p.A, p.B} {
		if s.Exists() && !s.PeerCompleteVnets() && s.OnlyIPv6() {
			spec.OnlyIPv6 = true
		}
	}
	return spec
}
