package labcli_test

import (
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/emulatortest"
	"github.com/peerlab/terraform-provider-peerlab/internal/labcli"
)

func TestParseOutputs(t *testing.T) {
	o, err := labcli.ParseOutputs([]byte(`{
		"resource_group_name": {"sensitive": false, "type": "string", "value": "rg"},
		"main_vm_name": {"value": "MainVM"}, "remote_vm_name": {"value": "RemoteVM"},
		"main_vm_private_ip": {"value": "192.168.0.4"}, "remote_vm_private_ip": {"value": "192.168.1.4"},
		"main_nic_id": {"value": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/MainVM-nic"},
		"peering_id": {"value": "a|b"}, "remote_address_space": {"value": ["192.168.1.0/24"]},
		"main_vm_public_ip": {"value": null}
	}`))
	if err != nil {
		t.Fatal(err)
	}
	if o.MainVM != "MainVM" || o.RemoteIP != "192.168.1.4" || len(o.RemoteAddressSpace) != 1 {
		t.Errorf("ParseOutputs = %+v", o)
	}
	_, err = labcli.ParseOutputs([]byte(`{"main_vm_name": {"value": "MainVM"}}`))
	if err == nil || !strings.Contains(err.Error(), "resource_group_name") || !strings.Contains(err.Error(), "examples/lab") {
		t.Errorf("ParseOutputs of a partial state: error %v, want one naming what is missing", err)
	}
}

// TestCheckLab builds the lab's shape with the SDK on an in-process
// emulator, then checks it as make lab does: a healthy lab passes, and a
// deny rule on RemoteVM's NSG is reported as lost pings.
func TestCheckLab(t *testing.T) {
	l := emulatortest.New(t, emulator.Options{})
	const g = "AZ104-VNetPeering-RG"
	l.Group(g, "eastus")
	l.VNet(g, "AZ104-Main-VNet", "eastus", []string{"192.168.0.0/24"}, "MainSubnet=192.168.0.0/24")
	l.VNet(g, "AZ104-Remote-VNet", "westus", []string{"192.168.1.0/24"}, "RemoteSubnet=192.168.1.0/24")
	mainLink := l.Link(g, "AZ104-Main-VNet", "Main-to-Remote", l.ID(g, "Microsoft.Network/virtualNetworks", "AZ104-Remote-VNet"), nil, nil)
	remoteLink := l.Link(g, "AZ104-Remote-VNet", "Remote-to-Main", l.ID(g, "Microsoft.Network/virtualNetworks", "AZ104-Main-VNet"), nil, nil)
	remoteNSG := l.NSG(g, "RemoteVM-NSG", "westus")
	mainIP := l.Machine(g, "MainVM", "eastus", l.ID(g, "Microsoft.Network/virtualNetworks", "AZ104-Main-VNet", "subnets", "MainSubnet"), emulatortest.NICOptions{})
	remoteIP := l.Machine(g, "RemoteVM", "westus", l.ID(g, "Microsoft.Network/virtualNetworks", "AZ104-Remote-VNet", "subnets", "RemoteSubnet"), emulatortest.NICOptions{NSG: remoteNSG})

	c, err := labcli.New(l.Sub, l.Cred, l.Emu.ClientOptions())
	if err != nil {
		t.Fatal(err)
	}
	c.Poll = emulatortest.Poll.Frequency
	outs := labcli.LabOutputs{
		ResourceGroup: g, MainVM: "MainVM", RemoteVM: "RemoteVM", MainIP: mainIP, RemoteIP: remoteIP,
		MainNICID:          l.ID(g, "Microsoft.Network/networkInterfaces", "MainVM-nic"),
		PeeringID:          *mainLink.ID + "|" + *remoteLink.ID,
		RemoteAddressSpace: []string{"192.168.1.0/24"},
	}
	var steps []string
	k := c.CheckLab(t.Context(), outs, func(s string) { steps = append(steps, s) })
	if !k.OK() {
		t.Fatalf("a healthy lab has problems: %v\n%s", k.Problems, k.Summary())
	}
	if len(steps) != 4 {
		t.Errorf("progress steps %q, want 4", steps)
	}
	sum := k.Summary()
	for _, want := range []string{"Main-to-Remote", "Connected", "0% packet loss", "192.168.1.0/24", "VNetPeering", mainIP, remoteIP} {
		if !strings.Contains(sum, want) {
			t.Errorf("the summary lacks %q:\n%s", want, sum)
		}
	}

	deny := emulatortest.Rule("Deny-ICMP-Inbound", 900, armnetwork.SecurityRuleDirectionInbound, armnetwork.SecurityRuleAccessDeny, armnetwork.SecurityRuleProtocolIcmp)
	deny.Properties.SourceAddressPrefix = to.Ptr("192.168.0.0/24")
	l.PutRule(g, "RemoteVM-NSG", deny)
	k = c.CheckLab(t.Context(), outs, func(string) {})
	if k.OK() || !strings.Contains(strings.Join(k.Problems, "\n"), "lost 100% of its packets") {
		t.Errorf("with ICMP denied into RemoteVM the problems are %q, want a ping that lost 100%%", k.Problems)
	}
}
