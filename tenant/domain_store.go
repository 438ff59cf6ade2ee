package tenant

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"workrate/field"
	"workrate/store"
)

// Certificate statuses of a custom domain.
const (
	CertNone           = "none"            // nothing asked of the CA yet
	CertIssuing        = "issuing"         // an order is in progress
	CertActive         = "active"          // a certificate is served (see CertExpiresAt)
	CertFailed         = "failed"          // the CA refused; CertError says why
	CertRenewalFailing = "renewal_failing" // a certificate is served but renewing it failed
)

// Who marked a domain verified.
const (
	VerifiedByDNS      = "dns"
	VerifiedByOperator = "operator"
)

// ChallengePrefix is the label of the TXT record that proves control of a hostname.
const ChallengePrefix = "_workrate-challenge."

// maxDomainsPerAgency bounds how many hostnames one agency may claim.
const maxDomainsPerAgency = 50

// ErrTooManyDomains means the agency has claimed the most hostnames allowed.
var ErrTooManyDomains = field.New("hostname", field.TooManyHostnames)

// ValidateHostname turns what a user typed into the hostname to store, or a
// *field.Error: IDN becomes punycode; wildcards, IP addresses, ports, single
// labels, over-long names and names at or under any of the platform's own
// domains are refused.
func ValidateHostname(input string, platform ...string) (string, error) {
	s := strings.TrimSpace(input)
	if s == "" || strings.ContainsAny(s, "/:@ \t") {
		return "", field.New("hostname", field.HostnameInvalid)
	}
	if strings.Contains(s, "*") {
		return "", field.New("hostname", field.HostnameWildcard)
	}
	if len(s) > maxHostLen+1 {
		return "", field.New("hostname", field.HostnameTooLong)
	}
	h, err := NormalizeHost(s)
	if err != nil {
		if len(s) > maxHostLen {
			return "", field.New("hostname", field.HostnameTooLong)
		}
		return "", field.New("hostname", field.HostnameInvalid)
	}
	if IsIP(h) {
		return "", field.New("hostname", field.HostnameIP)
	}
	labels := strings.Split(h, ".")
	if len(labels) < 2 {
		return "", field.New("hostname", field.HostnameSingleLabel)
	}
	if tld := labels[len(labels)-1]; strings.Trim(tld, "0123456789") == "" || strings.HasPrefix(h, "_") {
		// An all-numeric top-level label is an address in disguise.
		return "", field.New("hostname", field.HostnameIP)
	}
	for _, p := range platform {
		p = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(p), "."))
		if p != "" && (h == p || strings.HasSuffix(h, "."+p)) {
			return "", field.New("hostname", field.HostnamePlatform)
		}
	}
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return "", field.New("hostname", field.HostnamePlatform)
	}
	return h, nil
}

// ChallengeName is the TXT record name that proves control of hostname.
func ChallengeName(hostname string) string { return ChallengePrefix + hostname }

func newVerificationToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// AddDomain claims a hostname for an agency, pending DNS verification. The
// hostname is validated with ValidateHostname against platform; a hostname
// claimed by any agency is a *field.Error with field.HostnameTaken.
func (s *Store) AddDomain(ctx context.Context, agencyID, input string, platform ...string) (*Domain, error) {
	h, err := ValidateHostname(input, platform...)
	if err != nil {
		return nil, err
	}
	n, err := s.db.NewSelect().Table("domains").Where("agency_id = ?", agencyID).Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("tenant: count domains: %w", store.Translate(err))
	}
	if n >= maxDomainsPerAgency {
		return nil, ErrTooManyDomains
	}
	now := store.Now()
	d := &Domain{
		ID: store.NewID(), AgencyID: agencyID, Hostname: h, Status: DomainPending,
		VerificationToken: newVerificationToken(), CertStatus: CertNone,
		NextCheckAt: &now, CreatedAt: now, UpdatedAt: now,
	}
	if _, err := s.db.NewInsert().Model(d).Exec(ctx); err != nil {
		err = store.Translate(err)
		if errors.Is(err, store.ErrConflict) {
			return nil, field.New("hostname", field.HostnameTaken)
		}
		return nil, fmt.Errorf("tenant: add domain %s: %w", h, err)
	}
	return d, nil
}

