// Command peerlab-emulator serves a local Azure (ARM, identity and a
// simulated data plane) over HTTPS on loopback.
//
//	peerlab-emulator serve --data-dir DIR [--addr 127.0.0.1:PORT] [--profile fast|realistic] [--time-scale 1]
//	peerlab-emulator env --data-dir DIR
package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
)

const usage = `peerlab-emulator — a local Azure for VNet peering labs and tests

Usage:
  peerlab-emulator serve --data-dir DIR [--addr 127.0.0.1:0] [--profile fast|realistic] [--time-scale 1] [--verbose]
  peerlab-emulator env --data-dir DIR

serve   starts the emulator; when it is ready it writes DIR/ca.pem and DIR/env
        (shell export lines: source DIR/env to point azurerm, the Azure SDK
        and peerlab at it). State is kept in DIR/state.json.
env     prints DIR/env again.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		return 0
	}
	switch args[0] {
	case "serve":
		return serve(args[1:], stdout, stderr)
	case "env":
		return env(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "peerlab-emulator: unknown command %q\n\n%s", args[0], usage)
	return 2
}

func serve(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data-dir", "", "directory for ca.pem, env, state.json and keys (required)")
	addr := fs.String("addr", "127.0.0.1:0", "listen address; port 0 picks a free port")
	profile := fs.String("profile", "fast", "fast (operations complete at once) or realistic (Azure-like times, throttling)")
	scale := fs.Float64("time-scale", 1, "realistic profile: multiply operation times by this factor")
	allowRemote := fs.Bool("allow-remote", false, "allow a non-loopback listen address")
	verbose := fs.Bool("verbose", false, "log every request to stderr")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dataDir == "" {
		fmt.Fprintln(stderr, "peerlab-emulator serve: --data-dir is required (for example --data-dir .lab/emulator)")
		return 2
	}
	p, err := arm.ParseProfile(*profile, *scale)
	if err != nil {
		fmt.Fprintf(stderr, "peerlab-emulator serve: %v\n", err)
		return 2
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	e, err := emulator.Start(emulator.Options{DataDir: *dataDir, Addr: *addr, Profile: p, AllowRemote: *allowRemote, Logger: logger})
	if err != nil {
		fmt.Fprintf(stderr, "peerlab-emulator serve: %v\n", err)
		return 1
	}
	logger.Info("peerlab-emulator ready", "url", e.URL, "profile", p.Name, "env", e.DataDir+"/"+emulator.FileEnv)
	fmt.Fprintf(stdout, "peerlab-emulator serving %s (profile %s); run: source %s/%s\n", e.URL, p.Name, e.DataDir, emulator.FileEnv)

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	logger.Info("stopping: finishing running operations and saving state")
	if err := e.Close(); err != nil {
		fmt.Fprintf(stderr, "peerlab-emulator: saving state: %v\n", err)
		return 1
	}
	return 0
}

func env(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("env", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data-dir", "", "the data directory of a running or stopped emulator (required)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *dataDir == "" {
		fmt.Fprintln(stderr, "peerlab-emulator env: --data-dir is required")
		return 2
	}
	s, err := emulator.ReadEnvFile(*dataDir)
	if err != nil {
		fmt.Fprintf(stderr, "peerlab-emulator env: %v\n", err)
		return 1
	}
	fmt.Fprint(stdout, s)
	return 0
}
