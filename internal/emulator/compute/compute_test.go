package compute_test

import (
	"net/http"
	"testing"
)

func TestComputeAnswersInCanonicalCasing(t *testing.T) {
	l, nicID := oneNIC(t)
	vm := l.VM("rg", "vm1", "westeurope", nicID)
	resp, body := l.Do(http.MethodGet, "/subscriptions/"+l.Sub+"/resourcegroups/RG/providers/microsoft.compute/VIRTUALMACHINES/VM1"+computeAPI, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET in other casing: %d %s", resp.StatusCode, body)
	}
	var got struct{ ID, Name string }
	decode(t, body, &got)
	if got.ID != *vm.ID || got.Name != "vm1" {
		t.Errorf("GET in other casing answers id %q name %q, want %q and vm1", got.ID, got.Name, *vm.ID)
	}
	if resp, body := l.Do(http.MethodGet, "/subscriptions/"+l.Sub+"/resourceGroups/nope/providers/Microsoft.Compute/virtualMachines/vm1"+computeAPI, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a VM in a missing group: %d %s, want 404 ResourceGroupNotFound", resp.StatusCode, body)
	}
}
