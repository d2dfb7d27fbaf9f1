package dataplane

import (
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/network"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

const nicPath = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/networkInterfaces/{networkInterfaceName}"

// Register adds the data plane's ARM operations: a NIC's effective routes
// and effective network security groups.
func Register(s *arm.Server) {
	s.Router.Handle(http.MethodPost, nicPath+"/effectiveRouteTable", "Microsoft.Network/networkInterfaces/effectiveRouteTable/action",
		func(c *arm.Context) (*arm.Response, error) {
			return effective(c, "EffectiveRouteTableOperation", func(w *World, n *NIC) any { return RouteTable(w, n) })
		})
	s.Router.Handle(http.MethodPost, nicPath+"/effectiveNetworkSecurityGroups", "Microsoft.Network/networkInterfaces/effectiveNetworkSecurityGroups/action",
		func(c *arm.Context) (*arm.Response, error) {
			return effective(c, "EffectiveNetworkSecurityGroupsOperation", func(w *World, n *NIC) any { return SecurityGroups(w, n) })
		})
}

// errNotRunning answers for a NIC that is not attached to a running VM,
// which is when Azure can compute effective routes and rules (code and
// message unconfirmed).
func errNotRunning(nicID string) *arm.Error {
	return arm.BadRequest("NicNotAttachedToRunningVm", "Network interface %s is not attached to a running virtual machine; effective routes and security rules are available only for network interfaces of running virtual machines.", nicID)
}

// effective runs one of the two NIC operations: long-running, answered
// 202 with Location (as the SDK polls them); the result is computed when
// the operation ends, from the network as it is then.
func effective(c *arm.Context, kind string, compute func(*World, *NIC) any) (*arm.Response, error) {
	var op *arm.Operation
	err := c.Store().Write(func(tx *store.Tx) error {
		pid := arm.ID{Subscription: c.Var("subscriptionId"), ResourceGroup: c.Var("resourceGroupName"), Provider: "Microsoft.Network",
			Types: []string{"networkInterfaces"}, Names: []string{c.Var("networkInterfaceName")}}
		nicID := pid.String()
		if _, aerr := arm.RequireGroup(tx, pid); aerr != nil {
			return aerr
		}
		r, ok := tx.Get(nicID)
		if !ok {
			return arm.ResourceNotFound(network.TypeNIC, pid.Name(), pid.ResourceGroup)
		}
		nicID = r.ID
		w := Snapshot(tx)
		n := w.NIC(nicID)
		if n == nil || n.VM == "" || w.VM(n.VM) == nil || !w.VM(n.VM).Running() {
			return errNotRunning(nicID)
		}
		op = c.Ops().Begin(tx, http.MethodPost, arm.OpSpec{Kind: kind, ResourceID: nicID, Location: arm.LocationOf(tx, nicID),
			Locks: []string{nicID + "/" + kind}}, // a query: the NIC itself stays free
			func(tx *store.Tx) (any, *arm.Error) {
				w := Snapshot(tx)
				n := w.NIC(nicID)
				if n == nil || n.VM == "" || w.VM(n.VM) == nil || !w.VM(n.VM).Running() {
					return nil, errNotRunning(nicID)
				}
				return compute(w, n), nil
			})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c.Async(arm.Accepted(), op, arm.PollLocation), nil
}

// RouteTable is a NIC's effective routes as Azure shows them: one entry
// per prefix, source Default, state Active.
func RouteTable(w *World, n *NIC) *armnetwork.EffectiveRouteListResult {
	out := &armnetwork.EffectiveRouteListResult{Value: []*armnetwork.EffectiveRoute{}}
	for _, r := range w.Routes(n) {
		out.Value = append(out.Value, &armnetwork.EffectiveRoute{
			Source: to.Ptr(armnetwork.EffectiveRouteSourceDefault), State: to.Ptr(armnetwork.EffectiveRouteStateActive),
			AddressPrefix: []*string{to.Ptr(r.Prefix.String())}, NextHopType: to.Ptr(armnetwork.RouteNextHopType(r.NextHop)),
			NextHopIPAddress: []*string{},
		})
	}
	return out
}
