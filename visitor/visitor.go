// Package visitor resolves who is asking, once per request, after the tenant
// and before the brand and the language: the session (a client, a staff
// member, an operator, or nobody), its agency, a staff member's preview of a
// client's portal, and whether a second factor is still owed. Surfaces read
// it; none loads a session itself.
package visitor

import (
	"errors"
	"log/slog"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/store"
	"workrate/tenant"
)

// Visitor is who is asking. The zero value is nobody signed in.
type Visitor struct {
	// Kind is auth.KindClient, auth.KindStaff, auth.KindOperator, or "" for nobody.
	Kind    string
	Token   string
	Session *auth.Session
	// Site is the session's agency, active and the host's (on the platform
	// host, the request acts for it); nil for operators and nobody.
	Site *tenant.Site
	// Client is a client's portal account, or in a preview the previewed one.
	Client *auth.PortalAccount
	// WorkspaceName and DataVersion are the client's workspace's, read with
	// the session (empty in a preview: the portal reads the workspace).
	WorkspaceName string
	DataVersion   int64
	Staff         *auth.Staff
	Operator      *auth.Operator
	// Preview is a staff member looking at a client's portal, read-only.
	Preview bool
	// SecondFactorOwed is a session whose password was right and whose code
	// is still to come: it opens only the code page.
	SecondFactorOwed bool
	// Language is the account's chosen language ("" for none).
	Language string
	// Err is a failure to read the session; surfaces that need one fail with it.
	Err error
}

// SignedIn reports whether anybody is signed in.
func (v *Visitor) SignedIn() bool { return v.Kind != "" }

const key = "workrate.visitor"

// Of returns the request's visitor; nobody before the middleware ran.
func Of(c *gin.Context) *Visitor {
	if v, ok := c.Get(key); ok {
		if vis, ok := v.(*Visitor); ok {
			return vis
		}
	}
	return &Visitor{}
}

// Set puts v on the request (the middleware; tests).
func Set(c *gin.Context, v *Visitor) { c.Set(key, v) }

// Loader reads visitors. Create it with a literal.
type Loader struct {
	Auth     *auth.Store
	Resolver *tenant.Resolver
	Sessions auth.SessionPolicy
}

// Middleware resolves the visitor of every request. On the platform host a
// signed-in client or staff member's agency becomes the request's tenant, so
// that its brand and language follow.
func (l *Loader) Middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		v, err := l.load(c)
		if err != nil {
			slog.ErrorContext(c, "visitor: session", "err", err)
			v = &Visitor{Err: err}
		}
		if t := tenant.FromContext(c); v.Site != nil && t.Kind == tenant.Platform {
			tenant.WithTenant(c, tenant.Tenant{Kind: tenant.Platform, Host: t.Host, Site: v.Site})
		}
		Set(c, v)
		c.Next()
	}
}

// load reads the session of the request's cookie and re-checks its account
// on every request: the session is live and of this host and agency, the
// account exists, is enabled and has the session's version (so revocation,
// a new password or email end it at once), the agency is active.
func (l *Loader) load(c *gin.Context) (*Visitor, error) {
	tok := auth.SessionToken(c.Request)
	if tok == "" {
		return &Visitor{}, nil
	}
	t := tenant.FromContext(c)
	// One query: the session, and for a client its account and workspace.
	cs, err := l.Auth.ClientSessionByToken(c, tok, t.Host, l.Sessions)
	if errors.Is(err, store.ErrNotFound) {
		return &Visitor{}, nil
	}
	if err != nil {
		return nil, err
	}
	sess := cs.Session
	v := &Visitor{Token: tok, Session: sess, SecondFactorOwed: sess.SecondFactorPending}
	if v.SecondFactorOwed && store.Now().Sub(sess.CreatedAt) > auth.PendingSecondFactorTTL {
		return l.end(c, tok)
	}
	if sess.Kind == auth.KindOperator {
		return l.operator(c, v)
	}
	if t.Kind == tenant.AgencyHost && (t.Site == nil || sess.AgencyID != t.Site.Agency.ID) {
		return &Visitor{}, nil // another agency's session: nobody here
	}
	if t.Kind != tenant.AgencyHost && t.Kind != tenant.Platform {
		return &Visitor{}, nil
	}
	site := l.Resolver.SiteByID(sess.AgencyID)
	if site == nil || !site.Agency.Active() {
		return &Visitor{}, nil
	}
	v.Site = site
	switch sess.Kind {
	case auth.KindClient:
		a := cs.Account
		if a == nil || !a.Enabled || a.SessionVersion != sess.SessionVersion || cs.WorkspaceName == "" {
			return l.end(c, tok) // revoked or reset: over, on its very next request
		}
		v.Kind, v.Client, v.Language = auth.KindClient, a, a.Language
		v.WorkspaceName, v.DataVersion = cs.WorkspaceName, cs.DataVersion
		return v, nil
	case auth.KindStaff:
		return l.staff(c, v)
	}
	return &Visitor{}, nil
}

// staff completes a staff member's visitor, with the client they preview.
func (l *Loader) staff(c *gin.Context, v *Visitor) (*Visitor, error) {
	sess := v.Session
	st, err := l.Auth.StaffByID(c, sess.AgencyID, sess.SubjectID)
	if errors.Is(err, store.ErrNotFound) {
		return l.end(c, v.Token)
	}
	if err != nil {
		return nil, err
	}
	if st.Disabled || st.SessionVersion != sess.SessionVersion {
		return l.end(c, v.Token)
	}
	v.Kind, v.Staff, v.Language = auth.KindStaff, st, st.Language
	if sess.PreviewWorkspaceID == "" || v.SecondFactorOwed || !st.MayPreview(v.Site.Agency.RequireStaffTOTP) {
		return v, nil
	}
	a, err := l.Auth.PortalAccountOf(c, sess.AgencyID, sess.PreviewWorkspaceID)
	if errors.Is(err, store.ErrNotFound) {
		return v, nil
	}
	if err != nil {
		return nil, err
	}
	v.Client, v.Preview = a, true
	return v, nil
}

// operator completes an operator's visitor: only on the platform host.
func (l *Loader) operator(c *gin.Context, v *Visitor) (*Visitor, error) {
	if tenant.FromContext(c).Kind != tenant.Platform {
		return &Visitor{}, nil
	}
	op, err := l.Auth.OperatorByID(c, v.Session.SubjectID)
	if errors.Is(err, store.ErrNotFound) {
		return l.end(c, v.Token)
	}
	if err != nil {
		return nil, err
	}
	if op.SessionVersion != v.Session.SessionVersion || op.Disabled {
		return l.end(c, v.Token)
	}
	v.Kind, v.Operator = auth.KindOperator, op
	return v, nil
}

// end deletes a session that is over and clears its cookie: nobody.
func (l *Loader) end(c *gin.Context, tok string) (*Visitor, error) {
	if err := l.Auth.DeleteSession(c, tok); err != nil {
		return nil, err
	}
	auth.ClearSessionCookie(c.Writer, c.Request)
	return &Visitor{}, nil
}
