package peering

import (
	"context"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
)

func vnet(prefixes []string, subnets map[string][]string) *armnetwork.VirtualNetwork {
	v := &armnetwork.VirtualNetwork{Properties: &armnetwork.VirtualNetworkPropertiesFormat{
		AddressSpace: &armnetwork.AddressSpace{AddressPrefixes: to.SliceOfPtrs(prefixes...)},
	}}
	for name, ps := range subnets {
		s := &armnetwork.Subnet{Name: to.Ptr(name), Properties: &armnetwork.SubnetPropertiesFormat{}}
		if len(ps) == 1 {
			s.Properties.AddressPrefix = to.Ptr(ps[0])
		} else {
			s.Properties.AddressPrefixes = to.SliceOfPtrs(ps...)
		}
		v.Properties.Subnets = append(v.Properties.Subnets, s)
	}
	return v
}

func withGateway(v *armnetwork.VirtualNetwork) *armnetwork.VirtualNetwork {
	v.Properties.Subnets = append(v.Properties.Subnets, &armnetwork.Subnet{Name: to.Ptr("GatewaySubnet"), Properties: &armnetwork.SubnetPropertiesFormat{
		AddressPrefix:    to.Ptr("10.0.255.0/27"),
		IPConfigurations: []*armnetwork.IPConfiguration{{ID: to.Ptr("/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworkGateways/gw/ipConfigurations/default")}},
	}})
	return v
}

func TestCheckNetworkPair(t *testing.T) {
	whole := testSpec()
	subnet := testSpec()
	subnet.A.SubnetNames, subnet.B.SubnetNames = []string{"app"}, []string{"web"}
	ipv6 := subnet
	ipv6.OnlyIPv6 = true
	gw := testSpec()
	gw.A.UseRemoteGateways, gw.B.AllowGatewayTransit = true, true

	cases := []struct {
		name string
		spec Spec
		a, b *armnetwork.VirtualNetwork
		want []string // empty: no problems
	}{
		{"disjoint", whole, vnet([]string{"10.0.0.0/16"}, nil), vnet([]string{"10.1.0.0/16"}, nil), nil},
		{"overlap", whole, vnet([]string{"10.0.0.0/16", "192.168.0.0/24"}, nil), vnet([]string{"10.0.128.0/17"}, nil),
			[]string{"b.virtual_network_id: Address spaces overlap", "10.0.0.0/16 overlaps 10.0.128.0/17", "such as 10.1.0.0/17", "subnet peering"}},
		{"ipv6 overlap", whole, vnet([]string{"10.0.0.0/16", "fd00:1::/48"}, nil), vnet([]string{"10.1.0.0/16", "fd00:1:0:1::/64"}, nil),
			[]string{"fd00:1::/48 overlaps fd00:1:0:1::/64"}},
		{"b does not exist yet", whole, vnet([]string{"10.0.0.0/16"}, nil), nil, nil},
		{"subnet peering of overlapping vnets", subnet,
			vnet([]string{"10.0.0.0/16", "10.9.0.0/16"}, map[string][]string{"app": {"10.9.1.0/24"}, "shared": {"10.0.1.0/24"}}),
			vnet([]string{"10.0.0.0/16", "10.8.0.0/16"}, map[string][]string{"web": {"10.8.1.0/24"}}), nil},
		{"unknown subnet", subnet, vnet([]string{"10.0.0.0/16"}, map[string][]string{"other": {"10.0.1.0/24"}}), vnet([]string{"10.1.0.0/16"}, map[string][]string{"WEB": {"10.1.1.0/24"}}),
			[]string{`a.subnet_names: Unknown subnet: Side a lists subnet "app", but virtual network "` + hubID.String() + `" has subnets "other"`}},
		{"peered subnet inside the other vnet", subnet,
			vnet([]string{"10.0.0.0/16", "10.200.0.0/16"}, map[string][]string{"app": {"10.0.1.0/24"}}),
			vnet([]string{"10.0.0.0/8"}, map[string][]string{"web": {"10.200.1.0/24"}}),
			[]string{"a.subnet_names: Peered subnet overlaps the other virtual network", "10.0.1.0/24 overlaps 10.0.0.0/8", "b.subnet_names: Peered subnet overlaps", "10.200.1.0/24 overlaps 10.200.0.0/16"}},
		{"ipv6 only ignores ipv4 overlap", ipv6,
			vnet([]string{"10.0.0.0/16", "fd00:a::/48"}, map[string][]string{"app": {"10.0.1.0/24", "fd00:a:0:1::/64"}}),
			vnet([]string{"10.0.0.0/16", "fd00:b::/48"}, map[string][]string{"web": {"10.0.2.0/24", "fd00:b:0:1::/64"}}), nil},
		{"ipv6 only needs ipv6 subnets", ipv6,
			vnet([]string{"10.0.0.0/16"}, map[string][]string{"app": {"10.0.1.0/24"}}),
			vnet([]string{"10.1.0.0/16", "fd00:b::/48"}, map[string][]string{"web": {"10.1.2.0/24", "fd00:b:0:1::/64"}}),
			[]string{"a.subnet_names: Subnet has no IPv6 range"}},
		{"gateway present", gw, vnet([]string{"10.0.0.0/16"}, nil), withGateway(vnet([]string{"10.1.0.0/16"}, nil)), nil},
		{"gateway missing", gw, vnet([]string{"10.0.0.0/16"}, nil), vnet([]string{"10.1.0.0/16"}, map[string][]string{"GatewaySubnet": {"10.1.255.0/27"}}),
			[]string{"a.use_remote_gateways: No gateway in the remote virtual network", spokeID.String()}},
		{"local gateway", gw, withGateway(vnet([]string{"10.0.0.0/16"}, nil)), withGateway(vnet([]string{"10.1.0.0/16"}, nil)),
			[]string{"a.use_remote_gateways: Local virtual network has its own gateway"}},
	}
	for _, tc := range cases {
		got := problemsText(CheckNetworkPair(tc.spec, tc.a, tc.b))
		if len(tc.want) == 0 && got != "" {
			t.Errorf("%s: unexpected problems\n%s", tc.name, got)
		}
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: problems\n%s\nlack %q", tc.name, got, w)
			}
		}
	}
}

func TestCheckNetworksReadsBothVNets(t *testing.T) {
	e, lab, spec := setup(t)
	lab.vnet(spokeID, "10.0.0.0/24")
	ps, err := e.CheckNetworks(context.Background(), spec)
	if err != nil || len(ps) != 1 || ps[0].Summary != "Address spaces overlap" {
		t.Fatalf("%v %s", err, problemsText(ps))
	}
	missing := spec
	missing.B.VirtualNetwork = VirtualNetworkID{spokeID.SubscriptionID, spokeID.ResourceGroup, "later"}
	if ps, err := e.CheckNetworks(context.Background(), missing); err != nil || len(ps) != 0 {
		t.Errorf("a VNet that does not exist yet: %v %s", err, problemsText(ps))
	}
}
