package peering

import (
	"context"
	"strings"
	"testing"
)

func TestDiscoverFromOneLink(t *testing.T) {
	e, _, spec := setup(t)
	mustCreate(t, e, spec)
	for _, n := range []SideName{SideA, SideB} {
		p, err := e.Discover(context.Background(), ImportID{A: spec.LinkID(n), Single: true})
		if err != nil {
			t.Fatal(err)
		}
		if p.A.ID.Key() != spec.LinkID(n).Key() || p.B.ID.Key() != spec.LinkID(n.Other()).Key() || !p.Connected() {
			t.Errorf("from %s: found %s | %s", n, p.A.ID, p.B.ID)
		}
	}
}

func TestDiscoverHalfPair(t *testing.T) {
	e, _, spec := setup(t)
	if err := e.putLink(context.Background(), spec, SideA, false); err != nil {
		t.Fatal(err)
	}
	_, err := e.Discover(context.Background(), ImportID{A: spec.LinkID(SideA), Single: true})
	want := `no link on the remote virtual network "` + spokeID.String() + `" points back at "` + hubID.String() + `"`
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), spokeID.String()+"/virtualNetworkPeerings/spoke-to-hub") {
		t.Fatalf("got %v", err)
	}
	// The pair ID form imports it; the missing side shows as Missing.
	p, err := e.Discover(context.Background(), ImportID{A: spec.LinkID(SideA), B: spec.LinkID(SideB)})
	if err != nil || p.B.State() != StateMissing || p.A.State() != StateInitiated {
		t.Fatalf("%v %s/%s", err, p.A.State(), p.B.State())
	}
}

func TestDiscoverNothing(t *testing.T) {
	e, _, spec := setup(t)
	_, err := e.Discover(context.Background(), ImportID{A: spec.LinkID(SideA), Single: true})
	if err == nil || !strings.Contains(err.Error(), "does not exist") || !strings.Contains(err.Error(), "peerlab_virtual_network_peerings") {
		t.Errorf("single: %v", err)
	}
	_, err = e.Discover(context.Background(), ImportID{A: spec.LinkID(SideA), B: spec.LinkID(SideB)})
	if err == nil || !strings.Contains(err.Error(), "neither link") {
		t.Errorf("pair: %v", err)
	}
}

func TestListLinksAndSpecFromPair(t *testing.T) {
	e, lab, spec := setup(t)
	// Azure peers only subnets that exist.
	lab.subnet(hubID, "hub-s", "10.0.1.0/24")
	lab.subnet(spokeID, "spoke-s", "10.1.1.0/24")
	spec.A.AllowForwardedTraffic = true
	spec.A.SubnetNames, spec.B.SubnetNames = []string{"hub-s"}, []string{"spoke-s"}
	mustCreate(t, e, spec)
	links, err := e.ListLinks(context.Background(), hubID)
	if err != nil || len(links) != 1 || links[0].ID.Name != "hub-to-spoke" || links[0].RemoteVirtualNetworkID() != spokeID.String() {
		t.Fatalf("%v %+v", err, links)
	}
	p, _ := e.Read(context.Background(), spec.LinkID(SideA), spec.LinkID(SideB))
	got := SpecFromPair(p)
	if !got.A.AllowForwardedTraffic || got.B.AllowForwardedTraffic || got.A.SubnetNames[0] != "hub-s" || got.B.SubnetNames[0] != "spoke-s" || !got.SyncAddressSpace {
		t.Errorf("spec %+v", got)
	}
	// With b gone, its subnets are still known from a's remote list.
	p.B.Link = nil
	got = SpecFromPair(p)
	if len(got.B.SubnetNames) != 1 || got.B.SubnetNames[0] != "spoke-s" || !got.B.AllowVirtualNetworkAccess {
		t.Errorf("spec with b missing %+v", got.B)
	}
}
