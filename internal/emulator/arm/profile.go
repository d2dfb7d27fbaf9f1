package arm

import (
	"fmt"
	"time"
)

// Profile sets how Azure-like the emulator's timing is.
type Profile struct {
	Name string
	// Scale multiplies every operation time (realistic only).
	Scale float64
	// Throttle enables per-principal request budgets (429 past them).
	Throttle bool
	// ReadsPerSecond / WritesPerSecond refill the budgets; Burst is the
	// bucket size, as ARM's token buckets work.
	ReadsPerSecond, WritesPerSecond float64
	ReadBurst, WriteBurst           float64
}

// Operation kinds and their Azure-like durations in the realistic profile.
// Figures are typical times seen for these operations in Azure's public
// regions; they are not promised by Azure and are easy to change here.
var realisticDurations = map[string]time.Duration{
	"PutVirtualNetworkOperation":              6 * time.Second,
	"DeleteVirtualNetworkOperation":           8 * time.Second,
	"PutSubnetOperation":                      4 * time.Second,
	"DeleteSubnetOperation":                   4 * time.Second,
	"PutVirtualNetworkPeeringOperation":       8 * time.Second,
	"DeleteVirtualNetworkPeeringOperation":    6 * time.Second,
	"PutNetworkSecurityGroupOperation":        3 * time.Second,
	"DeleteNetworkSecurityGroupOperation":     4 * time.Second,
	"PutSecurityRuleOperation":                3 * time.Second,
	"DeleteSecurityRuleOperation":             3 * time.Second,
	"PutPublicIpAddressOperation":             3 * time.Second,
	"DeletePublicIpAddressOperation":          4 * time.Second,
	"PutNetworkInterfaceOperation":            2 * time.Second,
	"DeleteNetworkInterfaceOperation":         3 * time.Second,
	"DeleteResourceGroupOperation":            15 * time.Second,
	"PutVirtualMachineOperation":              45 * time.Second,
	"DeleteVirtualMachineOperation":           30 * time.Second,
	"RunCommandOperation":                     20 * time.Second,
	"EffectiveRouteTableOperation":            5 * time.Second,
	"EffectiveNetworkSecurityGroupsOperation": 5 * time.Second,
	"PutDiskOperation":                        4 * time.Second,
	"DeleteDiskOperation":                     4 * time.Second,
	// A VPN gateway takes 30 to 45 minutes to create in Azure.
	"PutVirtualNetworkGatewayOperation":    30 * time.Minute,
	"DeleteVirtualNetworkGatewayOperation": 10 * time.Minute,
}

const defaultRealisticDuration = 5 * time.Second

// FastProfile answers every long-running operation at once.
func FastProfile() *Profile { return &Profile{Name: "fast", Scale: 0} }

// RealisticProfile takes Azure-like times scaled by scale, and throttles as
// ARM does (token buckets per principal and subscription: 250 reads with 25
// a second back, 200 writes with 10 a second back).
func RealisticProfile(scale float64) *Profile {
	return &Profile{Name: "realistic", Scale: scale, Throttle: true,
		ReadsPerSecond: 25, ReadBurst: 250, WritesPerSecond: 10, WriteBurst: 200}
}

// ParseProfile turns the --profile flag into a profile.
func ParseProfile(name string, scale float64) (*Profile, error) {
	switch name {
	case "", "fast":
		return FastProfile(), nil
	case "realistic":
		if scale < 0 {
			return nil, fmt.Errorf("--time-scale must be 0 or more, got %v", scale)
		}
		return RealisticProfile(scale), nil
	}
	return nil, fmt.Errorf("unknown profile %q: use fast or realistic", name)
}

// Duration is how long an operation of this kind takes.
func (p *Profile) Duration(kind string) time.Duration {
	if p == nil || p.Scale == 0 {
		return 0
	}
	d, ok := realisticDurations[kind]
	if !ok {
		d = defaultRealisticDuration
	}
	return time.Duration(float64(d) * p.Scale)
}
