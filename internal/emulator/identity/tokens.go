package identity

import (
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// TokenLifetime is how long an access token is valid.
const TokenLifetime = time.Hour

// Claims are the claims of the emulator's access tokens, as Entra ID puts
// them in app-only tokens.
type Claims struct {
	jwt.RegisteredClaims
	TenantID string `json:"tid"`
	ObjectID string `json:"oid"`
	AppID    string `json:"appid"`
	AZP      string `json:"azp,omitempty"`
	AppIDACR string `json:"appidacr,omitempty"`
	IDType   string `json:"idtyp,omitempty"`
	Version  string `json:"ver,omitempty"`
}

// Issuer signs and checks tokens.
type Issuer struct {
	key *rsa.PrivateKey
	kid string

	mu  sync.RWMutex
	cfg *Config
}

// NewIssuer returns an issuer signing with key for the directory cfg.
func NewIssuer(key *rsa.PrivateKey, cfg *Config) *Issuer {
	der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	sum := sha256.Sum256(der)
	return &Issuer{key: key, kid: base64.RawURLEncoding.EncodeToString(sum[:12]), cfg: cfg}
}

// Config is the directory in force.
func (i *Issuer) Config() *Config {
	i.mu.RLock()
	defer i.mu.RUnlock()
	return i.cfg
}

// issue signs an access token for a principal in a tenant.
func (i *Issuer) issue(base string, p *Principal, tenant, objectID, audience, acr string) (string, time.Time, error) {
	now := time.Now()
	exp := now.Add(TokenLifetime)
	c := Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer: issuerURL(base, tenant), Subject: objectID, Audience: jwt.ClaimStrings{audience},
			IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now.Add(-5 * time.Minute)),
			ExpiresAt: jwt.NewNumericDate(exp), ID: uuid.NewString(),
		},
		TenantID: tenant, ObjectID: objectID, AppID: p.ClientID, AZP: p.ClientID, AppIDACR: acr, IDType: "app", Version: "1.0",
	}
	// Entra ID's access tokens carry aud as one string, and azurerm's token
	// parser refuses the array that jwt.ClaimStrings marshals to.
	m := jwt.MapClaims{}
	if b, err := json.Marshal(c); err != nil {
		return "", exp, err
	} else if err := json.Unmarshal(b, &m); err != nil {
		return "", exp, err
	}
	m["aud"] = audience
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, m)
	t.Header["kid"] = i.kid
	s, err := t.SignedString(i.key)
	return s, exp, err
}

// Verify checks a token's signature, lifetime and issuer and returns its
// claims.
func (i *Issuer) Verify(raw string) (*Claims, error) {
	var c Claims
	_, err := jwt.ParseWithClaims(raw, &c, func(t *jwt.Token) (any, error) { return &i.key.PublicKey, nil },
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithExpirationRequired(), jwt.WithLeeway(time.Minute))
	if err != nil {
		return nil, err
	}
	if c.TenantID == "" || c.ObjectID == "" || c.AppID == "" {
		return nil, errors.New("the token has no tid, oid or appid claim")
	}
	return &c, nil
}

// JWKS is the public key set served at the keys endpoints.
func (i *Issuer) JWKS() map[string]any {
	pub := i.key.PublicKey
	return map[string]any{"keys": []map[string]any{{
		"kty": "RSA", "use": "sig", "alg": "RS256", "kid": i.kid,
		"n": base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}}}
}

func issuerURL(base, tenant string) string { return base + "/" + tenant + "/v2.0" }

// selfOIDCIssuer is the emulator's own workload-identity issuer.
func selfOIDCIssuer(base string) string { return base + "/_emulator/oidc" }

// IssueFederated signs a workload-identity token (as a CI system's OIDC
// provider would) for subject, valid for lifetime.
func (i *Issuer) IssueFederated(base, subject, audience string, lifetime time.Duration) (string, error) {
	now := time.Now()
	if audience == "" {
		audience = FederatedAudience
	}
	c := jwt.RegisteredClaims{Issuer: selfOIDCIssuer(base), Subject: subject, Audience: jwt.ClaimStrings{audience},
		IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now.Add(-time.Minute)), ExpiresAt: jwt.NewNumericDate(now.Add(lifetime)), ID: uuid.NewString()}
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
	t.Header["kid"] = i.kid
	return t.SignedString(i.key)
}

