package network

import (
	"encoding/binary"
	"encoding/json"
	"hash/fnv"
	"net/http"
	"net/netip"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"
	"github.com/google/uuid"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

const pipPath = netPath + "/publicIPAddresses/{publicIpAddressName}"

func registerPublicIPs(s *arm.Server) {
	r := s.Router
	const read, write = "Microsoft.Network/publicIPAddresses/read", "Microsoft.Network/publicIPAddresses/write"
	r.Handle(http.MethodGet, netPath+"/publicIPAddresses", read, listTop(TypePublicIP, pipView))
	r.Handle(http.MethodGet, "/subscriptions/{subscriptionId}/providers/Microsoft.Network/publicIPAddresses", read, listTop(TypePublicIP, pipView))
	r.Handle(http.MethodGet, pipPath, read, getTop(TypePublicIP, pipView))
	r.Handle(http.MethodPut, pipPath, write, putPublicIP)
	r.Handle(http.MethodPatch, pipPath, write, patchTags(TypePublicIP, pipView))
	r.Handle(http.MethodDelete, pipPath, "Microsoft.Network/publicIPAddresses/delete", deleteHandler("DeletePublicIpAddressOperation", false, pipInUse))
}

// Public addresses come from fixed ranges, picked by a hash of the
// resource ID so that one resource gets the same address run after run.
var (
	publicIPv4Base = netip.MustParseAddr("20.0.0.0")    // 20.0.0.0/8: .0 and .255 are never handed out
	publicIPv6Base = netip.MustParseAddr("2603:1030::") // 2603:1030::/32
)

// pipView is a public IP as GET shows it, with the IP configuration that
// uses it.
func pipView(tx *store.Tx, id string) (*armnetwork.PublicIPAddress, bool) {
	var p armnetwork.PublicIPAddress
	if tx.Decode(id, &p) != nil {
		return nil, false
	}
	if p.Properties == nil {
		p.Properties = &armnetwork.PublicIPAddressPropertiesFormat{}
	}
	p.Properties.IPConfiguration = nil
	if users := pipUsers(tx, *p.ID); len(users) > 0 {
		p.Properties.IPConfiguration = &armnetwork.IPConfiguration{ID: to.Ptr(users[0])}
	}
	return &p, true
}

// pipUsers lists the IP configurations (of NICs, then of virtual network
// gateways) that reference a public IP.
func pipUsers(tx *store.Tx, pipID string) []string {
	var out []string
	for _, r := range tx.Under(subscriptionOf(pipID), TypeNIC) {
		var n armnetwork.Interface
		if json.Unmarshal(r.Body, &n) != nil || n.Properties == nil {
			continue
		}
		for _, ipc := range n.Properties.IPConfigurations {
			if ipc != nil && ipc.Properties != nil && ipc.Properties.PublicIPAddress != nil && ipc.Properties.PublicIPAddress.ID != nil &&
				arm.SameID(*ipc.Properties.PublicIPAddress.ID, pipID) {
				out = append(out, *ipc.ID)
			}
		}
	}
	return append(out, gatewayPublicIPUsers(tx, pipID)...)
}

// allocatePublicAddress picks the address for a public IP: the first free
// one from its ID's hash on.
func allocatePublicAddress(tx *store.Tx, pipID string, v6 bool) string {
	taken := map[string]bool{}
	for _, r := range tx.All(TypePublicIP) {
		var p armnetwork.PublicIPAddress
		if !arm.SameID(r.ID, pipID) && json.Unmarshal(r.Body, &p) == nil && p.Properties != nil && p.Properties.IPAddress != nil {
			taken[*p.Properties.IPAddress] = true
		}
	}
	h := fnv.New64a()
	h.Write([]byte(store.Key(pipID)))
	n := h.Sum64()
	for i := uint64(0); ; i++ {
		a := publicAddress(n+i, v6)
		if !taken[a] {
			return a
		}
	}
}

func publicAddress(n uint64, v6 bool) string {
	if v6 {
		b := publicIPv6Base.As16()
		binary.BigEndian.PutUint64(b[8:], n)
		return netip.AddrFrom16(b).String()
	}
	b := publicIPv4Base.As4()
	n %= 256 * 256 * 254
	b[1], b[2], b[3] = byte(n/(256*254)), byte(n/254%256), byte(n%254+1)
	return netip.AddrFrom4(b).String()
}

// attachPublicIP gives a Dynamic public IP its address when a NIC takes it
// (a Static one has had its address since it was created).
func attachPublicIP(tx *store.Tx, pipID string) {
	var p armnetwork.PublicIPAddress
	if tx.Decode(pipID, &p) != nil || p.Properties == nil || p.Properties.IPAddress != nil {
		return
	}
	v6 := deref(p.Properties.PublicIPAddressVersion) == armnetwork.IPVersionIPv6
	p.Properties.IPAddress = to.Ptr(allocatePublicAddress(tx, *p.ID, v6))
	_ = tx.Put(*p.ID, TypePublicIP, &p)
}

// detachPublicIP releases the address of a Dynamic public IP that no NIC
// uses any more; leaving, when set, is a NIC on its way out whose use does
// not count.
func detachPublicIP(tx *store.Tx, pipID, leaving string) {
	var p armnetwork.PublicIPAddress
	if tx.Decode(pipID, &p) != nil || p.Properties == nil || p.Properties.IPAddress == nil ||
		deref(p.Properties.PublicIPAllocationMethod) != armnetwork.IPAllocationMethodDynamic {
		return
	}
	for _, u := range pipUsers(tx, pipID) {
		if leaving == "" || !strings.HasPrefix(store.Key(u), store.Key(leaving)+"/") {
			return
		}
	}
	p.Properties.IPAddress = nil
	_ = tx.Put(*p.ID, TypePublicIP, &p)
}

var (
	pipSKUs        = enumOf(armnetwork.PossiblePublicIPAddressSKUNameValues())
	pipTiers       = enumOf(armnetwork.PossiblePublicIPAddressSKUTierValues())
	ipVersions     = enumOf(armnetwork.PossibleIPVersionValues())
	allocationKind = enumOf(armnetwork.PossibleIPAllocationMethodValues())
)

// putPublicIP creates or updates a public IP. Defaults follow the REST
// specification's example: Basic, Dynamic, IPv4, 4 minutes idle timeout;
// a Standard SKU without an allocation method is Static.
func putPublicIP(c *arm.Context) (*arm.Response, error) {
	var in armnetwork.PublicIPAddress
	name, err := decodeTop(c, &in, TypePublicIP, "publicIpAddressName", "1-80 characters", func() *string { return in.Location })
	if err != nil {
		return nil, err
	}
	if in.Properties == nil {
		in.Properties = &armnetwork.PublicIPAddressPropertiesFormat{}
	}
	if in.SKU == nil {
		in.SKU = &armnetwork.PublicIPAddressSKU{}
	}
	sku := pipSKUs[strings.ToLower(string(deref(in.SKU.Name)))]
	if sku == "" {
		sku = armnetwork.PublicIPAddressSKUNameBasic
	}
	tier := pipTiers[strings.ToLower(string(deref(in.SKU.Tier)))]
	if tier == "" {
		tier = armnetwork.PublicIPAddressSKUTierRegional
	}
	version := ipVersions[strings.ToLower(string(deref(in.Properties.PublicIPAddressVersion)))]
	if version == "" {
		version = armnetwork.IPVersionIPv4
	}
	standard := sku != armnetwork.PublicIPAddressSKUNameBasic
	alloc := allocationKind[strings.ToLower(string(deref(in.Properties.PublicIPAllocationMethod)))]
	if alloc == "" {
		alloc = armnetwork.IPAllocationMethodDynamic
		if standard {
			alloc = armnetwork.IPAllocationMethodStatic
		}
	}
	var out *armnetwork.PublicIPAddress
	var op *arm.Operation
	created := false
	err = c.Store().Write(func(tx *store.Tx) error {
		id, aerr := parse(c, tx)
		if aerr != nil {
			return aerr
		}
		pid := id.String()
		if standard && alloc == armnetwork.IPAllocationMethodDynamic {
			return errStandardMustBeStatic(pid)
		}
		var old armnetwork.PublicIPAddress
		exists, aerr := priorOf(c, tx, id, *in.Location, &old)
		if aerr != nil {
			return aerr
		}
		created = !exists
		kind := "PutPublicIpAddressOperation"
		location := arm.NormalizeLocation(*in.Location)
		pp := in.Properties
		p := armnetwork.PublicIPAddress{
			ID: to.Ptr(pid), Name: to.Ptr(name), Type: to.Ptr(TypePublicIP), Location: to.Ptr(location),
			Tags: in.Tags, Etag: to.Ptr(arm.NewETag()), Zones: in.Zones, ExtendedLocation: in.ExtendedLocation,
			SKU: &armnetwork.PublicIPAddressSKU{Name: to.Ptr(sku), Tier: to.Ptr(tier)},
			Properties: &armnetwork.PublicIPAddressPropertiesFormat{
				PublicIPAllocationMethod: to.Ptr(alloc), PublicIPAddressVersion: to.Ptr(version),
				IdleTimeoutInMinutes: orDefault(pp.IdleTimeoutInMinutes, 4), IPTags: pp.IPTags,
				DNSSettings: pipDNS(pp.DNSSettings, location), DdosSettings: pp.DdosSettings, DeleteOption: pp.DeleteOption,
				PublicIPPrefix: pp.PublicIPPrefix, ProvisioningState: to.Ptr(armnetwork.ProvisioningState(startState(c, kind))),
				ResourceGUID: to.Ptr(uuid.NewString()),
			},
		}
		if p.Properties.IPTags == nil {
			p.Properties.IPTags = []*armnetwork.IPTag{}
		}
		if exists && old.Properties != nil {
			p.Properties.ResourceGUID = old.Properties.ResourceGUID
			if deref(old.Properties.PublicIPAddressVersion) == version {
				p.Properties.IPAddress = old.Properties.IPAddress
			}
		}
		attached := len(pipUsers(tx, pid)) > 0
		switch {
		case alloc == armnetwork.IPAllocationMethodDynamic && !attached:
			p.Properties.IPAddress = nil
		case p.Properties.IPAddress == nil:
			p.Properties.IPAddress = to.Ptr(allocatePublicAddress(tx, pid, version == armnetwork.IPVersionIPv6))
		}
		if err := tx.Put(pid, TypePublicIP, &p); err != nil {
			return err
		}
		op = beginPut(c, tx, kind, pid, location, nil, nil)
		out, _ = pipView(tx, pid)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return putAnswer(c, created, out, op), nil
}

// pipDNS fills in the FQDN of a DNS label as Azure names it.
func pipDNS(d *armnetwork.PublicIPAddressDNSSettings, location string) *armnetwork.PublicIPAddressDNSSettings {
	if d == nil || d.DomainNameLabel == nil || *d.DomainNameLabel == "" {
		return d
	}
	out := *d
	out.Fqdn = to.Ptr(strings.ToLower(*d.DomainNameLabel) + "." + location + ".cloudapp.azure.com")
	return &out
}

// pipInUse refuses to delete a public IP while an IP configuration holds it.
func pipInUse(tx *store.Tx, pid string) *arm.Error {
	if users := pipUsers(tx, pid); len(users) > 0 {
		return errPublicIPInUse(pid, users[0])
	}
	return nil
}
