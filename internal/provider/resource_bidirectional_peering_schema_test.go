package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"

	"github.com/peerlab/terraform-provider-peerlab/internal/peering"
)

func resourceSchema(t *testing.T) schema.Schema {
	t.Helper()
	var resp resource.SchemaResponse
	NewBidirectionalPeeringResource().Schema(context.Background(), resource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	return resp.Schema
}

func TestResourceSchema(t *testing.T) {
	s := resourceSchema(t)
	if d := s.ValidateImplementation(context.Background()); d.HasError() {
		t.Fatal(d)
	}
	var walk func(prefix string, attrs map[string]schema.Attribute)
	walk = func(prefix string, attrs map[string]schema.Attribute) {
		for name, a := range attrs {
			if name != "timeouts" && a.GetMarkdownDescription() == "" {
				t.Errorf("%s%s has no MarkdownDescription", prefix, name)
			}
			if n, ok := a.(schema.SingleNestedAttribute); ok {
				walk(prefix+name+".", n.Attributes)
			}
		}
	}
	walk("", s.Attributes)
	for _, want := range []string{"virtual_network_id", "name", "allow_virtual_network_access", "allow_forwarded_traffic",
		"allow_gateway_transit", "use_remote_gateways", "subnet_names", "id", "peering_state", "sync_level", "remote_address_space"} {
		if _, ok := s.Attributes["a"].(schema.SingleNestedAttribute).Attributes[want]; !ok {
			t.Errorf("side attribute %s missing", want)
		}
	}
	for _, want := range []string{"id", "a", "b", "only_ipv6", "sync_address_space", "connected", "timeouts"} {
		if _, ok := s.Attributes[want]; !ok {
			t.Errorf("attribute %s missing", want)
		}
	}
	doc := s.Attributes["a"].(schema.SingleNestedAttribute).Attributes["peering_state"].GetMarkdownDescription()
	for _, st := range peering.States {
		if !strings.Contains(doc, "`"+string(st)+"`") {
			t.Errorf("peering_state documentation lacks %s", st)
		}
	}
}

func TestShortDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{30 * time.Minute: "30m", 5 * time.Minute: "5m", 90 * time.Minute: "1h30m", 2 * time.Hour: "2h", 45 * time.Second: "45s"} {
		if got := shortDuration(d); got != want {
			t.Errorf("%s: %q, want %q", d, got, want)
		}
	}
}
