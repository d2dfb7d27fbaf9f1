package emulator

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/identity"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// requestLog remembers every ARM call served, for counting calls.
type requestLog struct {
	mu      sync.Mutex
	entries []RequestEntry
}

// RequestEntry is one ARM call in the request log.
type RequestEntry struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	// Query is the raw query string, as sent; some calls differ only there
	// (a peering PUT with syncRemoteAddressSpace=true).
	Query  string `json:"query,omitempty"`
	Status int    `json:"status"`
}

// maxLogEntries bounds the request log; older calls are dropped first.
const maxLogEntries = 1_000_000

func (l *requestLog) add(method, path, query string, status int) {
	l.mu.Lock()
	if len(l.entries) >= maxLogEntries {
		l.entries = append(l.entries[:0], l.entries[len(l.entries)/2:]...)
	}
	l.entries = append(l.entries, RequestEntry{Method: method, Path: path, Query: query, Status: status})
	l.mu.Unlock()
}

func (l *requestLog) snapshot() []RequestEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]RequestEntry{}, l.entries...)
}

func (l *requestLog) clear() {
	l.mu.Lock()
	l.entries = nil
	l.mu.Unlock()
}

// registerAdmin adds the test-control API under /_emulator/; every call but
// health needs the admin key as a bearer token.
func (e *Emulator) registerAdmin(mux *http.ServeMux) {
	admin := func(pattern string, h http.HandlerFunc) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(e.cfg.AdminKey)) != 1 {
				writeJSON(w, http.StatusUnauthorized, map[string]any{"error": map[string]string{"code": "AdminKeyRequired",
					"message": "This test-control endpoint needs 'Authorization: Bearer $PEERLAB_EMULATOR_ADMIN_KEY' (see the data directory's env file)."}})
				return
			}
			h(w, r)
		})
	}
	mux.HandleFunc("GET /_emulator/health", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "resources": e.store.Len()})
	})
	admin("POST /_emulator/faults", func(w http.ResponseWriter, r *http.Request) {
		var f Fault
		if err := json.NewDecoder(r.Body).Decode(&f); err != nil {
			writeJSON(w, http.StatusBadRequest, adminError("InvalidFault", "The fault is not valid JSON: %v", err))
			return
		}
		if err := e.faults.add(&f); err != nil {
			writeJSON(w, http.StatusBadRequest, adminError("InvalidFault", "%v", err))
			return
		}
		writeJSON(w, http.StatusCreated, f)
	})
	admin("GET /_emulator/faults", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, e.faults.list()) })
	admin("DELETE /_emulator/faults", func(w http.ResponseWriter, r *http.Request) {
		e.faults.clear()
		w.WriteHeader(http.StatusNoContent)
	})
	admin("GET /_emulator/requests", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, e.log.snapshot()) })
	admin("DELETE /_emulator/requests", func(w http.ResponseWriter, r *http.Request) {
		e.log.clear()
		w.WriteHeader(http.StatusNoContent)
	})
	admin("POST /_emulator/reset", func(w http.ResponseWriter, r *http.Request) {
		e.Reset()
		w.WriteHeader(http.StatusNoContent)
	})
	admin("GET /_emulator/resources", func(w http.ResponseWriter, r *http.Request) {
		ids := []string{}
		_ = e.store.Read(func(tx *store.Tx) error {
			for _, res := range tx.Under("/subscriptions", "") {
				ids = append(ids, res.ID)
			}
			return nil
		})
		writeJSON(w, http.StatusOK, ids)
	})
	// A CI system's OIDC token endpoint, as GitHub Actions serves it:
	// GET ?audience=… answers {"value": "<jwt>"} for the configured subject.
	admin("GET /_emulator/oidc/token", func(w http.ResponseWriter, r *http.Request) {
		subject := queryValue(r, "subject")
		if subject == "" {
			subject = identity.FederatedSubject
		}
		tok, err := e.issuer.IssueFederated("https://"+r.Host, subject, queryValue(r, "audience"), time.Hour)
		if err != nil {
			writeJSON(w, http.StatusInternalServerError, adminError("SigningFailed", "%v", err))
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"value": tok})
	})
}

