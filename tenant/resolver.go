package tenant

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"workrate/branding"
)

// Kind says what a Host names.
type Kind uint8

// The kinds of host.
const (
	Unknown    Kind = iota // not served: 404
	Platform               // the platform's own host: operators, generic login
	AgencyHost             // an agency's subdomain or verified custom domain
)

// Site is what the resolver keeps per agency: the agency and its brand.
// A Site is never changed after it is built; a change builds a new one.
type Site struct {
	Agency Agency
	Brand  branding.Brand
}

// Tenant is the result of resolving one Host.
type Tenant struct {
	Kind   Kind
	Host   string // normalized
	Custom bool   // a custom domain rather than <slug>.<agency domain>
	Site   *Site  // set for AgencyHost
}

// Config names the platform's own hosts.
type Config struct {
	PlatformHost string // e.g. "localhost" or "app.workrate.cloud"
	AgencyDomain string // agencies get <slug>.<AgencyDomain>
	PlatformName string // the name shown where no white label applies
	// Refresh is how often changes made by another process are picked up;
	// FullReload how often the whole map is rebuilt (to drop removed rows).
	Refresh    time.Duration
	FullReload time.Duration
}

// Resolver maps hosts to tenants from memory. It learns of changes made by any
// process by polling updated_at every Refresh, and rebuilds itself every FullReload.
type Resolver struct {
	db     bun.IDB
	cfg    Config
	suffix string // "." + AgencyDomain

	mu      sync.RWMutex
	bySlug  map[string]*Site
	byID    map[string]*Site
	domains map[string]*Site // verified custom domains
	since   time.Time        // rows updated at or after this were not yet seen
	loaded  time.Time
}

// NewResolver returns a resolver; call Load before serving.
func NewResolver(db bun.IDB, cfg Config) *Resolver {
	if cfg.Refresh <= 0 {
		cfg.Refresh = 2 * time.Second
	}
	if cfg.FullReload <= 0 {
		cfg.FullReload = time.Minute
	}
	return &Resolver{
		db: db, cfg: cfg, suffix: "." + cfg.AgencyDomain,
		bySlug: map[string]*Site{}, byID: map[string]*Site{}, domains: map[string]*Site{},
	}
}

// Config returns the resolver's configuration.
func (r *Resolver) Config() Config { return r.cfg }

// Resolve maps a normalized host to its tenant, from memory only.
func (r *Resolver) Resolve(host string) Tenant {
	if host == r.cfg.PlatformHost {
		return Tenant{Kind: Platform, Host: host}
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if slug, ok := strings.CutSuffix(host, r.suffix); ok && strings.IndexByte(slug, '.') < 0 {
		if s := r.bySlug[slug]; s != nil && s.Agency.Active() {
			return Tenant{Kind: AgencyHost, Host: host, Site: s}
		}
		return Tenant{Kind: Unknown, Host: host}
	}
	if s := r.domains[host]; s != nil && s.Agency.Active() {
		return Tenant{Kind: AgencyHost, Host: host, Custom: true, Site: s}
	}
	return Tenant{Kind: Unknown, Host: host}
}

// SiteByID returns the cached site of an agency (active or not), or nil.
func (r *Resolver) SiteByID(id string) *Site {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.byID[id]
}

// AgencyHost returns the <slug>.<agency domain> host of an agency.
func (r *Resolver) AgencyHost(slug string) string { return slug + r.suffix }

// CustomDomains returns the verified custom domains of an agency, sorted.
func (r *Resolver) CustomDomains(agencyID string) []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []string
	for h, s := range r.domains {
		if s.Agency.ID == agencyID {
			out = append(out, h)
		}
	}
	slices.Sort(out)
	return out
}

// Allowed reports whether a certificate may be obtained or loaded for host: a
// verified custom domain of an active agency. It answers from memory.
func (r *Resolver) Allowed(host string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	s := r.domains[host]
	return s != nil && s.Agency.Active()
}

type agencyRow struct {
	Agency
	PlatformName string `bun:"platform_name"`
	PrimaryColor string `bun:"primary_color"`
	LogoHash     string `bun:"logo_hash"`
}

type domainRow struct {
	Hostname string `bun:"hostname"`
	AgencyID string `bun:"agency_id"`
	Status   string `bun:"status"`
}

// overlap re-reads rows a little older than the last poll, so that a row
// committed late with an earlier timestamp is not missed.
const overlap = 5 * time.Second

