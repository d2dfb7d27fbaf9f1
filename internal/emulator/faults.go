package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
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
	// Async lets the call be accepted and fails the long-running operation
	// it starts instead: the client sees 200/201/202 and Updating, then the
	// operation ends Failed with Code and Message, and the resource reads as
	// Failed, as Azure reports a write that fails after it was accepted.
	Async bool `json:"async,omitempty"`

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
	if f.Async && f.Status == 0 {
		f.Status = http.StatusBadRequest // the status the operation's error reports
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

// failOperation serves an async fault: the request is served normally, then
// the operation its answer points at is failed. A call that starts no
// long-running operation gets the fault's error at once instead.
func (e *Emulator) failOperation(w http.ResponseWriter, r *http.Request, f *Fault) {
	buf := &bufferedWriter{header: http.Header{}, status: http.StatusOK}
	e.arm.ServeHTTP(buf, r)
	opURL := buf.header.Get("Azure-AsyncOperation")
	if opURL == "" {
		opURL = buf.header.Get("Location")
	}
	u, err := url.Parse(opURL)
	if buf.status >= 300 || opURL == "" || err != nil {
		f.Async = false
		f.apply(w)
		return
	}
	opID := u.Path[strings.LastIndex(u.Path, "/")+1:]
	if !e.arm.Ops.Fail(opID, &arm.Error{Status: f.Status, Code: f.Code, Message: f.Message}) {
		f.Async = false
		f.apply(w)
		return
	}
	body := buf.body.Bytes()
	var m map[string]any
	if json.Unmarshal(body, &m) == nil {
		if props, ok := m["properties"].(map[string]any); ok {
			props["provisioningState"] = "Updating"
			body, _ = json.Marshal(m)
		}
	}
	for k, v := range buf.header {
		w.Header()[k] = v
	}
	w.Header().Del("X-Go-Azure-Sdk-Skip-Polling-Delay")
	w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(buf.status)
	_, _ = w.Write(body)
}

// bufferedWriter holds an answer so that it can be changed before it is sent.
type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header         { return b.header }
func (b *bufferedWriter) WriteHeader(status int)      { b.status = status }
func (b *bufferedWriter) Write(p []byte) (int, error) { return b.body.Write(p) }
