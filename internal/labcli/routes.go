package labcli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
)

// Route is one effective route, flattened.
type Route struct {
	Source, State, NextHopType string
	AddressPrefixes            []string
	NextHopIPs                 []string
}

// Routes flattens the SDK's effective routes.
func Routes(in []*armnetwork.EffectiveRoute) []Route {
	var out []Route
	for _, r := range in {
		if r == nil {
			continue
		}
		var x Route
		if r.Source != nil {
			x.Source = string(*r.Source)
		}
		if r.State != nil {
			x.State = string(*r.State)
		}
		if r.NextHopType != nil {
			x.NextHopType = string(*r.NextHopType)
		}
		for _, p := range r.AddressPrefix {
			if p != nil {
				x.AddressPrefixes = append(x.AddressPrefixes, *p)
			}
		}
		for _, p := range r.NextHopIPAddress {
			if p != nil {
				x.NextHopIPs = append(x.NextHopIPs, *p)
			}
		}
		out = append(out, x)
	}
	return out
}

// FindRoute returns the active route for exactly this prefix, if any.
func FindRoute(routes []Route, prefix string) (Route, bool) {
	for _, r := range routes {
		if !strings.EqualFold(r.State, "Active") {
			continue
		}
		for _, p := range r.AddressPrefixes {
			if p == prefix {
				return r, true
			}
		}
	}
	return Route{}, false
}

// FormatRoutes prints routes as `az network nic show-effective-route-table
// -o table` does.
func FormatRoutes(routes []Route) string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "Source\tState\tAddress Prefix\tNext Hop Type\tNext Hop IP")
	fmt.Fprintln(w, "--------\t-------\t----------------\t---------------\t-------------")
	for _, r := range routes {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", r.Source, r.State, strings.Join(r.AddressPrefixes, " "), r.NextHopType, strings.Join(r.NextHopIPs, " "))
	}
	w.Flush()
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}
