package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/peerlab/terraform-provider-peerlab/internal/peering"
)

var _ function.Function = (*overlappingPrefixesFunction)(nil)

// overlappingPrefixesFunction is provider::peerlab::overlapping_prefixes.
type overlappingPrefixesFunction struct{}

// NewOverlappingPrefixesFunction returns the overlapping_prefixes function.
func NewOverlappingPrefixesFunction() function.Function { return &overlappingPrefixesFunction{} }

func (f *overlappingPrefixesFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "overlapping_prefixes"
}

func (f *overlappingPrefixesFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The prefixes of one list that overlap another",
		MarkdownDescription: "Returns the CIDR prefixes of `a` that share at least one address with a prefix of `b`, in the order of `a` and each once. " +
			"IPv4 and IPv6 prefixes are both understood (an IPv4 prefix never overlaps an IPv6 one). The result is empty when nothing overlaps, " +
			"so a module can stop a bad plan early, for example with a `precondition` on the address spaces of two virtual networks before peering them.",
		Parameters: []function.Parameter{
			function.ListParameter{
				Name:                "a",
				ElementType:         types.StringType,
				MarkdownDescription: "CIDR prefixes, such as an address space: `[\"10.0.0.0/16\", \"fd00:1::/48\"]`.",
			},
			function.ListParameter{
				Name:                "b",
				ElementType:         types.StringType,
				MarkdownDescription: "CIDR prefixes to compare with.",
			},
		},
		Return: function.ListReturn{ElementType: types.StringType},
	}
}

func (f *overlappingPrefixesFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var a, b []*string
	resp.Error = function.ConcatFuncErrors(resp.Error, req.Arguments.Get(ctx, &a, &b))
	if resp.Error != nil {
		return
	}
	as, err := nonNull(a)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}
	bs, err := nonNull(b)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(1, err.Error())
		return
	}
	if _, err := peering.ParsePrefixes(as); err != nil {
		resp.Error = function.NewArgumentFuncError(0, "Argument a: "+err.Error()+".")
		return
	}
	if _, err := peering.ParsePrefixes(bs); err != nil {
		resp.Error = function.NewArgumentFuncError(1, "Argument b: "+err.Error()+".")
		return
	}
	out, err := peering.OverlappingPrefixes(as, bs)
	if err != nil {
		resp.Error = function.NewFuncError(err.Error())
		return
	}
	resp.Error = function.ConcatFuncErrors(resp.Error, resp.Result.Set(ctx, out))
}

func nonNull(list []*string) ([]string, error) {
	out := make([]string, 0, len(list))
	for i, s := range list {
		if s == nil {
			return nil, fmt.Errorf("element %d is null; every element must be a CIDR prefix", i)
		}
		out = append(out, *s)
	}
	return out, nil
}
