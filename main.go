// Command terraform-provider-peerlab is the peerlab Terraform provider.
package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/peerlab/terraform-provider-peerlab/internal/provider"
)

// version is set at release: go build -ldflags "-X main.version=1.2.3".
var version = "dev"

// address is the provider's source address in its short form, as
// configurations write it. providerserver.Serve insists on the long form
// with a registry host, so the protocol 6 server is served directly.
const address = "peerlab/peerlab"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run with support for debuggers such as delve; prints TF_REATTACH_PROVIDERS to use")
	flag.Parse()

	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	if err := tf6server.Serve(address, providerserver.NewProtocol6(provider.New(version)()), opts...); err != nil {
		log.Fatal(err.Error())
	}
}
