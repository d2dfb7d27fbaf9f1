package labcli

import (
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
)

func TestFindRouteTakesActiveExactPrefix(t *testing.T) {
	routes := Routes([]*armnetwork.EffectiveRoute{
		{Source: to.Ptr(armnetwork.EffectiveRouteSourceDefault), State: to.Ptr(armnetwork.EffectiveRouteStateActive), AddressPrefix: to.SliceOfPtrs("192.168.0.0/24"), NextHopType: to.Ptr(armnetwork.RouteNextHopTypeVnetLocal)},
		{Source: to.Ptr(armnetwork.EffectiveRouteSourceDefault), State: to.Ptr(armnetwork.EffectiveRouteStateInvalid), AddressPrefix: to.SliceOfPtrs("192.168.1.0/24"), NextHopType: to.Ptr(armnetwork.RouteNextHopTypeNone)},
		{Source: to.Ptr(armnetwork.EffectiveRouteSourceDefault), State: to.Ptr(armnetwork.EffectiveRouteStateActive), AddressPrefix: to.SliceOfPtrs("192.168.1.0/24"), NextHopType: to.Ptr(armnetwork.RouteNextHopType("VNetPeering"))},
		nil,
	})
	if len(routes) != 3 {
		t.Fatalf("Routes kept %d routes, want 3 (nil dropped)", len(routes))
	}
	r, ok := FindRoute(routes, "192.168.1.0/24")
	if !ok || r.NextHopType != "VNetPeering" {
		t.Errorf("FindRoute = %+v, %v; want the active VNetPeering route", r, ok)
	}
	if _, ok := FindRoute(routes, "10.0.0.0/8"); ok {
		t.Error("FindRoute found a route to a prefix no route has")
	}
	table := FormatRoutes(routes[2:])
	if !strings.Contains(table, "192.168.1.0/24") || !strings.Contains(table, "VNetPeering") || !strings.HasPrefix(table, "Source") {
		t.Errorf("FormatRoutes:\n%s", table)
	}
}
