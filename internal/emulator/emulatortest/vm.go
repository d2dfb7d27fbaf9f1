package emulatortest

import (
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v7"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
)

// TestSSHKey is a 2048-bit RSA public key for test VMs (azurerm checks
// that keys parse); its private half was never kept.
const TestSSHKey = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCkHM3dJNp9MDxv5fORNQLRcYauojc58VK/pIYClbZDKXrwd9zEdnji8X9WYqvckHvznqr5z10/+zxBPHiP6Bf0IPFsXUVoKDAyVRevdCJ/z25BUjeLDbdgyhNiDZXMDQov9gMz64j0DgmZfzyzJToy8UBnBnHniCVZEKK3dJbrnKG1cb8qTGia9fPe5M+O3Gp3iUgkgtSBpeWrjWdY3Nr8D6iULcPzC5EfdbKvp9V5ZS7+VMXe/4MGcY2TPl5/yLujf4UvkU3+GuIhewR0EYZZoUxWYu4a/OOdp2FySPgchrpEU87anVUQiduPLCMZ5PzK/NTK38NakoKlAP67/Trl peerlab-test"

// VMBody is a Linux VM PUT body as azurerm builds one: Ubuntu 22.04, an
// SSH key, a Standard_B1s size and the given NICs (the first primary).
func VMBody(location string, nicIDs ...string) armcompute.VirtualMachine {
	var nics []*armcompute.NetworkInterfaceReference
	for i, id := range nicIDs {
		nics = append(nics, &armcompute.NetworkInterfaceReference{ID: to.Ptr(id), Properties: &armcompute.NetworkInterfaceReferenceProperties{Primary: to.Ptr(i == 0)}})
	}
	return armcompute.VirtualMachine{
		Location: to.Ptr(location),
		Properties: &armcompute.VirtualMachineProperties{
			HardwareProfile: &armcompute.HardwareProfile{VMSize: to.Ptr(armcompute.VirtualMachineSizeTypes("Standard_B1s"))},
			StorageProfile: &armcompute.StorageProfile{
				ImageReference: &armcompute.ImageReference{Publisher: to.Ptr("Canonical"), Offer: to.Ptr("0001-com-ubuntu-server-jammy"), SKU: to.Ptr("22_04-lts-gen2"), Version: to.Ptr("latest")},
				OSDisk: &armcompute.OSDisk{CreateOption: to.Ptr(armcompute.DiskCreateOptionTypesFromImage), Caching: to.Ptr(armcompute.CachingTypesReadWrite),
					ManagedDisk: &armcompute.ManagedDiskParameters{StorageAccountType: to.Ptr(armcompute.StorageAccountTypesStandardLRS)}},
			},
			OSProfile: &armcompute.OSProfile{
				AdminUsername: to.Ptr("azureuser"),
				LinuxConfiguration: &armcompute.LinuxConfiguration{DisablePasswordAuthentication: to.Ptr(true),
					SSH: &armcompute.SSHConfiguration{PublicKeys: []*armcompute.SSHPublicKey{{Path: to.Ptr("/home/azureuser/.ssh/authorized_keys"), KeyData: to.Ptr(TestSSHKey)}}}},
			},
			NetworkProfile: &armcompute.NetworkProfile{NetworkInterfaces: nics},
		},
	}
}

// VM creates a Linux VM (computer name = VM name) and waits until it runs.
func (l *Lab) VM(group, name, location string, nicIDs ...string) armcompute.VirtualMachine {
	l.T.Helper()
	body := VMBody(location, nicIDs...)
	body.Properties.OSProfile.ComputerName = to.Ptr(name)
	p, err := l.Compute.NewVirtualMachinesClient().BeginCreateOrUpdate(l.T.Context(), group, name, body, nil)
	if err != nil {
		l.T.Fatalf("putting VM %s: %v", name, err)
	}
	r, err := p.PollUntilDone(l.T.Context(), Poll)
	if err != nil {
		l.T.Fatalf("putting VM %s: %v", name, err)
	}
	return r.VirtualMachine
}