// Domain returns one of an agency's domains by hostname.
func (s *Store) Domain(ctx context.Context, agencyID, hostname string) (*Domain, error) {
	d := new(Domain)
	if err := s.db.NewSelect().Model(d).Where("agency_id = ? AND hostname = ?", agencyID, hostname).Scan(ctx); err != nil {
		return nil, fmt.Errorf("tenant: domain %s: %w", hostname, store.Translate(err))
	}
	return d, nil
}

// DomainByHostname returns a domain of any agency, for operators and the
// certificate manager.
func (s *Store) DomainByHostname(ctx context.Context, hostname string) (*Domain, error) {
	d := new(Domain)
	if err := s.db.NewSelect().Model(d).Where("hostname = ?", hostname).Scan(ctx); err != nil {
		return nil, fmt.Errorf("tenant: domain %s: %w", hostname, store.Translate(err))
	}
	return d, nil
}

// DomainsOf lists an agency's domains by hostname.
func (s *Store) DomainsOf(ctx context.Context, agencyID string) ([]Domain, error) {
	var ds []Domain
	if err := s.db.NewSelect().Model(&ds).Where("agency_id = ?", agencyID).Order("hostname").Scan(ctx); err != nil {
		return nil, fmt.Errorf("tenant: domains of %s: %w", agencyID, store.Translate(err))
	}
	return ds, nil
}

// AllDomains lists every agency's domains by hostname, a page of limit after
// offset; limit ≤ 0 means all.
func (s *Store) AllDomains(ctx context.Context, limit, offset int) ([]Domain, error) {
	var ds []Domain
	q := s.db.NewSelect().Model(&ds).Order("hostname")
	if limit > 0 {
		q = q.Limit(int64(limit)).Offset(int64(offset))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("tenant: all domains: %w", store.Translate(err))
	}
	return ds, nil
}

// VerifiedDomains lists the hostnames of every verified domain.
func (s *Store) VerifiedDomains(ctx context.Context) ([]string, error) {
	var hs []string
	err := s.db.NewSelect().Table("domains").Column("hostname").Where("status = ?", DomainVerified).
		Order("hostname").Scan(ctx, &hs)
	if err != nil {
		return nil, fmt.Errorf("tenant: verified domains: %w", store.Translate(err))
	}
	return hs, nil
}

