package emulator

import (
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/compute"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/dataplane"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/identity"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/network"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/resources"
)

// registerResourceTypes is the list of resource providers the emulator
// serves; each adds its routes (see its Register) to one table.
func registerResourceTypes(s *arm.Server, cfg *identity.Config) {
	resources.Register(s, cfg)
	network.Register(s)
	compute.Register(s, dataplane.RunShellScript)
	dataplane.Register(s)
}