// Machine creates a VM with one NIC (named name-nic) in a subnet, and
// returns the NIC's private address.
func (l *Lab) Machine(group, name, location, subnetID string, o NICOptions) string {
	l.T.Helper()
	nic := l.NIC(group, name+"-nic", location, subnetID, o)
	l.VM(group, name, location, *nic.ID)
	return *nic.Properties.IPConfigurations[0].Properties.PrivateIPAddress
}

// RunShell runs a RunShellScript Run Command on a VM, polls it with the
// SDK, and returns the script's stdout and stderr, cut out of the result's
// message ("Enable succeeded: \n[stdout]\n…\n[stderr]\n…").
func (l *Lab) RunShell(group, vm string, script ...string) (stdout, stderr string) {
	l.T.Helper()
	r := l.RunCommand(group, vm, script...)
	if len(r.Value) != 1 || r.Value[0].Message == nil {
		l.T.Fatalf("Run Command on %s: unexpected result shape %+v", vm, r)
	}
	return SplitOutput(l.T, *r.Value[0].Message)
}

// RunCommand runs a RunShellScript Run Command and returns its result.
func (l *Lab) RunCommand(group, vm string, script ...string) armcompute.RunCommandResult {
	l.T.Helper()
	in := armcompute.RunCommandInput{CommandID: to.Ptr("RunShellScript"), Script: to.SliceOfPtrs(script...)}
	p, err := l.Compute.NewVirtualMachinesClient().BeginRunCommand(l.T.Context(), group, vm, in, nil)
	if err != nil {
		l.T.Fatalf("Run Command on %s: %v", vm, err)
	}
	r, err := p.PollUntilDone(l.T.Context(), Poll)
	if err != nil {
		l.T.Fatalf("Run Command on %s: %v", vm, err)
	}
	return r.RunCommandResult
}

// SplitOutput cuts stdout and stderr out of a Run Command message.
func SplitOutput(t interface {
	Helper()
	Fatalf(string, ...any)
}, msg string) (stdout, stderr string) {
	t.Helper()
	const head = "Enable succeeded: \n[stdout]\n"
	body, ok := strings.CutPrefix(msg, head)
	if !ok {
		t.Fatalf("Run Command message %q does not start with %q", msg, head)
	}
	out, errOut, ok := strings.Cut(body, "\n[stderr]\n")
	if !ok {
		t.Fatalf("Run Command message %q has no [stderr] section", msg)
	}
	return out, errOut
}

// EffectiveRoutes reads a NIC's effective routes with the SDK.
func (l *Lab) EffectiveRoutes(group, nic string) []*armnetwork.EffectiveRoute {
	l.T.Helper()
	p, err := l.Net.NewInterfacesClient().BeginGetEffectiveRouteTable(l.T.Context(), group, nic, nil)
	if err != nil {
		l.T.Fatalf("effective routes of %s: %v", nic, err)
	}
	r, err := p.PollUntilDone(l.T.Context(), Poll)
	if err != nil {
		l.T.Fatalf("effective routes of %s: %v", nic, err)
	}
	return r.Value
}

// EffectiveNSGs reads a NIC's effective security groups with the SDK.
func (l *Lab) EffectiveNSGs(group, nic string) []*armnetwork.EffectiveNetworkSecurityGroup {
	l.T.Helper()
	p, err := l.Net.NewInterfacesClient().BeginListEffectiveNetworkSecurityGroups(l.T.Context(), group, nic, nil)
	if err != nil {
		l.T.Fatalf("effective NSGs of %s: %v", nic, err)
	}
	r, err := p.PollUntilDone(l.T.Context(), Poll)
	if err != nil {
		l.T.Fatalf("effective NSGs of %s: %v", nic, err)
	}
	return r.Value
}
