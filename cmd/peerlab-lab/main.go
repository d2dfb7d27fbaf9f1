// Command peerlab-lab does the lab's work outside Terraform: Run Command on
// its VMs, their effective routes, and the check-and-summary that `make
// lab` prints. It signs in from the ARM_* variables as azurerm and the
// peerlab provider do, so it works against real Azure and, after `source
// .lab/emulator/env`, against the emulator.
//
//	peerlab-lab keygen FILE
//	peerlab-lab run --group G --vm VM SCRIPT...
//	peerlab-lab routes --group G --nic NIC
//	peerlab-lab verify --outputs FILE
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/peerlab/terraform-provider-peerlab/internal/azure"
	"github.com/peerlab/terraform-provider-peerlab/internal/labcli"
)

const usage = `peerlab-lab — Run Command, effective routes and the lab's check, from the ARM_* environment

Usage:
  peerlab-lab keygen FILE                         write an RSA key pair FILE and FILE.pub (kept if FILE.pub exists)
  peerlab-lab run --group G --vm VM SCRIPT...     run a shell script on a Linux VM through Run Command
  peerlab-lab routes --group G --nic NIC          print a network interface's effective routes
  peerlab-lab verify --outputs FILE               check the lab from 'terraform output -json' (FILE or -):
                                                  both links Connected, pings both ways, MainVM's
                                                  route to the Remote VNet; print a summary

Sign-in and cloud come from ARM_SUBSCRIPTION_ID, ARM_TENANT_ID, ARM_CLIENT_ID,
ARM_CLIENT_SECRET (or ARM_USE_OIDC, ARM_USE_MSI, the Azure CLI) and
ARM_METADATA_HOSTNAME or ARM_ENVIRONMENT, as for azurerm.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		return 0
	}
	var err error
	switch args[0] {
	case "keygen":
		err = keygen(args[1:], stdout)
	case "run":
		err = runCommand(ctx, args[1:], stdout, stderr)
	case "routes":
		err = routes(ctx, args[1:], stdout)
	case "verify":
		err = verify(ctx, args[1:], stdin, stdout)
	default:
		fmt.Fprintf(stderr, "peerlab-lab: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	var ue usageError
	switch {
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "peerlab-lab %s: %v\n", args[0], err)
		return 2
	case err != nil:
		fmt.Fprintf(stderr, "peerlab-lab %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

type usageError struct{ error }

func flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

func parse(fs *flag.FlagSet, args []string, required ...string) error {
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	for _, name := range required {
		if strings.TrimSpace(fs.Lookup(name).Value.String()) == "" {
			return usageError{fmt.Errorf("--%s is required", name)}
		}
	}
	return nil
}

// clients signs in from the environment, with a deadline for the whole
// command.
func clients(ctx context.Context, limit time.Duration) (context.Context, context.CancelFunc, *labcli.Clients, error) {
	ctx, cancel := context.WithTimeout(ctx, limit)
	c, err := labcli.FromEnv(ctx, azure.EnvLookup)
	if err != nil {
		cancel()
		return nil, nil, nil, fmt.Errorf("signing in from the ARM_* environment (for the emulator: source .lab/emulator/env): %w", err)
	}
	return ctx, cancel, c, nil
}

func runCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("run")
	group := fs.String("group", "", "resource group")
	vm := fs.String("vm", "", "VM name")
	if err := parse(fs, args, "group", "vm"); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{errors.New("give the script to run, such as 'ping -c 4 192.168.1.4'")}
	}
	ctx, cancel, c, err := clients(ctx, 10*time.Minute)
	if err != nil {
		return err
	}
	defer cancel()
	out, err := c.RunShell(ctx, *group, *vm, strings.Join(fs.Args(), " "))
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, out.Stdout)
	if strings.TrimSpace(out.Stderr) != "" {
		fmt.Fprint(stderr, out.Stderr)
	}
	return nil
}

func routes(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flags("routes")
	group := fs.String("group", "", "resource group")
	nic := fs.String("nic", "", "network interface name")
	if err := parse(fs, args, "group", "nic"); err != nil {
		return err
	}
	ctx, cancel, c, err := clients(ctx, 5*time.Minute)
	if err != nil {
		return err
	}
	defer cancel()
	rs, err := c.EffectiveRoutes(ctx, *group, *nic)
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, labcli.FormatRoutes(labcli.Routes(rs)))
	return nil
}
