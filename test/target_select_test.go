package test

import (
	"testing"
)

// TestTargetSelection checks, offline, how PEERLAB_TEST_TARGET and the
// ARM_* variables pick the target and the Resource Manager endpoints the
// suites' own SDK clients use against real Azure.
func TestTargetSelection(t *testing.T) {
	env := func(kv map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := kv[k]; return v, ok }
	}
	for _, tc := range []struct{ value, want string }{{"", "emulator"}, {"emulator", "emulator"}, {"Azure", "azure"}} {
		if got, err := targetKind(env(map[string]string{TargetEnv: tc.value})); err != nil || got != tc.want {
			t.Errorf("%s=%q: target %q, %v; want %q", TargetEnv, tc.value, got, err, tc.want)
		}
	}
	if _, err := targetKind(env(map[string]string{TargetEnv: "aws"})); err == nil {
		t.Errorf("%s=aws: no error", TargetEnv)
	}

	for _, tc := range []struct{ environment, endpoint, authority string }{
		{"", "https://management.azure.com", "https://login.microsoftonline.com/"},
		{"public", "https://management.azure.com", "https://login.microsoftonline.com/"},
		{"usgovernment", "https://management.usgovcloudapi.net", "https://login.microsoftonline.us/"},
		{"china", "https://management.chinacloudapi.cn", "https://login.chinacloudapi.cn/"},
	} {
		cl, err := azureCloud(t.Context(), env(map[string]string{"ARM_ENVIRONMENT": tc.environment}))
		if err != nil {
			t.Fatalf("ARM_ENVIRONMENT=%q: %v", tc.environment, err)
		}
		var endpoint string
		for _, s := range cl.Services {
			endpoint = s.Endpoint
		}
		if endpoint != tc.endpoint || cl.ActiveDirectoryAuthorityHost != tc.authority {
			t.Errorf("ARM_ENVIRONMENT=%q: Resource Manager %q, authority %q; want %q and %q", tc.environment, endpoint, cl.ActiveDirectoryAuthorityHost, tc.endpoint, tc.authority)
		}
	}
}
