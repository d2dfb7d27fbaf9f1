// Package emulator is a local Azure: the ARM control plane, Entra ID
// identity, and (in its sub-packages) the resource types and a simulated
// data plane, served over HTTPS on loopback. The peerlab-emulator command
// and Go tests run the same server.
package emulator

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/arm"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/identity"
	"github.com/peerlab/terraform-provider-peerlab/internal/emulator/store"
)

// Options configure an emulator.
type Options struct {
	// DataDir holds ca.pem, env, state.json and the keys. Empty means a new
	// temporary directory, removed by Close.
	DataDir string
	// Addr is the listen address; default 127.0.0.1:0 (any free port).
	Addr string
	// Profile is fast (default) or realistic.
	Profile *arm.Profile
	// AllowRemote permits a non-loopback listen address.
	AllowRemote bool
	// Logger receives request logs; nil discards them.
	Logger *slog.Logger
}

// Credentials are the default principal's, for clients.
type Credentials struct {
	TenantID       string
	SubscriptionID string
	ClientID       string
	ClientSecret   string
}

// Emulator is a running emulator.
type Emulator struct {
	// URL is the https base URL, e.g. https://127.0.0.1:40123.
	URL string
	// Host is host:port, the value of ARM_METADATA_HOSTNAME.
	Host string
	// CAPool trusts the emulator's certificate.
	CAPool *x509.CertPool
	// DataDir is where the files live.
	DataDir string

	cfg     *identity.Config
	issuer  *identity.Issuer
	store   *store.Store
	arm     *arm.Server
	faults  faults
	log     requestLog
	srv     *http.Server
	ln      net.Listener
	tempDir bool
	closeMu sync.Once
	stopped chan struct{}
}

// File names inside the data directory.
const (
	FileCA       = "ca.pem"
	FileCAKey    = "ca-key.pem"
	FileSignKey  = "signing-key.pem"
	FileIdentity = "identity.json"
	FileState    = "state.json"
	FileEnv      = "env"
	FileOIDC     = "oidc-token"
)

// Start creates the data directory's files if they are missing, loads the
// saved state, and serves until Close.
func Start(opts Options) (*Emulator, error) {
	e := &Emulator{stopped: make(chan struct{})}
	if opts.DataDir == "" {
		d, err := os.MkdirTemp("", "peerlab-emulator-")
		if err != nil {
			return nil, err
		}
		opts.DataDir, e.tempDir = d, true
	}
	if err := os.MkdirAll(opts.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("creating data directory: %w", err)
	}
	e.DataDir = opts.DataDir
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	if opts.Profile == nil {
		opts.Profile = arm.FastProfile()
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if err := checkLoopback(opts.Addr, opts.AllowRemote); err != nil {
		return nil, err
	}

	ca, err := loadOrCreateAuthority(e.path(FileCA), e.path(FileCAKey), store.WriteFileAtomic)
	if err != nil {
		return nil, fmt.Errorf("certificate authority: %w", err)
	}
	signKey, err := loadOrCreateSigningKey(e.path(FileSignKey), store.WriteFileAtomic)
	if err != nil {
		return nil, fmt.Errorf("token signing key: %w", err)
	}
	e.cfg, err = identity.LoadOrCreateConfig(e.path(FileIdentity), func(p string, b []byte) error { return store.WriteFileAtomic(p, b, 0o600) })
	if err != nil {
		return nil, err
	}
	e.issuer = identity.NewIssuer(signKey, e.cfg)
	e.store, err = store.New(e.path(FileState))
	if err != nil {
		return nil, err
	}
	e.arm = arm.NewServer(e.store, e.issuer, opts.Profile, logger)
	registerResourceTypes(e.arm, e.cfg)

	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		e.store.Close()
		return nil, fmt.Errorf("listening on %s: %w", opts.Addr, err)
	}
	e.ln = ln
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	cert, err := ca.serverCert(certHosts(host))
	if err != nil {
		ln.Close()
		e.store.Close()
		return nil, err
	}
	e.Host = net.JoinHostPort(host, port)
	e.URL = "https://" + e.Host
	e.CAPool = x509.NewCertPool()
	e.CAPool.AppendCertsFromPEM(ca.certPEM)

	e.srv = &http.Server{
		Handler:           e.handler(),
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: 30 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelDebug),
	}
	go func() {
		defer close(e.stopped)
		_ = e.srv.ServeTLS(ln, "", "")
	}()
	if err := e.writeClientFiles(); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

