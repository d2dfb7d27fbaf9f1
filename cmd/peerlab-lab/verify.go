package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/peerlab/terraform-provider-peerlab/internal/labcli"
)

// verify checks a running lab from its outputs and prints the summary;
// it fails when a link is not Connected, a ping loses packets or MainVM
// has no peering route to the Remote VNet.
func verify(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flags("verify")
	file := fs.String("outputs", "", "the JSON of 'terraform output -json', or - for stdin")
	if err := parse(fs, args, "outputs"); err != nil {
		return err
	}
	var b []byte
	var err error
	if *file == "-" {
		b, err = io.ReadAll(stdin)
	} else {
		b, err = os.ReadFile(*file)
	}
	if err != nil {
		return err
	}
	outs, err := labcli.ParseOutputs(b)
	if err != nil {
		return err
	}
	ctx, cancel, c, err := clients(ctx, 10*time.Minute)
	if err != nil {
		return err
	}
	defer cancel()
	k := c.CheckLab(ctx, outs, func(step string) { fmt.Fprintf(stdout, "==> %s\n", step) })
	fmt.Fprintf(stdout, "\n%s", k.Summary())
	if !k.OK() {
		return fmt.Errorf("the lab is not working:\n  - %s", strings.Join(k.Problems, "\n  - "))
	}
	return nil
}
