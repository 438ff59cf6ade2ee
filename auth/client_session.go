package auth

import (
	"context"
	"fmt"
	"time"

	"workrate/store"
)

// ClientSession is a session read together with, for a client session, its
// portal account and the name of the account's workspace: the whole
// per-request check of a portal page in one query.
type ClientSession struct {
	Session *Session
	// Account is the session's portal account as it is now, nil when the
	// session is not a client's or the account no longer exists.
	Account       *PortalAccount
	WorkspaceName string
	// DataVersion is the workspace's content version (workspaces.data_version).
	DataVersion int64
}

// clientSessionRow is one joined row; the account's columns are NULL (and
// scan as zero values) when there is no account.
type clientSessionRow struct {
	S             Session       `bun:"embed:s_"`
	A             PortalAccount `bun:"embed:a_"`
	WorkspaceName string        `bun:"w_name"`
	DataVersion   int64         `bun:"w_data_version"`
}

const clientSessionQuery = `SELECT
 s.id AS s_id, s.kind AS s_kind, s.agency_id AS s_agency_id, s.subject_id AS s_subject_id, s.host AS s_host,
 s.session_version AS s_session_version, s.second_factor_pending AS s_second_factor_pending,
 s.preview_workspace_id AS s_preview_workspace_id, s.created_at AS s_created_at, s.last_seen_at AS s_last_seen_at,
 s.expires_at AS s_expires_at,
 a.id AS a_id, a.agency_id AS a_agency_id, a.workspace_id AS a_workspace_id, a.login_email AS a_login_email,
 a.password_hash AS a_password_hash, a.must_change_password AS a_must_change_password,
 a.password_set_at AS a_password_set_at, a.password_expires_at AS a_password_expires_at, a.enabled AS a_enabled,
 a.tools AS a_tools, a.session_version AS a_session_version, a.language AS a_language,
 a.totp_mode AS a_totp_mode, a.totp_enabled AS a_totp_enabled,
 a.last_login_at AS a_last_login_at, a.created_at AS a_created_at, a.updated_at AS a_updated_at,
 w.name AS w_name, w.data_version AS w_data_version
FROM sessions AS s
LEFT JOIN portal_accounts AS a ON s.kind = ? AND a.agency_id = s.agency_id AND a.id = s.subject_id
LEFT JOIN workspaces AS w ON w.agency_id = a.agency_id AND w.id = a.workspace_id
WHERE s.id = ?`

// ClientSessionByToken is SessionByToken that also reads, in the same query,
// the portal account of a client session and its workspace's name, so that
// the portal re-checks the account (enabled, session version) on every
// request at the cost of one query. The same host, idle and absolute expiry
// rules apply; the caller still decides on the account.
func (s *Store) ClientSessionByToken(ctx context.Context, token, host string, p SessionPolicy) (*ClientSession, error) {
	if token == "" || len(token) > 100 {
		return nil, fmt.Errorf("auth: session: %w", store.ErrNotFound)
	}
	row := new(clientSessionRow)
	if err := s.db.NewRaw(clientSessionQuery, KindClient, hashToken(token)).Scan(ctx, row); err != nil {
		return nil, fmt.Errorf("auth: session: %w", store.Translate(err))
	}
	sess := &row.S
	if err := s.checkSession(ctx, sess, token, host, p); err != nil {
		return nil, err
	}
	out := &ClientSession{Session: sess}
	if row.A.ID != "" {
		out.Account = &row.A
		out.WorkspaceName = row.WorkspaceName
		out.DataVersion = row.DataVersion
	}
	return out, nil
}

// checkSession applies the host and expiry rules to a session just read, and
// records activity at most once a minute.
func (s *Store) checkSession(ctx context.Context, sess *Session, token, host string, p SessionPolicy) error {
	now := store.Now()
	if sess.Host != host {
		return fmt.Errorf("auth: session of another host: %w", store.ErrNotFound)
	}
	if now.After(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) > p.Idle {
		_ = s.DeleteSession(ctx, token)
		return fmt.Errorf("auth: session ended: %w", store.ErrNotFound)
	}
	// Record activity at most once a minute, so a page view is not a write.
	if now.Sub(sess.LastSeenAt) > time.Minute {
		_, _ = s.db.NewUpdate().Model(sess).Set("last_seen_at = ?", now).Where("id = ?", sess.ID).Exec(ctx)
		sess.LastSeenAt = now
	}
	return nil
}
