# Import with the pair ID, "<a link ID>|<b link ID>" (quote it: it holds a |):
terraform import peerlab_bidirectional_peering.main_remote \
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-main/providers/Microsoft.Network/virtualNetworks/main/virtualNetworkPeerings/Main-to-Remote|/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-remote/providers/Microsoft.Network/virtualNetworks/remote/virtualNetworkPeerings/Remote-to-Main'

# Or with one link's ID: it becomes side a, and the reverse link is found on
# the remote virtual network. If your configuration calls that link's side b
# (or the pair ID was given in b|a order), the next plan shows an in-place
# update that only re-orders the two sides in state: nothing changes in Azure.
terraform import peerlab_bidirectional_peering.main_remote \
  /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-main/providers/Microsoft.Network/virtualNetworks/main/virtualNetworkPeerings/Main-to-Remote
