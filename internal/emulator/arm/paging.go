package arm

import (
	"encoding/json"
	"strconv"
)

// DefaultPageSize is how many items a list page holds before a nextLink.
var DefaultPageSize = 100

// Page is a list answer: {"value":[...],"nextLink":"..."}.
type Page struct {
	Value    []json.RawMessage `json:"value"`
	NextLink string            `json:"nextLink,omitempty"`
}

// Paged cuts items into the page the request asks for ($skiptoken) and
// links the next one, as ARM list operations do.
func (c *Context) Paged(items []json.RawMessage) (*Response, error) {
	skip := 0
	if t := c.Query("$skiptoken"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 0 {
			return nil, BadRequest("InvalidSkipToken", "The skip token '%s' is not valid.", t)
		}
		skip = n
	}
	size := DefaultPageSize
	if t := c.Query("$top"); t != "" {
		if n, err := strconv.Atoi(t); err == nil && n > 0 && n < size {
			size = n
		}
	}
	if skip > len(items) {
		skip = len(items)
	}
	end := skip + size
	p := &Page{Value: []json.RawMessage{}}
	if end < len(items) {
		p.NextLink = c.NextLink(end)
	} else {
		end = len(items)
	}
	p.Value = append(p.Value, items[skip:end]...)
	return OK(p), nil
}
