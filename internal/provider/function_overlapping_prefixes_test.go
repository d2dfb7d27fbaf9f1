package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func runOverlap(t *testing.T, a, b []attr.Value) ([]string, *function.FuncError) {
	t.Helper()
	la := types.ListValueMust(types.StringType, a)
	lb := types.ListValueMust(types.StringType, b)
	resp := function.RunResponse{Result: function.NewResultData(types.ListUnknown(types.StringType))}
	NewOverlappingPrefixesFunction().Run(context.Background(), function.RunRequest{Arguments: function.NewArgumentsData([]attr.Value{la, lb})}, &resp)
	if resp.Error != nil {
		return nil, resp.Error
	}
	var out []string
	resp.Result.Value().(types.List).ElementsAs(context.Background(), &out, false)
	return out, nil
}

func strs(s ...string) []attr.Value {
	out := make([]attr.Value, len(s))
	for i, x := range s {
		out[i] = types.StringValue(x)
	}
	return out
}

func TestOverlappingPrefixesFunction(t *testing.T) {
	got, err := runOverlap(t, strs("10.0.0.0/16", "192.168.0.0/24", "fd00:1::/48"), strs("10.0.1.0/24", "fd00:1:0:2::/64"))
	if err != nil || strings.Join(got, ",") != "10.0.0.0/16,fd00:1::/48" {
		t.Errorf("%v %v", got, err)
	}
	got, err = runOverlap(t, strs("10.0.0.0/16"), strs("10.1.0.0/16"))
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("want an empty list, got %#v %v", got, err)
	}
	_, err = runOverlap(t, strs("10.0.0.0/16"), strs("10.1.0.0"))
	if err == nil || err.FunctionArgument == nil || *err.FunctionArgument != 1 || !strings.Contains(err.Text, `"10.1.0.0" is not a CIDR prefix`) {
		t.Errorf("bad b: %+v", err)
	}
	_, err = runOverlap(t, []attr.Value{types.StringNull()}, strs())
	if err == nil || *err.FunctionArgument != 0 || !strings.Contains(err.Text, "element 0 is null") {
		t.Errorf("null element: %+v", err)
	}
}

func TestOverlappingPrefixesDefinition(t *testing.T) {
	var resp function.DefinitionResponse
	NewOverlappingPrefixesFunction().Definition(context.Background(), function.DefinitionRequest{}, &resp)
	if resp.Definition.MarkdownDescription == "" || len(resp.Definition.Parameters) != 2 {
		t.Fatal("definition")
	}
	for _, p := range resp.Definition.Parameters {
		if p.GetMarkdownDescription() == "" {
			t.Errorf("parameter %s undocumented", p.GetName())
		}
	}
	var md function.MetadataResponse
	NewOverlappingPrefixesFunction().Metadata(context.Background(), function.MetadataRequest{}, &md)
	if md.Name != "overlapping_prefixes" {
		t.Errorf("name %q", md.Name)
	}
}
