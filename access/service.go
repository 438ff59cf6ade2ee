// Package access is the one place that changes a client's portal access:
// creating, updating and revoking the login of a workspace, temporary
// passwords and their expiry, client sign-in and password changes, the audit
// trail and the onboarding message staff send to the client.
package access

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/uptrace/bun"

	"workrate/auth"
	"workrate/locale"
	"workrate/store"
	"workrate/tenant"
)

// Config is what the service needs of the platform's configuration.
type Config struct {
	TempPasswordTTL time.Duration // how long a temporary password works; default 7 days
	HTTPAddr        string        // plain HTTP listener, for the address in onboarding messages
	HTTPSAddr       string        // TLS listener; empty means TLS is off
}

// Service changes and checks portal access. Create it with New.
type Service struct {
	db       bun.IDB
	auth     *auth.Store
	pool     *auth.HashPool
	gate     *auth.Gate // checks every password (sign-in, current password)
	resolver *tenant.Resolver
	bundle   *locale.Bundle
	cfg      Config
}

// New returns a Service on db hashing through pool.
func New(db bun.IDB, pool *auth.HashPool, resolver *tenant.Resolver, bundle *locale.Bundle, cfg Config) *Service {
	if cfg.TempPasswordTTL <= 0 {
		cfg.TempPasswordTTL = 7 * 24 * time.Hour
	}
	return &Service{db: db, auth: auth.NewStore(db), pool: pool, gate: auth.NewGate(db, pool, nil),
		resolver: resolver, bundle: bundle, cfg: cfg}
}

// Actor is who changes portal access, as the audit list shows it.
type Actor struct {
	Kind string // "staff", "api", "client" or "system"
	ID   string
	Name string
}

// Actor kinds.
const (
	ActorStaff  = "staff"
	ActorAPI    = "api"
	ActorClient = "client"
	ActorSystem = "system"
)

// Account returns the portal account of a workspace, or store.ErrNotFound.
func (s *Service) Account(ctx context.Context, agencyID, workspaceID string) (*auth.PortalAccount, error) {
	return s.auth.PortalAccountOf(ctx, agencyID, workspaceID)
}

// TempPasswordTTL is how long a temporary password works.
func (s *Service) TempPasswordTTL() time.Duration { return s.cfg.TempPasswordTTL }

// LoginURL is the address a client of agency signs in at: the agency's
// verified custom domain if any, else its agency host, with the listener's
// port when it is not the default.
func (s *Service) LoginURL(agency tenant.Agency) string {
	host := s.resolver.AgencyHost(agency.Slug)
	if ds := s.resolver.CustomDomains(agency.ID); len(ds) > 0 {
		host = ds[0]
	}
	scheme, port := "http", portOf(s.cfg.HTTPAddr, "80")
	if s.cfg.HTTPSAddr != "" {
		scheme, port = "https", portOf(s.cfg.HTTPSAddr, "443")
	}
	return scheme + "://" + host + port + "/login"
}

// portOf returns ":8080" for ":8080", and "" for the scheme's default port.
func portOf(addr, def string) string {
	_, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" || port == def || port == "0" {
		return ""
	}
	return ":" + port
}

// endSessions makes every session of the account stop working on its next
// request, on every instance: the version no longer matches, and the rows go.
func endSessions(ctx context.Context, as *auth.Store, a *auth.PortalAccount) error {
	a.SessionVersion++
	if err := as.DeleteSessionsOf(ctx, auth.KindClient, a.ID); err != nil {
		return err
	}
	return nil
}

// isNotFound reports whether err is store.ErrNotFound.
func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

// wrap adds context to a store error.
func wrap(what string, err error) error { return fmt.Errorf("access: %s: %w", what, err) }
