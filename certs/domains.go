package certs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"workrate/tenant"
)

// Domains is what the back office, the operator console and the command line
// do with custom domains: claim, check, approve, remove. Resolver and Manager
// are nil where there is no running server (the command line); then changes
// reach running servers through the resolver's refresh.
type Domains struct {
	Store    *tenant.Store
	Verifier *Verifier
	Resolver *tenant.Resolver
	Manager  *Manager
	// Platform lists the platform's own domains: nothing at or under them can
	// be claimed.
	Platform []string
}

// CNAMETarget is the host custom domains point at.
func (s *Domains) CNAMETarget() string { return s.Verifier.Target() }

// Add claims a hostname for an agency; the background checker verifies it.
func (s *Domains) Add(ctx context.Context, agencyID, hostname string) (*tenant.Domain, error) {
	return s.Store.AddDomain(ctx, agencyID, hostname, s.Platform...)
}

// Check looks at a domain's DNS now and records the outcome; a domain that
// becomes verified is served and gets its certificate at once. Checking a
// verified domain again (an operator's re-check) keeps it verified when DNS
// moved away, so that a DNS hiccup never takes a live portal down, but it
// does start a new certificate attempt.
func (s *Domains) Check(ctx context.Context, d *tenant.Domain) (*tenant.Domain, error) {
	status, det := s.Verifier.Check(ctx, d)
	if d.Status == tenant.DomainVerified {
		if err := s.Store.SetDomainStatus(ctx, d.ID, tenant.DomainVerified, det.Encode(), d.VerifiedBy, nil); err != nil {
			return nil, err
		}
		s.verified(ctx, d.Hostname)
		return s.Store.DomainByHostname(ctx, d.Hostname)
	}
	var next *time.Time
	by := ""
	if status == tenant.DomainVerified {
		by = tenant.VerifiedByDNS
	} else if t, ok := nextCheck(d); ok {
		next = &t
	}
	if err := s.Store.SetDomainStatus(ctx, d.ID, status, det.Encode(), by, next); err != nil {
		return nil, err
	}
	if status == tenant.DomainVerified {
		s.verified(ctx, d.Hostname)
	}
	return s.Store.DomainByHostname(ctx, d.Hostname)
}

// Approve marks a domain verified without DNS (an operator checked by other
// means) and starts serving it.
func (s *Domains) Approve(ctx context.Context, d *tenant.Domain) (*tenant.Domain, error) {
	if err := s.Store.SetDomainStatus(ctx, d.ID, tenant.DomainVerified, d.DNSDetail, tenant.VerifiedByOperator, nil); err != nil {
		return nil, err
	}
	s.verified(ctx, d.Hostname)
	return s.Store.DomainByHostname(ctx, d.Hostname)
}

// Remove deletes one of an agency's domains and stops serving it at once here.
func (s *Domains) Remove(ctx context.Context, agencyID, hostname string) error {
	if err := s.Store.DeleteDomain(ctx, agencyID, hostname); err != nil {
		return err
	}
	if s.Resolver != nil {
		s.Resolver.ForgetDomain(hostname)
	}
	if s.Manager != nil {
		s.Manager.Forget(hostname)
	}
	return nil
}

// verified makes this instance serve a newly verified domain now (not at the
// next refresh: the TLS-ALPN challenge needs it) and obtains its certificate.
func (s *Domains) verified(ctx context.Context, host string) {
	if s.Resolver != nil {
		if err := s.Resolver.Refresh(ctx); err != nil {
			slog.WarnContext(ctx, "certs: refresh hosts after verification", "host", host, "err", err)
		}
	}
	if s.Manager != nil {
		s.Manager.Obtain(host)
	}
}

// nextCheck is when to look again at a domain that is not verified yet: soon
// at first, then less and less often; after two weeks only on request.
func nextCheck(d *tenant.Domain) (time.Time, bool) {
	if time.Since(d.CreatedAt) > 14*24*time.Hour {
		return time.Time{}, false
	}
	wait := 15 * time.Second << min(d.Checks, 8) // 15s, 30s, 1m, … 64m
	return time.Now().Add(min(wait, time.Hour)), true
}

// Run checks due domains every interval until ctx ends; several instances
// may run it, each domain being claimed by one of them at a time.
func (s *Domains) Run(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = 10 * time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := s.CheckDue(ctx); err != nil && ctx.Err() == nil {
			slog.WarnContext(ctx, "certs: domain checks", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// CheckDue checks the domains whose next check is due.
func (s *Domains) CheckDue(ctx context.Context) error {
	due, err := s.Store.ClaimDueDomains(ctx, 20, 2*time.Minute)
	if err != nil {
		return err
	}
	for i := range due {
		if _, err := s.Check(ctx, &due[i]); err != nil {
			return fmt.Errorf("certs: check %s: %w", due[i].Hostname, err)
		}
	}
	return nil
}