func (e *Emulator) path(name string) string { return filepath.Join(e.DataDir, name) }

// Credentials returns the default principal's credentials.
func (e *Emulator) Credentials() Credentials {
	p := e.cfg.Principals[0]
	return Credentials{TenantID: p.HomeTenantID, SubscriptionID: identity.DefaultSubscriptionID, ClientID: p.ClientID, ClientSecret: p.Secret}
}

// Config is the identity directory in force (principals, subscriptions).
func (e *Emulator) Config() *identity.Config { return e.cfg }

// AdminKey guards the /_emulator/ API.
func (e *Emulator) AdminKey() string { return e.cfg.AdminKey }

// Store gives tests in this module direct access to the resources.
func (e *Emulator) Store() *store.Store { return e.store }

// Close stops serving, lets running operations finish, and saves the state.
func (e *Emulator) Close() error {
	var err error
	e.closeMu.Do(func() {
		// A short grace for requests in flight; HTTP/2 would otherwise hold
		// every idle client connection for a full second.
		ctx, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
		defer cancel()
		if e.srv.Shutdown(ctx) != nil {
			_ = e.srv.Close()
		}
		<-e.stopped
		e.arm.Ops.CompleteAll()
		err = e.store.Close()
		if e.tempDir {
			os.RemoveAll(e.DataDir)
		}
	})
	return err
}

// handler dispatches: ARM paths to the ARM server, the rest to the
// identity, metadata and admin endpoints. Doubled slashes are folded first
// (clients build URLs like https://host//tenant/oauth2/...) so that no
// client is ever redirected.
func (e *Emulator) handler() http.Handler {
	mux := http.NewServeMux()
	base := func(r *http.Request) string { return "https://" + r.Host }
	mux.HandleFunc("GET /metadata/endpoints", func(w http.ResponseWriter, r *http.Request) {
		if queryValue(r, "api-version") == "" {
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]string{"code": "MissingApiVersionParameter", "message": "The api-version query parameter (?api-version=) is required for all requests."}})
			return
		}
		writeJSON(w, http.StatusOK, identity.Metadata(base(r)))
	})
	e.issuer.Register(mux, base)
	e.registerAdmin(mux)

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.URL.Path = foldSlashes(r.URL.Path)
		r.URL.RawPath = ""
		isAdmin := strings.HasPrefix(r.URL.Path, "/_emulator/")
		isARM := isARMPath(r.URL.Path)
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		if isARM {
			defer func() { e.log.add(r.Method, r.URL.Path, r.URL.RawQuery, rec.status) }()
		}
		if !isAdmin {
			if f := e.faults.take(r.Method, r.URL.Path); f != nil {
				if f.Async && isARM {
					e.failOperation(rec, r, f)
					return
				}
				if f.apply(rec) {
					return
				}
			}
		}
		if isARM {
			e.arm.ServeHTTP(rec, r)
			return
		}
		mux.ServeHTTP(rec, r)
	})
}

func isARMPath(p string) bool {
	first, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	switch strings.ToLower(first) {
	case "subscriptions", "providers", "tenants":
		return true
	}
	return false
}

func foldSlashes(p string) string {
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	if p == "" {
		return "/"
	}
	return p
}

func checkLoopback(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q is not host:port: %v", addr, err)
	}
	if allowRemote {
		return nil
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("--addr %q is not a loopback address: the emulator serves 127.0.0.1, ::1 or localhost only (pass --allow-remote to override)", addr)
	}
	return nil
}

func certHosts(host string) []string {
	hosts := []string{"127.0.0.1", "::1", "localhost"}
	for _, h := range hosts {
		if h == host {
			return hosts
		}
	}
	return append(hosts, host)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}

func (s *statusRecorder) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func queryValue(r *http.Request, name string) string {
	for k, v := range r.URL.Query() {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}