// DeleteDomain removes one of an agency's domains; call Resolver.ForgetDomain
// too so that this instance stops serving it at once.
func (s *Store) DeleteDomain(ctx context.Context, agencyID, hostname string) error {
	res, err := s.db.NewDelete().Model((*Domain)(nil)).Where("agency_id = ? AND hostname = ?", agencyID, hostname).Exec(ctx)
	if err != nil {
		return fmt.Errorf("tenant: delete domain %s: %w", hostname, store.Translate(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("tenant: delete domain %s: %w", hostname, store.ErrNotFound)
	}
	return nil
}

// SetDomainStatus records the outcome of a DNS check (or an operator's
// approval): status, the detail shown to users, and when to check next (nil:
// not again). Verifying sets verified_at and verified_by.
func (s *Store) SetDomainStatus(ctx context.Context, id, status, detail, verifiedBy string, next *time.Time) error {
	switch status {
	case DomainPending, DomainMisconfigured, DomainVerified:
	default:
		return fmt.Errorf("tenant: unknown domain status %q", status)
	}
	now := store.Now()
	q := s.db.NewUpdate().Model((*Domain)(nil)).
		Set("status = ?", status).Set("dns_detail = ?", detail).Set("next_check_at = ?", next).
		Set("last_checked_at = ?", now).Set("updated_at = ?", now).Where("id = ?", id)
	switch status {
	case DomainVerified:
		q = q.Set("verified_at = COALESCE(verified_at, ?)", now).Set("verified_by = ?", verifiedBy).Set("checks = 0")
	default:
		q = q.Set("checks = checks + 1").Set("verified_at = NULL").Set("verified_by = ''")
	}
	return s.updateDomain(ctx, q.Exec, id)
}

// SetCertStatus records the certificate's state for a hostname. expires is
// kept when nil; a non-empty errText sets cert_failed_at.
func (s *Store) SetCertStatus(ctx context.Context, hostname, status string, expires *time.Time, errText string) error {
	switch status {
	case CertNone, CertIssuing, CertActive, CertFailed, CertRenewalFailing:
	default:
		return fmt.Errorf("tenant: unknown certificate status %q", status)
	}
	if len(errText) > 2000 {
		errText = errText[:2000]
	}
	now := store.Now()
	q := s.db.NewUpdate().Model((*Domain)(nil)).Set("cert_status = ?", status).Set("cert_error = ?", errText).
		Set("updated_at = ?", now).Where("hostname = ?", hostname)
	if expires != nil {
		q = q.Set("cert_expires_at = ?", expires.UTC())
	}
	if errText != "" {
		q = q.Set("cert_failed_at = ?", now)
	}
	return s.updateDomain(ctx, q.Exec, hostname)
}

// ClaimDueDomains returns up to limit unverified domains whose next check is
// due, and pushes their next check lease ahead so that other instances skip
// them meanwhile.
func (s *Store) ClaimDueDomains(ctx context.Context, limit int, lease time.Duration) ([]Domain, error) {
	now := store.Now()
	var due []Domain
	err := s.db.NewSelect().Model(&due).
		Where("status <> ? AND next_check_at IS NOT NULL AND next_check_at <= ?", DomainVerified, now).
		Order("next_check_at").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("tenant: due domains: %w", store.Translate(err))
	}
	claimed := due[:0]
	until := now.Add(lease)
	for _, d := range due {
		res, err := s.db.NewUpdate().Model((*Domain)(nil)).Set("next_check_at = ?", until).
			Where("id = ? AND next_check_at = ?", d.ID, d.NextCheckAt).Exec(ctx)
		if err != nil {
			return nil, fmt.Errorf("tenant: claim domain %s: %w", d.Hostname, store.Translate(err))
		}
		if n, _ := res.RowsAffected(); n == 1 {
			d.NextCheckAt = &until
			claimed = append(claimed, d)
		}
	}
	return claimed, nil
}

// ScheduleCheck asks for a DNS check of a domain at once.
func (s *Store) ScheduleCheck(ctx context.Context, id string) error {
	now := store.Now()
	q := s.db.NewUpdate().Model((*Domain)(nil)).Set("next_check_at = ?", now).Set("updated_at = ?", now).Where("id = ?", id)
	return s.updateDomain(ctx, q.Exec, id)
}

func (s *Store) updateDomain(ctx context.Context, exec func(context.Context, ...any) (sql.Result, error), key string) error {
	res, err := exec(ctx)
	if err != nil {
		return fmt.Errorf("tenant: update domain %s: %w", key, store.Translate(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("tenant: update domain %s: %w", key, store.ErrNotFound)
	}
	return nil
}

// DNSDetail is what the last DNS check found, kept as JSON in dns_detail so
// that pages can explain it in the reader's language.
type DNSDetail struct {
	TXTFound      []string `json:"txt_found,omitempty"`
	TXTOK         bool     `json:"txt_ok"`
	CNAME         string   `json:"cname,omitempty"`
	Addresses     []string `json:"addresses,omitempty"`
	Expected      string   `json:"expected,omitempty"`
	TargetOK      bool     `json:"target_ok"`
	LookupFailure string   `json:"lookup_failure,omitempty"`
}

// Encode returns the detail as stored.
func (d DNSDetail) Encode() string {
	b, _ := json.Marshal(d)
	return string(b)
}

// DNS returns what the last DNS check found (zero before any check).
func (d *Domain) DNS() DNSDetail {
	var out DNSDetail
	if d.DNSDetail != "" {
		_ = json.Unmarshal([]byte(d.DNSDetail), &out)
	}
	return out
}
