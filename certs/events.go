package certs

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/caddyserver/certmagic"
	"github.com/mholt/acmez/v3/acme"

	"workrate/store"
	"workrate/tenant"
)

// certUpdate is a certificate status to record for a hostname.
type certUpdate struct {
	host    string
	status  string
	expires *time.Time
	reason  string
}

// onEvent follows certmagic's work: it records each custom domain's
// certificate status, keeps the deny-list, and stops work for names that are
// no longer served. It must return quickly.
func (m *Manager) onEvent(ctx context.Context, event string, data map[string]any) error {
	name, _ := data["identifier"].(string)
	renewal, _ := data["renewal"].(bool)
	switch event {
	case "cert_obtaining":
		if !m.allowed(name) {
			// Removed, unverified or suspended since the work was queued.
			return certmagic.ErrNoRetry{Err: fmt.Errorf("certs: %s is no longer served", name)}
		}
		if _, handshake := ctx.Value(certmagic.ClientHelloInfoCtxKey).(*tls.ClientHelloInfo); handshake {
			if reason, denied := m.deny.get(name); denied {
				// A handshake that waited while the name failed: fail it now
				// rather than after certmagic's retry delay.
				return certmagic.ErrNoRetry{Err: fmt.Errorf("certs: %s failed recently: %s", name, reason)}
			}
		}
		if !renewal {
			m.queue(certUpdate{host: name, status: tenant.CertIssuing})
		}
	case "cert_obtained":
		m.deny.remove(name)
		u := certUpdate{host: name, status: tenant.CertActive}
		if path, ok := data["certificate_path"].(string); ok {
			if exp, err := m.expiry(ctx, path); err == nil {
				u.expires = &exp
			} else {
				slog.WarnContext(ctx, "certs: read obtained certificate", "host", name, "err", err)
			}
		}
		m.queue(u)
	case "cert_failed":
		err, _ := data["error"].(error)
		reason := failureReason(err)
		if renewal {
			// The current certificate is still served: no deny-listing.
			m.queue(certUpdate{host: name, status: tenant.CertRenewalFailing, reason: reason})
			break
		}
		m.deny.add(name, reason)
		m.queue(certUpdate{host: name, status: tenant.CertFailed, reason: reason})
	}
	return nil
}

// queue hands a status to the writer, which keeps the order of events.
func (m *Manager) queue(u certUpdate) {
	if u.host == "" {
		return
	}
	select {
	case m.updates <- u:
	case <-m.ctx.Done():
	}
}

// recordUpdates writes certificate statuses to the domains table, in order;
// names without a domain row (the platform's own) are skipped.
func (m *Manager) recordUpdates() {
	defer m.wg.Done()
	for {
		var u certUpdate
		select {
		case u = <-m.updates:
		case <-m.ctx.Done():
			return
		}
		ctx, cancel := context.WithTimeout(m.ctx, 10*time.Second)
		err := m.store.SetCertStatus(ctx, u.host, u.status, u.expires, u.reason)
		cancel()
		if err != nil && !errors.Is(err, store.ErrNotFound) && m.ctx.Err() == nil {
			slog.Warn("certs: record certificate status", "host", u.host, "status", u.status, "err", err)
		}
	}
}

// expiry reads the end of validity of a stored certificate.
func (m *Manager) expiry(ctx context.Context, key string) (time.Time, error) {
	b, err := m.cfg.Storage.Load(ctx, key)
	if err != nil {
		return time.Time{}, err
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		return time.Time{}, errors.New("certs: stored certificate is not PEM")
	}
	c, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		return time.Time{}, err
	}
	return c.NotAfter.UTC(), nil
}

// failureReason is the CA's explanation of a failure, as users see it.
func failureReason(err error) string {
	if err == nil {
		return "unknown error"
	}
	var p acme.Problem
	if errors.As(err, &p) {
		s := strings.TrimPrefix(p.Type, "urn:ietf:params:acme:error:")
		if p.Detail != "" {
			s += ": " + p.Detail
		}
		for _, sp := range p.Subproblems {
			s += "; " + strings.TrimPrefix(sp.Type, "urn:ietf:params:acme:error:") + ": " + sp.Detail
		}
		return s
	}
	return err.Error()
}
