package network_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/identity"
)

func TestPeering_CrossSubscription(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.fixture("rg", "vnet1", "westeurope", "10.0.0.0/16")
	// One credential, two subscriptions of the same tenant.
	second := l.network(identity.SecondSubscriptionID, l.cred, nil)
	l.group(l.resources(identity.SecondSubscriptionID, l.cred), "rg2", "westeurope")
	l.mustVNet(second, "rg2", "vnet2", vnetBody("westeurope", []string{"10.1.0.0/16"}))
	v1, v2 := vnetID(sub, "rg", "vnet1"), vnetID(identity.SecondSubscriptionID, "rg2", "vnet2")

	l.mustPeering(nil, "rg", "vnet1", "to-vnet2", link(v2))
	p := l.mustPeering(second, "rg2", "vnet2", "to-vnet1", link(v1))
	if state(p) != connected || state(l.getPeering(nil, "rg", "vnet1", "to-vnet2")) != connected {
		t.Errorf("cross-subscription links are %s and %s, want Connected", state(p), state(l.getPeering(nil, "rg", "vnet1", "to-vnet2")))
	}
	if *p.Properties.RemoteVirtualNetwork.ID != v1 {
		t.Errorf("remote %s", *p.Properties.RemoteVirtualNetwork.ID)
	}
}

func TestPeering_CrossTenant(t *testing.T) {
	l := newLab(t, emulator.Options{})
	l.fixture("rg", "vnet1", "westeurope", "10.0.0.0/16")
	// The partner tenant's VNet, created with a token of that tenant.
	partnerCred := l.credential(identity.SecondTenantID, identity.DefaultClientID)
	partner := l.network(identity.SecondTenantSubscriptionID, partnerCred, nil)
	l.group(l.resources(identity.SecondTenantSubscriptionID, partnerCred), "partner", "westeurope")
	l.mustVNet(partner, "partner", "vnet2", vnetBody("westeurope", []string{"10.1.0.0/16"}))
	v1, v2 := vnetID(sub, "rg", "vnet1"), vnetID(identity.SecondTenantSubscriptionID, "partner", "vnet2")

	_, err := l.putPeering(nil, "rg", "vnet1", "to-partner", link(v2), false)
	e := wantError(t, err, http.StatusForbidden, "LinkedAuthorizationFailed")
	if !strings.Contains(e.Message, identity.SecondTenantSubscriptionID) {
		t.Errorf("message does not name the linked subscription: %s", e.Message)
	}

	// With an auxiliary token for the partner tenant (x-ms-authorization-auxiliary).
	withAux := l.network(sub, l.cred, []string{identity.SecondTenantID})
	l.mustPeering(withAux, "rg", "vnet1", "to-partner", link(v2))
	partnerWithAux := l.network(identity.SecondTenantSubscriptionID, partnerCred, []string{identity.DefaultTenantID})
	p := l.mustPeering(partnerWithAux, "partner", "vnet2", "to-main", link(v1))
	if state(p) != connected {
		t.Errorf("cross-tenant link is %s, want Connected", state(p))
	}
}

func TestPeering_ReaderMayReadNotWrite(t *testing.T) {
	l := newLab(t, emulator.Options{})
	_, v2 := l.pair()
	l.mustPeering(nil, "rg", "vnet1", "to-vnet2", link(v2))
	reader := l.network(sub, l.credential("", identity.ReaderClientID), nil)

	_, err := l.putPeering(reader, "rg", "vnet1", "to-vnet2", link(v2), false)
	e := wantError(t, err, http.StatusForbidden, "AuthorizationFailed")
	if !strings.Contains(e.Message, "Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write") {
		t.Errorf("message does not name the action: %s", e.Message)
	}
	if p := l.getPeering(reader, "rg", "vnet1", "to-vnet2"); state(p) != initiated {
		t.Errorf("the reader reads the link as %s", state(p))
	}
	p, err := reader.NewVirtualNetworkPeeringsClient().BeginDelete(t.Context(), "rg", "vnet1", "to-vnet2", nil)
	if err == nil {
		_, err = p.PollUntilDone(t.Context(), poll)
	}
	wantError(t, err, http.StatusForbidden, "AuthorizationFailed")
}
