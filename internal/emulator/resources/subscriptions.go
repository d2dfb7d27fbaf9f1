package resources

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/identity"
)

// registerSubscriptions serves the subscription and tenant listings: a
// caller sees the subscriptions of its token's tenant where it holds a role.
func registerSubscriptions(s *arm.Server, cfg *identity.Config) {
	r := s.Router
	r.Handle(http.MethodGet, "/subscriptions", "", func(c *arm.Context) (*arm.Response, error) {
		var items []json.RawMessage
		for _, sub := range cfg.Subscriptions {
			if !strings.EqualFold(sub.TenantID, c.Caller.TenantID) {
				continue
			}
			if s.Auth.Authorize(c.Caller, "/subscriptions/"+sub.ID, "Microsoft.Resources/subscriptions/read") != nil {
				continue
			}
			b, _ := json.Marshal(subscriptionDoc(sub))
			items = append(items, b)
		}
		return c.Paged(items)
	})
	r.Handle(http.MethodGet, "/subscriptions/{subscriptionId}", "Microsoft.Resources/subscriptions/read", func(c *arm.Context) (*arm.Response, error) {
		sub, _ := cfg.Subscription(c.Var("subscriptionId"))
		return arm.OK(subscriptionDoc(*sub)), nil
	})
	r.Handle(http.MethodGet, "/tenants", "", func(c *arm.Context) (*arm.Response, error) {
		var items []json.RawMessage
		for _, t := range cfg.Tenants {
			if !strings.EqualFold(t.ID, c.Caller.TenantID) {
				continue
			}
			b, _ := json.Marshal(map[string]any{"id": "/tenants/" + t.ID, "tenantId": t.ID, "displayName": t.Name,
				"tenantCategory": "Home", "defaultDomain": t.Name + ".onmicrosoft.com", "domains": []string{t.Name + ".onmicrosoft.com"}})
			items = append(items, b)
		}
		return c.Paged(items)
	})
	r.Handle(http.MethodGet, "/subscriptions/{subscriptionId}/locations", "Microsoft.Resources/subscriptions/read", func(c *arm.Context) (*arm.Response, error) {
		var items []json.RawMessage
		for _, l := range Regions() {
			b, _ := json.Marshal(map[string]any{"id": "/subscriptions/" + c.Var("subscriptionId") + "/locations/" + l.Name,
				"name": l.Name, "displayName": l.DisplayName, "regionalDisplayName": "(" + l.Geography + ") " + l.DisplayName,
				"type": "Region", "metadata": map[string]any{"regionType": "Physical", "regionCategory": "Recommended", "geographyGroup": l.Geography}})
			items = append(items, b)
		}
		return c.Paged(items)
	})
}

func subscriptionDoc(s identity.Subscription) map[string]any {
	return map[string]any{
		"id": "/subscriptions/" + s.ID, "subscriptionId": s.ID, "tenantId": s.TenantID, "displayName": s.Name,
		"state": "Enabled", "authorizationSource": "RoleBased",
		"subscriptionPolicies": map[string]any{"locationPlacementId": "Public_2014-09-01", "quotaId": "PayAsYouGo_2014-09-01", "spendingLimit": "Off"},
	}
}

// Region is an Azure region the emulator knows.
type Region struct{ Name, DisplayName, Geography string }

// Regions lists the regions the emulator accepts for resources.
func Regions() []Region {
	return []Region{
		{"eastus", "East US", "US"}, {"eastus2", "East US 2", "US"}, {"westus", "West US", "US"}, {"westus2", "West US 2", "US"},
		{"westus3", "West US 3", "US"}, {"centralus", "Central US", "US"}, {"northcentralus", "North Central US", "US"},
		{"southcentralus", "South Central US", "US"}, {"westcentralus", "West Central US", "US"}, {"canadacentral", "Canada Central", "Canada"},
		{"brazilsouth", "Brazil South", "South America"}, {"northeurope", "North Europe", "Europe"}, {"westeurope", "West Europe", "Europe"},
		{"uksouth", "UK South", "UK"}, {"ukwest", "UK West", "UK"}, {"francecentral", "France Central", "Europe"},
		{"germanywestcentral", "Germany West Central", "Europe"}, {"swedencentral", "Sweden Central", "Europe"},
		{"switzerlandnorth", "Switzerland North", "Europe"}, {"norwayeast", "Norway East", "Europe"},
		{"eastasia", "East Asia", "Asia Pacific"}, {"southeastasia", "Southeast Asia", "Asia Pacific"},
		{"japaneast", "Japan East", "Asia Pacific"}, {"japanwest", "Japan West", "Asia Pacific"},
		{"koreacentral", "Korea Central", "Asia Pacific"}, {"centralindia", "Central India", "Asia Pacific"},
		{"australiaeast", "Australia East", "Asia Pacific"}, {"australiasoutheast", "Australia Southeast", "Asia Pacific"},
		{"southafricanorth", "South Africa North", "Africa"}, {"uaenorth", "UAE North", "Middle East"},
	}
}