// Reset empties the state and forgets faults and running operations; the
// request log and the credentials stay.
func (e *Emulator) Reset() {
	e.arm.Ops.Reset()
	e.faults.clear()
	e.store.Reset()
}

func adminError(code, format string, args ...any) map[string]any {
	return map[string]any{"error": map[string]string{"code": code, "message": fmt.Sprintf(format, args...)}}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// EnvVar is one line of the env file.
type EnvVar struct{ Name, Value string }

// Env is what a client needs to use this emulator: the ARM_* settings that
// azurerm, the Azure SDK and the peerlab provider read, and the emulator's
// own test-control settings.
func (e *Emulator) Env() []EnvVar {
	c := e.Credentials()
	reader, _ := e.cfg.PrincipalByClientID(identity.ReaderClientID)
	vars := []EnvVar{
		{"ARM_METADATA_HOSTNAME", e.Host},
		{"ARM_TENANT_ID", c.TenantID},
		{"ARM_SUBSCRIPTION_ID", c.SubscriptionID},
		{"ARM_CLIENT_ID", c.ClientID},
		{"ARM_CLIENT_SECRET", c.ClientSecret},
		{"ARM_USE_CLI", "false"},
		{"ARM_RESOURCE_PROVIDER_REGISTRATIONS", "none"},
		{"ARM_PROVIDER_ENHANCED_VALIDATION_LOCATIONS", "false"},
		{"ARM_PROVIDER_ENHANCED_VALIDATION_RESOURCE_PROVIDERS", "false"},
		{"SSL_CERT_FILE", e.path(FileCA)},
		{"PEERLAB_EMULATOR_URL", e.URL},
		{"PEERLAB_EMULATOR_ADMIN_KEY", e.cfg.AdminKey},
		{"PEERLAB_EMULATOR_DATA_DIR", e.DataDir},
		{"PEERLAB_EMULATOR_SECOND_SUBSCRIPTION_ID", identity.SecondSubscriptionID},
		{"PEERLAB_EMULATOR_SECOND_TENANT_ID", identity.SecondTenantID},
		{"PEERLAB_EMULATOR_SECOND_TENANT_SUBSCRIPTION_ID", identity.SecondTenantSubscriptionID},
		{"PEERLAB_EMULATOR_OIDC_REQUEST_URL", e.URL + "/_emulator/oidc/token"},
		{"PEERLAB_EMULATOR_OIDC_TOKEN_FILE", e.path(FileOIDC)},
	}
	if reader != nil {
		vars = append(vars, EnvVar{"PEERLAB_EMULATOR_READER_CLIENT_ID", reader.ClientID}, EnvVar{"PEERLAB_EMULATOR_READER_CLIENT_SECRET", reader.Secret})
	}
	return vars
}

// EnvFile renders Env as shell export lines.
func (e *Emulator) EnvFile() string {
	var b strings.Builder
	b.WriteString("# peerlab-emulator: source this file to point azurerm, the Azure SDK and peerlab at the emulator.\n")
	for _, v := range e.Env() {
		fmt.Fprintf(&b, "export %s=%s\n", v.Name, shellQuote(v.Value))
	}
	return b.String()
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// writeClientFiles writes env and a day-long workload-identity token, last,
// so that a reader that sees env knows the server is ready.
func (e *Emulator) writeClientFiles() error {
	tok, err := e.issuer.IssueFederated(e.URL, identity.FederatedSubject, "", 24*time.Hour)
	if err != nil {
		return err
	}
	if err := store.WriteFileAtomic(e.path(FileOIDC), []byte(tok), 0o600); err != nil {
		return err
	}
	return store.WriteFileAtomic(e.path(FileEnv), []byte(e.EnvFile()), 0o600)
}

// ReadEnvFile returns the env file of a data directory, for the env command.
func ReadEnvFile(dataDir string) (string, error) {
	b, err := os.ReadFile(dataDir + "/" + FileEnv)
	if err != nil {
		return "", fmt.Errorf("no emulator has run with data directory %s (%v): start one with 'peerlab-emulator serve --data-dir %s'", dataDir, err, dataDir)
	}
	return string(b), nil
}
