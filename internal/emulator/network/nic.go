package network

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
	"github.com/google/uuid"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

const nicPath = netPath + "/networkInterfaces/{networkInterfaceName}"

// TypeIPConfiguration is the type of a NIC's IP configurations.
const TypeIPConfiguration = "Microsoft.Network/networkInterfaces/ipConfigurations"

func registerInterfaces(s *arm.Server) {
	r := s.Router
	const read, write = "Microsoft.Network/networkInterfaces/read", "Microsoft.Network/networkInterfaces/write"
	r.Handle(http.MethodGet, netPath+"/networkInterfaces", read, listTop(TypeNIC, decoded[armnetwork.Interface]))
	r.Handle(http.MethodGet, "/subscriptions/{subscriptionId}/providers/Microsoft.Network/networkInterfaces", read, listTop(TypeNIC, decoded[armnetwork.Interface]))
	r.Handle(http.MethodGet, nicPath, read, getTop(TypeNIC, decoded[armnetwork.Interface]))
	r.Handle(http.MethodPut, nicPath, write, putInterface)
	r.Handle(http.MethodPatch, nicPath, write, patchTags(TypeNIC, decoded[armnetwork.Interface]))
	r.Handle(http.MethodDelete, nicPath, "Microsoft.Network/networkInterfaces/delete", deleteHandler("DeleteNetworkInterfaceOperation", false, nicInUse))
	// A deleted NIC gives back the addresses of its Dynamic public IPs.
	s.OnDelete(TypeNIC, func(tx *store.Tx, r *store.Resource) {
		for _, pip := range interfacePublicIPs(r.Body) {
			detachPublicIP(tx, pip, r.ID)
		}
	})
}

// AttachToVM records that the virtual machine vmID uses the NIC nicID: the
// NIC shows the VM, whether it is the VM's primary NIC, and a MAC address
// that is the same every time for this NIC. The compute resource provider
// calls it inside its write transaction.
func AttachToVM(tx *store.Tx, nicID, vmID string, primary bool) error {
	var n armnetwork.Interface
	if err := tx.Decode(nicID, &n); err != nil {
		return fmt.Errorf("network interface %s: %w", nicID, err)
	}
	n.Properties.VirtualMachine = &armnetwork.SubResource{ID: to.Ptr(vmID)}
	n.Properties.Primary = to.Ptr(primary)
	n.Properties.MacAddress = to.Ptr(macAddress(*n.ID))
	n.Etag = to.Ptr(arm.NewETag())
	return tx.Put(*n.ID, TypeNIC, &n)
}

// DetachFromVM undoes AttachToVM; the MAC address stays with the NIC, as in
// Azure.
func DetachFromVM(tx *store.Tx, nicID string) error {
	var n armnetwork.Interface
	if err := tx.Decode(nicID, &n); err != nil {
		return fmt.Errorf("network interface %s: %w", nicID, err)
	}
	n.Properties.VirtualMachine, n.Properties.Primary = nil, nil
	n.Etag = to.Ptr(arm.NewETag())
	return tx.Put(*n.ID, TypeNIC, &n)
}

// macAddress derives a MAC address in Microsoft's 00-0D-3A block from the
// NIC's ID.
func macAddress(nicID string) string {
	h := fnv.New32a()
	h.Write([]byte(store.Key(nicID)))
	n := h.Sum32()
	return fmt.Sprintf("00-0D-3A-%02X-%02X-%02X", byte(n>>16), byte(n>>8), byte(n))
}

// interfacePublicIPs lists the public IPs a stored NIC references.
func interfacePublicIPs(body []byte) []string {
	var n armnetwork.Interface
	if json.Unmarshal(body, &n) != nil || n.Properties == nil {
		return nil
	}
	var out []string
	for _, ipc := range n.Properties.IPConfigurations {
		if ipc != nil && ipc.Properties != nil && ipc.Properties.PublicIPAddress != nil && ipc.Properties.PublicIPAddress.ID != nil {
			out = append(out, *ipc.Properties.PublicIPAddress.ID)
		}
	}
	return out
}