// checkAssertion validates a client assertion for principal p: either a
// certificate assertion signed by one of p's certificates, or a federated
// token matching one of p's federated credentials. It returns the appidacr
// value ("2" for a certificate, "2" too for federation, as Entra ID does).
func (i *Issuer) checkAssertion(base, tokenURL string, p *Principal, raw string) error {
	unverified, _, err := jwt.NewParser().ParseUnverified(raw, &jwt.RegisteredClaims{})
	if err != nil {
		return fmt.Errorf("AADSTS50027: JWT token is invalid or malformed: %v", err)
	}
	if x5t, ok := certThumbprintHeader(unverified.Header); ok {
		return i.checkCertificateAssertion(p, raw, x5t, tokenURL)
	}
	var rc jwt.RegisteredClaims
	if _, err := jwt.ParseWithClaims(raw, &rc, func(t *jwt.Token) (any, error) { return &i.key.PublicKey, nil },
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithExpirationRequired()); err != nil {
		return fmt.Errorf("AADSTS700024: Client assertion is not within its valid time range or its signature does not verify: %v", err)
	}
	for _, fc := range p.Federated {
		iss := fc.Issuer
		if iss == "self" {
			iss = selfOIDCIssuer(base)
		}
		if !strings.EqualFold(strings.TrimSuffix(iss, "/"), strings.TrimSuffix(rc.Issuer, "/")) || fc.Subject != rc.Subject {
			continue
		}
		for _, a := range fc.Audience {
			for _, got := range rc.Audience {
				if a == got {
					return nil
				}
			}
		}
	}
	return fmt.Errorf("AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '%s'. Assertion Subject: '%s'. Assertion Audience: '%s'.", rc.Issuer, rc.Subject, strings.Join(rc.Audience, ","))
}

func certThumbprintHeader(h map[string]any) (string, bool) {
	for _, k := range []string{"x5t#S256", "x5t"} {
		if v, ok := h[k].(string); ok && v != "" {
			return k + "=" + v, true
		}
	}
	return "", false
}

func (i *Issuer) checkCertificateAssertion(p *Principal, raw, x5t, tokenURL string) error {
	for _, certPEM := range p.CertificatesPEM {
		block, _ := pem.Decode([]byte(certPEM))
		if block == nil {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			continue
		}
		s1 := sha1.Sum(cert.Raw)
		s256 := sha256.Sum256(cert.Raw)
		if !thumbprintIs(x5t, "x5t=", s1[:]) && !thumbprintIs(x5t, "x5t#S256=", s256[:]) {
			continue
		}
		var rc jwt.RegisteredClaims
		if _, err := jwt.ParseWithClaims(raw, &rc, func(t *jwt.Token) (any, error) { return cert.PublicKey, nil },
			jwt.WithValidMethods([]string{"RS256", "PS256"}), jwt.WithExpirationRequired()); err != nil {
			return fmt.Errorf("AADSTS700027: Client assertion contains an invalid signature: %v", err)
		}
		if !strings.EqualFold(rc.Subject, p.ClientID) || !strings.EqualFold(rc.Issuer, p.ClientID) {
			return fmt.Errorf("AADSTS700023: Client assertion audience or subject is invalid: iss and sub must be the client ID %s", p.ClientID)
		}
		if !audienceMatchesTokenURL(rc.Audience, tokenURL) {
			return fmt.Errorf("AADSTS700212: No matching federated identity record found for presented assertion audience '%s'", strings.Join(rc.Audience, ","))
		}
		return nil
	}
	return fmt.Errorf("AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '%s']", x5t)
}

// thumbprintIs compares a header thumbprint with a digest; clients send
// base64url (RFC 7515) or, as MSAL does for x5t#S256, standard base64.
func thumbprintIs(header, prefix string, sum []byte) bool {
	v, ok := strings.CutPrefix(header, prefix)
	if !ok {
		return false
	}
	for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.URLEncoding, base64.StdEncoding, base64.RawStdEncoding} {
		if b, err := enc.DecodeString(v); err == nil && string(b) == string(sum) {
			return true
		}
	}
	return false
}

// audienceMatchesTokenURL accepts the token endpoint, with or without the
// tenant, as Entra ID does for certificate assertions.
func audienceMatchesTokenURL(aud []string, tokenURL string) bool {
	want, err := url.Parse(tokenURL)
	if err != nil {
		return false
	}
	for _, a := range aud {
		u, err := url.Parse(a)
		if err == nil && strings.EqualFold(u.Host, want.Host) {
			return true
		}
	}
	return false
}
