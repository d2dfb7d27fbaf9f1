package labcli

import (
	"context"
	"encoding/json"
	"fmt"
	"path"
	"strings"
)

// LabOutputs are the outputs of examples/lab (the module's) that the
// lab's check reads, from `terraform output -json`.
type LabOutputs struct {
	ResourceGroup      string   `json:"resource_group_name"`
	MainVM             string   `json:"main_vm_name"`
	RemoteVM           string   `json:"remote_vm_name"`
	MainIP             string   `json:"main_vm_private_ip"`
	RemoteIP           string   `json:"remote_vm_private_ip"`
	MainNICID          string   `json:"main_nic_id"`
	PeeringID          string   `json:"peering_id"`
	RemoteAddressSpace []string `json:"remote_address_space"`
}

// ParseOutputs reads `terraform output -json`.
func ParseOutputs(b []byte) (LabOutputs, error) {
	var raw map[string]struct {
		Value json.RawMessage `json:"value"`
	}
	var o LabOutputs
	if err := json.Unmarshal(b, &raw); err != nil {
		return o, fmt.Errorf("not the JSON of 'terraform output -json': %w", err)
	}
	flat := map[string]json.RawMessage{}
	for k, v := range raw {
		flat[k] = v.Value
	}
	fb, _ := json.Marshal(flat)
	if err := json.Unmarshal(fb, &o); err != nil {
		return o, fmt.Errorf("reading the lab's outputs: %w", err)
	}
	var missing []string
	for name, v := range map[string]string{"resource_group_name": o.ResourceGroup, "main_vm_name": o.MainVM, "remote_vm_name": o.RemoteVM,
		"main_vm_private_ip": o.MainIP, "remote_vm_private_ip": o.RemoteIP, "main_nic_id": o.MainNICID, "peering_id": o.PeeringID} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(o.RemoteAddressSpace) == 0 {
		missing = append(missing, "remote_address_space")
	}
	if len(missing) > 0 {
		return o, fmt.Errorf("the outputs lack %s: is this the state of examples/lab after an apply?", strings.Join(missing, ", "))
	}
	return o, nil
}

// PingResult is one ping through Run Command.
type PingResult struct {
	From, To, Addr string
	Script         string
	Output         Output
	Stats          PingStats
	Err            error
}

// LabCheck is what the lab's check found.
type LabCheck struct {
	Outputs     LabOutputs
	Links       [2]LinkState
	Pings       [2]PingResult
	MainNIC     string
	MainRoutes  []Route
	PeerRoutes  []Route // MainVM's routes to the Remote VNet's prefixes
	RoutesError error
	Problems    []string
}

// LinkState is one peering link and its state.
type LinkState struct {
	Name, VNet, State string
	Err               error
}

// CheckLab reads both links' states, pings each VM from the other through
// Run Command, and reads MainVM's effective routes. progress is told what
// each step is about to do.
func (c *Clients) CheckLab(ctx context.Context, o LabOutputs, progress func(string)) *LabCheck {
	k := &LabCheck{Outputs: o, MainNIC: path.Base(o.MainNICID)}
	progress("reading both peering links")
	for i, id := range strings.SplitN(o.PeeringID, "|", 2) {
		parts := strings.Split(id, "/")
		l := LinkState{Name: parts[len(parts)-1]}
		if len(parts) >= 3 {
			l.VNet = parts[len(parts)-3]
		}
		l.State, l.Err = c.PeeringState(ctx, id)
		if l.Err != nil {
			k.Problems = append(k.Problems, l.Err.Error())
		} else if l.State != "Connected" {
			k.Problems = append(k.Problems, fmt.Sprintf("link %s on %s is %s, not Connected", l.Name, l.VNet, l.State))
		}
		k.Links[i] = l
	}
	for i, p := range [][3]string{{o.MainVM, o.RemoteVM, o.RemoteIP}, {o.RemoteVM, o.MainVM, o.MainIP}} {
		r := PingResult{From: p[0], To: p[1], Addr: p[2], Script: PingScript(p[2], 4)}
		progress(fmt.Sprintf("pinging %s (%s) from %s through Run Command", r.To, r.Addr, r.From))
		r.Output, r.Err = c.RunShell(ctx, o.ResourceGroup, r.From, r.Script)
		if r.Err == nil {
			r.Stats, r.Err = ParsePing(r.Output.Stdout)
		}
		switch {
		case r.Err != nil:
			k.Problems = append(k.Problems, fmt.Sprintf("ping %s from %s: %v", r.To, r.From, r.Err))
		case r.Stats.LossPercent != 0:
			k.Problems = append(k.Problems, fmt.Sprintf("ping %s from %s lost %g%% of its packets", r.To, r.From, r.Stats.LossPercent))
		}
		k.Pings[i] = r
	}
	progress(fmt.Sprintf("reading the effective routes of %s", k.MainNIC))
	rs, err := c.EffectiveRoutes(ctx, o.ResourceGroup, k.MainNIC)
	if err != nil {
		k.RoutesError = err
		k.Problems = append(k.Problems, err.Error())
		return k
	}
	k.MainRoutes = Routes(rs)
	for _, prefix := range o.RemoteAddressSpace {
		r, ok := FindRoute(k.MainRoutes, prefix)
		if !ok || r.NextHopType != "VNetPeering" {
			k.Problems = append(k.Problems, fmt.Sprintf("%s has no active route to %s with next hop VNetPeering", o.MainVM, prefix))
			continue
		}
		k.PeerRoutes = append(k.PeerRoutes, r)
	}
	return k
}

// OK is true when nothing is wrong.
func (k *LabCheck) OK() bool { return len(k.Problems) == 0 }

// Summary is the report `make lab` prints.
func (k *LabCheck) Summary() string {
	var b strings.Builder
	o := k.Outputs
	fmt.Fprintf(&b, "Peering (resource group %s)\n", o.ResourceGroup)
	for _, l := range k.Links {
		state := l.State
		if l.Err != nil {
			state = "unknown: " + l.Err.Error()
		}
		fmt.Fprintf(&b, "  %-16s on %-20s %s\n", l.Name, l.VNet, state)
	}
	fmt.Fprintf(&b, "\nVirtual machines\n  %-10s %s\n  %-10s %s\n", o.MainVM, o.MainIP, o.RemoteVM, o.RemoteIP)
	for _, p := range k.Pings {
		fmt.Fprintf(&b, "\n%s -> %s: %s\n", p.From, p.To, p.Script)
		switch {
		case p.Err != nil && p.Output.Message == "":
			fmt.Fprintf(&b, "%s\n", indent(p.Err.Error()))
		default:
			fmt.Fprintf(&b, "%s\n", indent(p.Output.Stdout))
			if s := strings.TrimSpace(p.Output.Stderr); s != "" {
				fmt.Fprintf(&b, "  stderr:\n%s\n", indent(s))
			}
		}
	}
	fmt.Fprintf(&b, "\n%s's route to %s (effective routes of %s)\n", o.MainVM, strings.Join(o.RemoteAddressSpace, ", "), k.MainNIC)
	switch {
	case k.RoutesError != nil:
		fmt.Fprintf(&b, "%s\n", indent(k.RoutesError.Error()))
	case len(k.PeerRoutes) == 0:
		b.WriteString("  none: the Remote VNet is not reachable through the peering\n")
	default:
		b.WriteString(indent(FormatRoutes(k.PeerRoutes)) + "\n")
	}
	return b.String()
}
