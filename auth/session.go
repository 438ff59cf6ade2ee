package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"time"

	"github.com/uptrace/bun"

	"workrate/scheme"
	"workrate/store"
)

// Session kinds.
const (
	KindStaff    = "staff"
	KindClient   = "client"
	KindOperator = "operator"
)

// Session is a server-side session. The cookie holds a random token; the
// database holds only its SHA-256, so a leaked table opens no session.
type Session struct {
	bun.BaseModel `bun:"table:sessions"`

	ID                  string    `bun:"id,pk"`
	Kind                string    `bun:"kind"`
	AgencyID            string    `bun:"agency_id,nullzero"`
	SubjectID           string    `bun:"subject_id"`
	Host                string    `bun:"host"`
	SessionVersion      int       `bun:"session_version"`
	SecondFactorPending bool      `bun:"second_factor_pending"`
	PreviewWorkspaceID  string    `bun:"preview_workspace_id"`
	CreatedAt           time.Time `bun:"created_at"`
	LastSeenAt          time.Time `bun:"last_seen_at"`
	ExpiresAt           time.Time `bun:"expires_at"`
}

// SessionPolicy bounds a session's life.
type SessionPolicy struct {
	Idle time.Duration // ends after this long unused
	Max  time.Duration // ends after this long in all
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateSession stores a new session and returns the token for the cookie.
// The token is new at every sign-in and password change.
func (s *Store) CreateSession(ctx context.Context, sess *Session, p SessionPolicy) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("auth: random session token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	now := store.Now()
	sess.ID = hashToken(token)
	sess.CreatedAt, sess.LastSeenAt, sess.ExpiresAt = now, now, now.Add(p.Max)
	if _, err := s.db.NewInsert().Model(sess).Exec(ctx); err != nil {
		return "", fmt.Errorf("auth: create session: %w", store.Translate(err))
	}
	return token, nil
}

// SessionByToken returns the live session of a cookie token made on host. A
// session from another host, past its lifetime or idle too long is
// store.ErrNotFound (and an ended one is deleted).
func (s *Store) SessionByToken(ctx context.Context, token, host string, p SessionPolicy) (*Session, error) {
	if token == "" || len(token) > 100 {
		return nil, fmt.Errorf("auth: session: %w", store.ErrNotFound)
	}
	sess := new(Session)
	if err := s.db.NewSelect().Model(sess).Where("id = ?", hashToken(token)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("auth: session: %w", store.Translate(err))
	}
	if err := s.checkSession(ctx, sess, token, host, p); err != nil {
		return nil, err
	}
	return sess, nil
}

// UpdateSession saves a session's mutable flags (second factor, preview).
func (s *Store) UpdateSession(ctx context.Context, sess *Session) error {
	_, err := s.db.NewUpdate().Model(sess).Column("second_factor_pending", "preview_workspace_id", "session_version").
		Where("id = ?", sess.ID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("auth: update session: %w", store.Translate(err))
	}
	return nil
}

// DeleteSession ends the session of a cookie token.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	if _, err := s.db.NewDelete().Model((*Session)(nil)).Where("id = ?", hashToken(token)).Exec(ctx); err != nil {
		return fmt.Errorf("auth: delete session: %w", store.Translate(err))
	}
	return nil
}

// DeleteSessionsOf ends every session of one account.
func (s *Store) DeleteSessionsOf(ctx context.Context, kind, subjectID string) error {
	if _, err := s.db.NewDelete().Model((*Session)(nil)).Where("kind = ? AND subject_id = ?", kind, subjectID).Exec(ctx); err != nil {
		return fmt.Errorf("auth: delete sessions: %w", store.Translate(err))
	}
	return nil
}

// DeleteAgencySessions ends every session that belongs to an agency, its
// staff's and its clients' alike. Suspending an agency calls it in the same
// transaction as the status change, so no instance serves them afterwards.
func (s *Store) DeleteAgencySessions(ctx context.Context, agencyID string) error {
	if _, err := s.db.NewDelete().Model((*Session)(nil)).Where("agency_id = ?", agencyID).Exec(ctx); err != nil {
		return fmt.Errorf("auth: delete sessions of agency %s: %w", agencyID, store.Translate(err))
	}
	return nil
}

// DeleteExpiredSessions removes ended sessions; a background job calls it.
func (s *Store) DeleteExpiredSessions(ctx context.Context, p SessionPolicy) (int64, error) {
	now := store.Now()
	res, err := s.db.NewDelete().Model((*Session)(nil)).
		Where("expires_at < ? OR last_seen_at < ?", now, now.Add(-p.Idle)).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("auth: delete expired sessions: %w", store.Translate(err))
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// CookieName is the session cookie's name: "__Host-session" over HTTPS
// (scheme.Secure), which browsers accept only host-only, Secure and with Path=/.
func CookieName(secure bool) string {
	if secure {
		return "__Host-session"
	}
	return "session"
}

// SessionToken returns the request's session token, or "".
func SessionToken(r *http.Request) string {
	c, err := r.Cookie(CookieName(scheme.Secure(r)))
	if err != nil {
		return ""
	}
	return c.Value
}

// SetSessionCookie sets the host-only session cookie.
func SetSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: CookieName(scheme.Secure(r)), Value: token, Path: "/",
		HttpOnly: true, Secure: scheme.Secure(r), SameSite: http.SameSiteLaxMode,
	})
}

// ClearSessionCookie removes the session cookie.
func ClearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: CookieName(scheme.Secure(r)), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: scheme.Secure(r), SameSite: http.SameSiteLaxMode,
	})
}
