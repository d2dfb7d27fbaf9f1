package resources

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// typeProviderRegistration stores a subscription's registration state of a
// namespace that was registered or unregistered explicitly.
const typeProviderRegistration = "Microsoft.Resources/providerRegistrations"

// namespaces are the resource providers the emulator serves, with their
// resource types; each starts Registered, as in a new subscription where
// they have been used.
var namespaces = map[string][]string{
	"Microsoft.Resources": {"resourceGroups", "subscriptions", "deployments"},
	"Microsoft.Network": {"virtualNetworks", "virtualNetworks/subnets", "virtualNetworks/virtualNetworkPeerings",
		"networkSecurityGroups", "networkSecurityGroups/securityRules", "publicIPAddresses", "networkInterfaces", "virtualNetworkGateways", "locations", "locations/operations", "locations/operationResults"},
	"Microsoft.Compute": {"virtualMachines", "virtualMachines/runCommands", "disks", "locations", "locations/operations"},
}

func registerProviders(s *arm.Server) {
	r := s.Router
	r.Handle(http.MethodGet, "/subscriptions/{subscriptionId}/providers", "Microsoft.Resources/subscriptions/providers/read", func(c *arm.Context) (*arm.Response, error) {
		var names []string
		for ns := range namespaces {
			names = append(names, ns)
		}
		sort.Strings(names)
		var items []json.RawMessage
		_ = c.Store().Read(func(tx *store.Tx) error {
			for _, ns := range names {
				b, _ := json.Marshal(providerDoc(tx, c.Var("subscriptionId"), ns))
				items = append(items, b)
			}
			return nil
		})
		return c.Paged(items)
	})
	r.Handle(http.MethodGet, "/subscriptions/{subscriptionId}/providers/{namespace}", "Microsoft.Resources/subscriptions/providers/read", func(c *arm.Context) (*arm.Response, error) {
		ns, err := knownNamespace(c.Var("namespace"))
		if err != nil {
			return nil, err
		}
		var doc map[string]any
		_ = c.Store().Read(func(tx *store.Tx) error { doc = providerDoc(tx, c.Var("subscriptionId"), ns); return nil })
		return arm.OK(doc), nil
	})
	for _, verb := range []string{"register", "unregister"} {
		state := map[string]string{"register": "Registered", "unregister": "Unregistered"}[verb]
		r.Handle(http.MethodPost, "/subscriptions/{subscriptionId}/providers/{namespace}/"+verb, "Microsoft.Resources/subscriptions/providers/"+verb+"/action", func(c *arm.Context) (*arm.Response, error) {
			ns, err := knownNamespace(c.Var("namespace"))
			if err != nil {
				return nil, err
			}
			var doc map[string]any
			werr := c.Store().Write(func(tx *store.Tx) error {
				id := "/subscriptions/" + c.Var("subscriptionId") + "/providers/" + ns
				if err := tx.Put(id, typeProviderRegistration, map[string]string{"registrationState": state}); err != nil {
					return err
				}
				doc = providerDoc(tx, c.Var("subscriptionId"), ns)
				return nil
			})
			if werr != nil {
				return nil, werr
			}
			return arm.OK(doc), nil
		})
	}
}

func knownNamespace(ns string) (string, *arm.Error) {
	for k := range namespaces {
		if strings.EqualFold(k, ns) {
			return k, nil
		}
	}
	return "", arm.NotFound("InvalidResourceNamespace", "The resource namespace '%s' is invalid.", ns)
}

func providerDoc(tx *store.Tx, sub, ns string) map[string]any {
	state := "Registered"
	var reg struct {
		RegistrationState string `json:"registrationState"`
	}
	if tx.Decode("/subscriptions/"+sub+"/providers/"+ns, &reg) == nil {
		state = reg.RegistrationState
	}
	var locations []string
	for _, r := range Regions() {
		locations = append(locations, r.DisplayName)
	}
	var types []map[string]any
	for _, t := range namespaces[ns] {
		types = append(types, map[string]any{"resourceType": t, "locations": locations, "apiVersions": []string{"2025-05-01", "2025-01-01", "2024-05-01", "2024-03-01", "2023-09-01", "2023-07-01"}})
	}
	return map[string]any{"id": "/subscriptions/" + sub + "/providers/" + ns, "namespace": ns,
		"registrationState": state, "registrationPolicy": "RegistrationRequired", "resourceTypes": types}
}