// putInterface creates or updates a NIC in one transaction: the subnets,
// public IPs and NSG it names must exist, be in its region and not be
// mid-operation; its private addresses are allocated as Azure does; a
// Dynamic public IP gets its address as the NIC takes it.
func putInterface(c *arm.Context) (*arm.Response, error) {
	var in armnetwork.Interface
	name, err := decodeTop(c, &in, TypeNIC, "networkInterfaceName", "1-80 characters", func() *string { return in.Location })
	if err != nil {
		return nil, err
	}
	if in.Properties == nil {
		in.Properties = &armnetwork.InterfacePropertiesFormat{}
	}
	var out *armnetwork.Interface
	var op *arm.Operation
	created := false
	err = c.Store().Write(func(tx *store.Tx) error {
		id, aerr := parse(c, tx)
		if aerr != nil {
			return aerr
		}
		nid := id.String()
		location := arm.NormalizeLocation(*in.Location)
		var old armnetwork.Interface
		exists, aerr := priorOf(c, tx, id, *in.Location, &old)
		if aerr != nil {
			return aerr
		}
		var nsg *armnetwork.SecurityGroup
		if ref := in.Properties.NetworkSecurityGroup; ref != nil && ref.ID != nil && *ref.ID != "" {
			nsgID, aerr := checkReference(c, tx, *ref.ID, nid, location)
			if aerr != nil {
				return aerr
			}
			nsg = &armnetwork.SecurityGroup{ID: to.Ptr(nsgID)}
		}
		etag := arm.NewETag()
		ipcs, aerr := planIPConfigurations(c, tx, nid, name, location, etag, &old, in.Properties.IPConfigurations)
		if aerr != nil {
			return aerr
		}

		created = !exists
		kind := "PutNetworkInterfaceOperation"
		p := in.Properties
		n := armnetwork.Interface{
			ID: to.Ptr(nid), Name: to.Ptr(name), Type: to.Ptr(TypeNIC), Location: to.Ptr(location),
			Tags: in.Tags, Etag: to.Ptr(etag), ExtendedLocation: in.ExtendedLocation,
			Properties: &armnetwork.InterfacePropertiesFormat{
				IPConfigurations: ipcs, NetworkSecurityGroup: nsg, DNSSettings: interfaceDNS(p.DNSSettings, ipcs),
				EnableAcceleratedNetworking: orDefault(p.EnableAcceleratedNetworking, false),
				EnableIPForwarding:          orDefault(p.EnableIPForwarding, false),
				DisableTCPStateTracking:     orDefault(p.DisableTCPStateTracking, false),
				NicType:                     orDefault(p.NicType, armnetwork.NetworkInterfaceNicTypeStandard),
				AuxiliaryMode:               p.AuxiliaryMode, AuxiliarySKU: p.AuxiliarySKU, WorkloadType: p.WorkloadType,
				VnetEncryptionSupported: to.Ptr(false), HostedWorkloads: []*string{},
				TapConfigurations: []*armnetwork.InterfaceTapConfiguration{},
				ProvisioningState: to.Ptr(armnetwork.ProvisioningState(startState(c, kind))),
				ResourceGUID:      to.Ptr(uuid.NewString()),
			},
		}
		if exists && old.Properties != nil {
			// Kept from the stored NIC: its identity, and what the
			// compute resource provider set.
			prev := old.Properties
			n.Properties.ResourceGUID = prev.ResourceGUID
			n.Properties.VirtualMachine, n.Properties.Primary, n.Properties.MacAddress = prev.VirtualMachine, prev.Primary, prev.MacAddress
		}
		if err := tx.Put(nid, TypeNIC, &n); err != nil {
			return err
		}
		for _, pip := range interfacePublicIPs(mustJSON(&old)) {
			detachPublicIP(tx, pip, "")
		}
		for _, pip := range interfacePublicIPs(mustJSON(&n)) {
			attachPublicIP(tx, pip)
		}
		op = beginPut(c, tx, kind, nid, location, nil, nil)
		_ = tx.Decode(nid, &out)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return putAnswer(c, created, out, op), nil
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// checkReference checks a resource a NIC names: it exists (in the NIC's
// region) and is not mid-operation. It returns the ID in stored casing.
func checkReference(c *arm.Context, tx *store.Tx, ref, by, location string) (string, *arm.Error) {
	r, ok := tx.Get(ref)
	if !ok {
		return "", errMissingReference(ref, by)
	}
	where := r.ID
	if strings.EqualFold(r.Type, TypeSubnet) {
		where = r.ID[:strings.LastIndex(strings.ToLower(r.ID), "/subnets/")]
	}
	if l := arm.LocationOf(tx, where); l != "" && !strings.EqualFold(arm.NormalizeLocation(l), location) {
		return "", errMissingReference(ref, by)
	}
	if aerr := checkProvisioned(c, r.ID, by); aerr != nil {
		return "", aerr
	}
	return r.ID, nil
}

// interfaceDNS fills in the DNS settings Azure shows: the servers set, the
// servers applied, and the internal domain suffix of the NIC's VNet.
func interfaceDNS(in *armnetwork.InterfaceDNSSettings, ipcs []*armnetwork.InterfaceIPConfiguration) *armnetwork.InterfaceDNSSettings {
	out := &armnetwork.InterfaceDNSSettings{DNSServers: []*string{}}
	if in != nil {
		out.InternalDNSNameLabel = in.InternalDNSNameLabel
		if in.DNSServers != nil {
			out.DNSServers = in.DNSServers
		}
	}
	out.AppliedDNSServers = out.DNSServers
	for _, ipc := range ipcs {
		if deref(ipc.Properties.Primary) {
			sid := *ipc.Properties.Subnet.ID
			h := fnv.New64a()
			h.Write([]byte(store.Key(sid[:strings.LastIndex(strings.ToLower(sid), "/subnets/")])))
			out.InternalDomainNameSuffix = to.Ptr(fmt.Sprintf("%016x.ax.internal.cloudapp.net", h.Sum64()))
		}
	}
	return out
}

// nicInUse refuses to delete a NIC while a VM uses it; its addresses are
// free again once it is gone.
func nicInUse(tx *store.Tx, nid string) *arm.Error {
	var n armnetwork.Interface
	if tx.Decode(nid, &n) == nil && n.Properties != nil {
		if vm := n.Properties.VirtualMachine; vm != nil && vm.ID != nil {
			return errNicInUse(nid, *vm.ID)
		}
	}
	return nil
}
