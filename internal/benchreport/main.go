// Command benchreport runs peerlab's benchmarks and prints them as one
// table (make bench). Speed and memory targets live here, never in tests.
package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

type row struct{ area, what, value, note string }

type report struct{ rows []row }

func (r *report) add(area, what, value, note string) {
	r.rows = append(r.rows, row{area, what, value, note})
	fmt.Fprintf(os.Stderr, "  %-9s %-55s %s\n", area, what, value)
}

func (r *report) print() {
	fmt.Printf("\n| area | measurement | value | note |\n|---|---|---|---|\n")
	for _, x := range r.rows {
		fmt.Printf("| %s | %s | %s | %s |\n", x.area, x.what, x.value, strings.ReplaceAll(x.note, "|", "/"))
	}
}

// selected reports whether a benchmark was asked for: all of them when the
// command line names none (go run ./internal/benchreport peering).
func selected(name string) bool {
	if len(os.Args) < 2 {
		return true
	}
	for _, a := range os.Args[1:] {
		if a == name {
			return true
		}
	}
	return false
}

func main() {
	fmt.Fprintf(os.Stderr, "peerlab benchmarks — %s, %d CPUs, %s\n", runtime.Version(), runtime.NumCPU(), time.Now().Format(time.RFC3339))
	r := &report{}
	for _, b := range []struct {
		name string
		run  func(*report) error
	}{
		{"emulator", emulatorBench},
		{"peering", peeringBench},
	} {
		if !selected(b.name) {
			continue
		}
		if err := b.run(r); err != nil {
			fmt.Fprintf(os.Stderr, "bench %s: %v\n", b.name, err)
			r.print()
			os.Exit(1)
		}
	}
	r.print()
}
