// Package arm speaks Azure Resource Manager's protocol: routing, the error
// envelope, api-version checks, request ids, long-running operations and
// paging. Resource types plug their handlers into it; it knows none of them.
package arm

import (
	"fmt"
	"net/http"
)

// Error is an ARM error as the envelope {"error":{...}} carries it.
type Error struct {
	Status  int      `json:"-"`
	Code    string   `json:"code"`
	Message string   `json:"message"`
	Target  string   `json:"target,omitempty"`
	Details []*Error `json:"details,omitempty"`
	// RetryAfter, when set, is sent as the Retry-After header (seconds).
	RetryAfter int `json:"-"`
}

func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

// Errorf builds an ARM error.
func Errorf(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// BadRequest is a 400 with the given code.
func BadRequest(code, format string, args ...any) *Error {
	return Errorf(http.StatusBadRequest, code, format, args...)
}

// Conflict is a 409 with the given code.
func Conflict(code, format string, args ...any) *Error {
	return Errorf(http.StatusConflict, code, format, args...)
}

// ResourceNotFound is ARM's 404 for a missing resource in an existing group.
func ResourceNotFound(typ, name, group string) *Error {
	return Errorf(http.StatusNotFound, "ResourceNotFound",
		"The Resource '%s/%s' under resource group '%s' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix", typ, name, group)
}

// NotFound is a 404 whose code names what is missing, as the network
// resource provider answers for child resources (NotFound, for example).
func NotFound(code, format string, args ...any) *Error {
	return Errorf(http.StatusNotFound, code, format, args...)
}

// ResourceGroupNotFound is ARM's 404 for a missing resource group.
func ResourceGroupNotFound(group string) *Error {
	return Errorf(http.StatusNotFound, "ResourceGroupNotFound", "Resource group '%s' could not be found.", group)
}

// InvalidRequestContent is the 400 for a body that is not valid JSON or does
// not fit the schema.
func InvalidRequestContent(err error) *Error {
	return BadRequest("InvalidRequestContent", "The request content was invalid and could not be deserialized: '%v'.", err)
}

// Internal wraps an unexpected failure of the emulator itself.
func Internal(err error) *Error {
	return Errorf(http.StatusInternalServerError, "InternalServerError", "An internal error occurred in the emulator: %v", err)
}
