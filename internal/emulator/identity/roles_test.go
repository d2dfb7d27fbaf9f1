package identity

import "testing"

func TestBuiltInRoles(t *testing.T) {
	for _, c := range []struct {
		role, action string
		want         bool
	}{
		{"Contributor", "Microsoft.Network/virtualNetworks/write", true},
		{"Contributor", "Microsoft.Authorization/roleAssignments/write", false},
		{"Reader", "Microsoft.Network/virtualNetworks/read", true},
		{"Reader", "Microsoft.Network/virtualNetworks/write", false},
		{"Network Contributor", "Microsoft.Network/virtualNetworks/peer/action", true},
		{"Network Contributor", "Microsoft.Compute/virtualMachines/write", false},
		{"owner", "Microsoft.Authorization/roleAssignments/write", true},
		{"Nobody", "Microsoft.Network/virtualNetworks/read", false},
	} {
		if got := roleAllows(c.role, c.action); got != c.want {
			t.Errorf("%s may %s: %v, want %v", c.role, c.action, got, c.want)
		}
	}
}

func TestScopeCovers(t *testing.T) {
	if !scopeCovers("/subscriptions/S", "/subscriptions/s/resourceGroups/rg") || scopeCovers("/subscriptions/s", "/subscriptions/s2/resourceGroups/rg") {
		t.Error("a scope covers itself and what is below it, nothing else")
	}
}

func TestScopeToResource(t *testing.T) {
	for in, want := range map[string]string{
		"https://127.0.0.1:8443//.default":      "https://127.0.0.1:8443/",
		"https://127.0.0.1:8443/.default":       "https://127.0.0.1:8443/",
		"https://127.0.0.1:8443/graph/.default": "https://127.0.0.1:8443/graph/",
	} {
		if got := scopeToResource(in); got != want {
			t.Errorf("scopeToResource(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDefaultConfigIsValid(t *testing.T) {
	c := DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c.Principals[0].Roles = append(c.Principals[0].Roles, RoleAssignment{Scope: "/subscriptions/x", Role: "Superuser"})
	if err := c.Validate(); err == nil {
		t.Error("an unknown role must be refused")
	}
}
