package dataplane

import "testing"

func TestRTTComesFromMicrosoftsTable(t *testing.T) {
	cases := []struct {
		from, to string
		want     float64
	}{
		{"eastus", "westeurope", 83},      // Western Europe tab, row East US
		{"westeurope", "eastus", 84},      // East US tab, row West Europe
		{"East US 2", "eastus", 9},        // display names fold
		{"uksouth", "ukwest", 8},          // UK tab
		{"southeastasia", "eastasia", 36}, // Asia tab
		{"westus3", "southcentralus", 22}, // Central US tab
		{"westus", "westus2", 25},         // not published: one geography
		{"westus", "mars", 150},           // unknown: across geographies
		{"northeurope", "northeurope", 1}, // same region
	}
	for _, c := range cases {
		if got := RTT(c.from, c.to); got != c.want {
			t.Errorf("RTT(%s, %s) = %v ms, want %v", c.from, c.to, got, c.want)
		}
	}
	if n := len(rtts); n < 1000 {
		t.Errorf("the table holds %d pairs; the file has more", n)
	}
}

func TestSampleIsDeterministicWithSmallJitter(t *testing.T) {
	seen := map[int64]bool{}
	for seq := 1; seq <= 20; seq++ {
		us := Sample(83, "vma", "192.168.1.4", seq)
		if us != Sample(83, "vma", "192.168.1.4", seq) {
			t.Fatal("Sample is not deterministic")
		}
		if us < 82950 || us > 85640 {
			t.Errorf("Sample(83 ms, seq %d) = %d µs, want within +3%% +0.15 ms", seq, us)
		}
		seen[us] = true
	}
	if len(seen) < 10 {
		t.Errorf("20 samples take only %d values: the jitter is too small", len(seen))
	}
	if us := Sample(1, "a", "b", 1); us < 950 || us > 1200 {
		t.Errorf("same-region sample %d µs, want about a millisecond", us)
	}
}
