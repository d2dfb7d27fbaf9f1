package identity

import (
	"path"
	"strings"
)

// roleActions are the Actions and NotActions of Azure's built-in roles the
// emulator knows, as Azure's role definitions list them (wildcards
// included).
var roleActions = map[string]struct{ actions, notActions []string }{
	"owner":       {actions: []string{"*"}},
	"contributor": {actions: []string{"*"}, notActions: []string{"Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action"}},
	"reader":      {actions: []string{"*/read"}},
	"network contributor": {actions: []string{"Microsoft.Authorization/*/read", "Microsoft.Insights/alertRules/*",
		"Microsoft.Network/*", "Microsoft.ResourceHealth/availabilityStatuses/read", "Microsoft.Resources/deployments/*",
		"Microsoft.Resources/subscriptions/resourceGroups/read", "Microsoft.Support/*"}},
	"virtual machine contributor": {actions: []string{"Microsoft.Authorization/*/read", "Microsoft.Compute/*",
		"Microsoft.Network/*/read", "Microsoft.Network/networkInterfaces/*", "Microsoft.Network/virtualNetworks/subnets/join/action",
		"Microsoft.Resources/subscriptions/resourceGroups/read"}},
}

// roleAllows reports whether a role grants an action.
func roleAllows(role, action string) bool {
	def, ok := roleActions[strings.ToLower(role)]
	if !ok {
		return false
	}
	allowed := false
	for _, a := range def.actions {
		if actionMatches(a, action) {
			allowed = true
			break
		}
	}
	if !allowed {
		return false
	}
	for _, na := range def.notActions {
		if actionMatches(na, action) {
			return false
		}
	}
	return true
}

// actionMatches matches an RBAC action pattern ("*" matches any run of
// characters, case-insensitively).
func actionMatches(pattern, action string) bool {
	ok, err := path.Match(strings.ToLower(strings.ReplaceAll(pattern, "/", "\x00")), strings.ToLower(strings.ReplaceAll(action, "/", "\x00")))
	return err == nil && ok
}

// scopeCovers reports whether an assignment at scope applies to target:
// the same ID or one below it.
func scopeCovers(scope, target string) bool {
	s := strings.TrimSuffix(strings.ToLower(scope), "/")
	t := strings.ToLower(target)
	return t == s || strings.HasPrefix(t, s+"/")
}