// Load rebuilds the whole map from the database.
func (r *Resolver) Load(ctx context.Context) error {
	start := time.Now().UTC()
	agencies, err := r.agencies(ctx, time.Time{})
	if err != nil {
		return err
	}
	domains, err := r.domainRows(ctx, time.Time{})
	if err != nil {
		return err
	}
	bySlug := make(map[string]*Site, len(agencies))
	byID := make(map[string]*Site, len(agencies))
	for i := range agencies {
		s := r.site(&agencies[i])
		bySlug[s.Agency.Slug] = s
		byID[s.Agency.ID] = s
	}
	byDomain := make(map[string]*Site, len(domains))
	for _, d := range domains {
		if s := byID[d.AgencyID]; s != nil && d.Status == DomainVerified {
			byDomain[d.Hostname] = s
		}
	}
	r.mu.Lock()
	r.bySlug, r.byID, r.domains = bySlug, byID, byDomain
	r.since, r.loaded = start.Add(-overlap), start
	r.mu.Unlock()
	return nil
}

// Refresh applies the rows changed since the last poll; every FullReload it
// rebuilds the whole map instead, which also drops deleted rows.
func (r *Resolver) Refresh(ctx context.Context) error {
	r.mu.RLock()
	since, loaded := r.since, r.loaded
	r.mu.RUnlock()
	if time.Since(loaded) >= r.cfg.FullReload {
		return r.Load(ctx)
	}
	start := time.Now().UTC()
	agencies, err := r.agencies(ctx, since)
	if err != nil {
		return err
	}
	domains, err := r.domainRows(ctx, since)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := range agencies {
		s := r.site(&agencies[i])
		if old := r.byID[s.Agency.ID]; old != nil {
			// Re-point the agency's hosts at the new site.
			if old.Agency.Slug != s.Agency.Slug {
				delete(r.bySlug, old.Agency.Slug)
			}
			for h, d := range r.domains {
				if d == old {
					r.domains[h] = s
				}
			}
		}
		r.bySlug[s.Agency.Slug] = s
		r.byID[s.Agency.ID] = s
	}
	for _, d := range domains {
		s := r.byID[d.AgencyID]
		if s != nil && d.Status == DomainVerified {
			r.domains[d.Hostname] = s
		} else {
			delete(r.domains, d.Hostname)
		}
	}
	r.since = start.Add(-overlap)
	return nil
}

// ForgetDomain stops serving a custom domain at once on this instance.
func (r *Resolver) ForgetDomain(host string) {
	r.mu.Lock()
	delete(r.domains, host)
	r.mu.Unlock()
}

// Run refreshes every Refresh until ctx ends; failures are logged and retried.
func (r *Resolver) Run(ctx context.Context) {
	t := time.NewTicker(r.cfg.Refresh)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := r.Refresh(ctx); err != nil && ctx.Err() == nil {
				slog.WarnContext(ctx, "tenant: refresh failed", "err", err)
			}
		}
	}
}

func (r *Resolver) site(a *agencyRow) *Site {
	st := branding.Settings{PlatformName: a.PlatformName, PrimaryColor: a.PrimaryColor, LogoHash: a.LogoHash}
	return &Site{Agency: a.Agency, Brand: branding.Resolve(st, a.Name, r.cfg.PlatformName)}
}

func (r *Resolver) agencies(ctx context.Context, since time.Time) ([]agencyRow, error) {
	var rows []agencyRow
	q := r.db.NewSelect().TableExpr("agencies AS a").
		ColumnExpr("a.*").
		ColumnExpr("COALESCE(b.platform_name, '') AS platform_name").
		ColumnExpr("COALESCE(b.primary_color, '') AS primary_color").
		ColumnExpr("COALESCE(b.logo_hash, '') AS logo_hash").
		Join("LEFT JOIN brandings AS b ON b.agency_id = a.id")
	if !since.IsZero() {
		q = q.Where("a.updated_at >= ?", since)
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("tenant: load agencies: %w", err)
	}
	return rows, nil
}

func (r *Resolver) domainRows(ctx context.Context, since time.Time) ([]domainRow, error) {
	var rows []domainRow
	q := r.db.NewSelect().Table("domains").Column("hostname", "agency_id", "status")
	if !since.IsZero() {
		q = q.Where("updated_at >= ?", since)
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("tenant: load domains: %w", err)
	}
	return rows, nil
}
