package emulator

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
)

// Fault is a test-control rule: the next Count calls matching Method and
// Path (after Skip of them) get an ARM error, a closed connection, or a
// delay instead of their normal answer.
type Fault struct {
	Method  string `json:"method"`
	Path    string `json:"path"`
	Skip    int    `json:"skip"`
	Count   int    `json:"count"`
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Reset   bool   `json:"reset"`
	DelayMs int    `json:"delayMs"`
	// RetryAfter, in seconds, is sent with the error (for 429 faults).
	RetryAfter int `json:"retryAfter,omitempty"`

	re *regexp.Regexp
}

type faults struct {
	mu    sync.Mutex
	rules []*Fault
}

func (f *Fault) compile() error {
	if f.Path == "" {
		return fmt.Errorf("a fault needs a path (an RE2 regular expression)")
	}
	re, err := regexp.Compile("(?i)" + f.Path)
	if err != nil {
		return fmt.Errorf("path %q is not an RE2 regular expression: %v", f.Path, err)
	}
	f.re = re
	if f.Count == 0 {
		f.Count = 1
	}
	if f.Count < -1 || f.Skip < 0 {
		return fmt.Errorf("count must be -1 (forever) or more than 0, and skip 0 or more")
	}
	if f.Status == 0 && !f.Reset && f.DelayMs == 0 {
		return fmt.Errorf("a fault needs a status, reset or delayMs")
	}
	if f.Status != 0 && (f.Status < 400 || f.Status > 599) {
		return fmt.Errorf("status %d is not an error status (400-599)", f.Status)
	}
	if f.Status != 0 && f.Code == "" {
		f.Code = http.StatusText(f.Status)
		f.Code = strings.ReplaceAll(f.Code, " ", "")
	}
	if f.Message == "" {
		f.Message = "Injected fault."
	}
	return nil
}

func (fs *faults) add(f *Fault) error {
	if err := f.compile(); err != nil {
		return err
	}
	fs.mu.Lock()
	fs.rules = append(fs.rules, f)
	fs.mu.Unlock()
	return nil
}

func (fs *faults) clear() {
	fs.mu.Lock()
	fs.rules = nil
	fs.mu.Unlock()
}

func (fs *faults) list() []*Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]*Fault(nil), fs.rules...)
}

// take returns the fault that applies to this call, consuming one use.
func (fs *faults) take(method, path string) *Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, f := range fs.rules {
		if f.Method != "" && !strings.EqualFold(f.Method, method) || !f.re.MatchString(path) {
			continue
		}
		if f.Skip > 0 {
			f.Skip--
			continue
		}
		hit := *f
		if f.Count > 0 {
			f.Count--
			if f.Count == 0 {
				fs.rules = append(fs.rules[:i], fs.rules[i+1:]...)
			}
		}
		return &hit
	}
	return nil
}

// apply acts out a fault; it reports whether the call was answered.
func (f *Fault) apply(w http.ResponseWriter) bool {
	if f.DelayMs > 0 {
		time.Sleep(time.Duration(f.DelayMs) * time.Millisecond)
	}
	if f.Reset {
		panic(http.ErrAbortHandler) // closes the connection (HTTP/1.1) or resets the stream (HTTP/2)
	}
	if f.Status == 0 {
		return false
	}
	w.Header().Set("x-ms-request-id", "injected-fault")
	arm.WriteError(w, &arm.Error{Status: f.Status, Code: f.Code, Message: f.Message, RetryAfter: f.RetryAfter})
	return true
}
