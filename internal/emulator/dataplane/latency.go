package dataplane

import (
	_ "embed"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
)

// rttTable holds Microsoft's published round-trip times between Azure
// regions ("Azure network round-trip latency statistics",
// https://learn.microsoft.com/azure/networking/azure-network-latency,
// figures for the 30 days ending April 9th, 2024); see the file's header.
//
//go:embed rtt_2024-04.txt
var rttTable string

// sameRegionRTT is the round trip between two VMs of one region: around a
// millisecond, as Microsoft's VM-to-VM latency guidance and measurements
// show for VMs without proximity placement.
const sameRegionRTT = 1.0

// rtts maps "source→destination" (normalized region names) to
// milliseconds.
var rtts = parseRTT(rttTable)

// parseRTT reads the table file: "columns:" lines name the destinations of
// the rows that follow; each row is a source and its figures.
func parseRTT(text string) map[string]float64 {
	out := map[string]float64{}
	var cols []string
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "columns:"); ok {
			cols = nil
			for _, c := range strings.Split(rest, "|") {
				cols = append(cols, regionKey(c))
			}
			continue
		}
		cells := strings.Split(line, "|")
		if len(cells) != len(cols)+1 {
			panic(fmt.Sprintf("rtt table line %d has %d figures for %d columns", n+1, len(cells)-1, len(cols)))
		}
		src := regionKey(cells[0])
		for i, c := range cells[1:] {
			c = strings.TrimSpace(c)
			if c == "-" {
				continue
			}
			ms, err := strconv.ParseFloat(c, 64)
			if err != nil {
				panic(fmt.Sprintf("rtt table line %d: %q is not a number", n+1, c))
			}
			out[src+"→"+cols[i]] = ms
		}
	}
	return out
}

// regionKey folds a region's display name or name: "East US 2" → eastus2.
func regionKey(s string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
}

// geography groups regions for pairs the table has no figure for.
var geography = map[string]string{
	"eastus": "us", "eastus2": "us", "centralus": "us", "northcentralus": "us", "southcentralus": "us", "westcentralus": "us",
	"westus": "us-west", "westus2": "us-west", "westus3": "us-west", "canadacentral": "ca", "canadaeast": "ca", "brazilsouth": "br",
	"northeurope": "eu", "westeurope": "eu", "uksouth": "eu", "ukwest": "eu", "francecentral": "eu", "francesouth": "eu",
	"germanywestcentral": "eu", "germanynorth": "eu", "switzerlandnorth": "eu", "switzerlandwest": "eu", "swedencentral": "eu",
	"norwayeast": "eu", "norwaywest": "eu", "polandcentral": "eu", "italynorth": "eu", "eastasia": "asia", "southeastasia": "asia",
	"japaneast": "asia", "japanwest": "asia", "koreacentral": "asia", "koreasouth": "asia", "centralindia": "in", "southindia": "in",
	"westindia": "in", "australiaeast": "au", "australiasoutheast": "au", "australiacentral": "au", "australiacentral2": "au",
	"uaenorth": "me", "uaecentral": "me", "qatarcentral": "me", "israelcentral": "me", "southafricanorth": "za", "southafricawest": "za",
}

// RTT is the base round trip in milliseconds from a VM in one region to a
// VM in another: about a millisecond within a region; the published figure
// for the pair (either direction when only one is published); for a pair
// the page leaves out, 25 ms within one geography and 150 ms across.
func RTT(from, to string) float64 {
	a, b := regionKey(from), regionKey(to)
	if a == b {
		return sameRegionRTT
	}
	if ms, ok := rtts[a+"→"+b]; ok {
		return ms
	}
	if ms, ok := rtts[b+"→"+a]; ok {
		return ms
	}
	if g := geography[a]; g != "" && g == geography[b] {
		return 25
	}
	return 150
}

// Sample is the round trip of one packet in microseconds: the base RTT
// with a small jitter (up to +3% and +0.15 ms), fixed by the two ends and
// the packet's sequence number so that runs repeat exactly.
func Sample(baseMS float64, from, to string, seq int) int64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%s|%d", from, to, seq)
	v := h.Sum64()
	frac := float64(v%1000) / 1000            // 0 … 1
	extra := float64((v/1000)%150) / 1000     // 0 … 0.15 ms
	ms := baseMS*(1+0.03*frac) + extra - 0.05 // never below base-0.05
	if ms < 0.02 {
		ms = 0.02
	}
	return int64(ms * 1000)
}
