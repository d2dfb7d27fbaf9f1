package store

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestKeyFoldsCaseAndSlashes(t *testing.T) {
	for in, want := range map[string]string{
		"/Subscriptions/S/resourceGroups/RG/":  "/subscriptions/s/resourcegroups/rg",
		"//subscriptions//s/ResourceGroups/rg": "/subscriptions/s/resourcegroups/rg",
	} {
		if got := Key(in); got != want {
			t.Errorf("Key(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPutKeepsFirstCasingAndChildrenAreDirect(t *testing.T) {
	s, _ := New("")
	vnet := "/subscriptions/s/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/V"
	_ = s.Write(func(tx *Tx) error {
		_ = tx.Put(vnet, "Microsoft.Network/virtualNetworks", map[string]int{"a": 1})
		_ = tx.Put(vnet+"/subnets/one", "Microsoft.Network/virtualNetworks/subnets", map[string]int{})
		_ = tx.Put(vnet+"/subnets/two", "Microsoft.Network/virtualNetworks/subnets", map[string]int{})
		_ = tx.Put(vnet+"/subnets/two/deeper/x", "Microsoft.Network/virtualNetworks/subnets", map[string]int{})
		return tx.Put(vnet, "Microsoft.Network/virtualNetworks", map[string]int{"a": 2}) // same ID, other casing below
	})
	_ = s.Write(func(tx *Tx) error {
		return tx.Put("/SUBSCRIPTIONS/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/v", "Microsoft.Network/virtualNetworks", map[string]int{"a": 3})
	})
	_ = s.Read(func(tx *Tx) error {
		r, ok := tx.Get(vnet)
		if !ok || r.ID != vnet || string(r.Body) != `{"a":3}` {
			t.Errorf("got %+v", r)
		}
		if n := len(tx.Children(vnet, "Microsoft.Network/virtualNetworks/subnets")); n != 2 {
			t.Errorf("direct children: %d, want 2", n)
		}
		if n := len(tx.Under(vnet, "")); n != 3 {
			t.Errorf("everything below: %d, want 3", n)
		}
		return nil
	})
}

func TestStateIsSavedAndReloaded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	s, err := New(path)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = s.Write(func(tx *Tx) error {
				return tx.Put(fmt.Sprintf("/subscriptions/s/resourceGroups/g%d", i), "Microsoft.Resources/resourceGroups", map[string]int{"i": i})
			})
		}()
	}
	wg.Wait()
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var st stateFile
	if err := json.Unmarshal(b, &st); err != nil || len(st.Resources) != 50 {
		t.Fatalf("saved state: %v, %d resources", err, len(st.Resources))
	}
	_ = s.Write(func(tx *Tx) error { tx.Delete("/subscriptions/s/resourceGroups/g7"); return nil })
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := New(path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if again.Len() != 49 {
		t.Errorf("reloaded %d resources, want 49", again.Len())
	}
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".state.json.*"))
	if len(matches) != 0 {
		t.Errorf("temporary files left behind: %v", matches)
	}
}

func TestCorruptStateIsAClearError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	_ = os.WriteFile(path, []byte("{not json"), 0o600)
	if _, err := New(path); err == nil {
		t.Fatal("a corrupt state file must be refused")
	}
}
