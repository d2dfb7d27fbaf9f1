package network

import (
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v9"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// SecurityGroupView is a network security group as GET shows it — its
// rules and Azure's six default rules embedded — for the simulated data
// plane, which evaluates exactly what a client would read.
func SecurityGroupView(tx *store.Tx, id string) (*armnetwork.SecurityGroup, bool) {
	return nsgView(tx, id)
}
