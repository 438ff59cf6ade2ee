package portal

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/branding"
	"workrate/locale"
	"workrate/store"
	"workrate/tenant"
	"workrate/web"
	"workrate/workspace"
)

// client is who is looking at the portal: a signed-in client, or a staff
// member previewing a client's portal read-only.
type client struct {
	Account   *auth.PortalAccount
	Workspace *workspace.Workspace
	Site      *tenant.Site
	Session   *auth.Session
	Token     string
	Preview   bool        // staff previewing: nothing can be written
	Staff     *auth.Staff // the previewing staff member
	before    hostState   // the request as the host alone made it, for 404s
}

// Scope is the client's only door into workspace data: its own workspace,
// with the client audience (nothing internal).
func (cl *client) Scope() workspace.Scope {
	return workspace.ClientScope(cl.Account.AgencyID, cl.Account.WorkspaceID)
}

// Tools lists the tools the client may open, in canonical order.
func (cl *client) Tools() []workspace.Tool { return workspace.ParseTools(cl.Account.Tools) }

// Has reports whether the client may open tool.
func (cl *client) Has(tool workspace.Tool) bool { return workspace.HasTool(cl.Tools(), tool) }

// hostState is what the host middlewares put on the request.
type hostState struct {
	tenant    tenant.Tenant
	brand     branding.Brand
	hasBrand  bool
	localizer *locale.Localizer
}

const clientKey = "workrate.portal.client"

// clientOf returns the request's client, or nil before requireClient.
func clientOf(c *gin.Context) *client {
	if v, ok := c.Get(clientKey); ok {
		if cl, ok := v.(*client); ok {
			return cl
		}
	}
	return nil
}

// loadClient re-checks the session on every request: the session is live and
// of this host and agency, the account exists, is enabled and has the
// session's version (so revocation, a new password or email end it at once).
// It returns nil when nobody may see the portal.
func (h *Handler) loadClient(c *gin.Context) (*client, error) {
	tok := auth.SessionToken(c.Request)
	if tok == "" {
		return nil, nil
	}
	t := tenant.FromContext(c)
	// One query: the session, and for a client its account and workspace name.
	cs, err := h.Auth.ClientSessionByToken(c, tok, t.Host, h.Sessions)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	sess := cs.Session
	if t.Kind == tenant.AgencyHost && (t.Site == nil || sess.AgencyID != t.Site.Agency.ID) {
		return nil, nil
	}
	site := h.Resolver.SiteByID(sess.AgencyID)
	if site == nil || !site.Agency.Active() {
		return nil, nil
	}
	switch sess.Kind {
	case auth.KindClient:
		a := cs.Account
		expired := sess.SecondFactorPending && store.Now().Sub(sess.CreatedAt) > auth.PendingSecondFactorTTL
		if a == nil || !a.Enabled || a.SessionVersion != sess.SessionVersion || expired {
			// Revoked or reset: this session is over, on its very next request.
			_ = h.Auth.DeleteSession(c, tok)
			auth.ClearSessionCookie(c.Writer, c.Request)
			return nil, nil
		}
		if cs.WorkspaceName == "" {
			return nil, nil // no workspace, no portal
		}
		w := &workspace.Workspace{ID: a.WorkspaceID, AgencyID: a.AgencyID, Name: cs.WorkspaceName, DataVersion: cs.DataVersion}
		return &client{Account: a, Workspace: w, Site: site, Session: sess, Token: tok}, nil
	case auth.KindStaff:
		if sess.PreviewWorkspaceID == "" || sess.SecondFactorPending {
			return nil, nil
		}
		st, err := h.Auth.StaffByID(c, sess.AgencyID, sess.SubjectID)
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		if st.Disabled || st.SessionVersion != sess.SessionVersion {
			return nil, nil
		}
		a, err := h.Auth.PortalAccountOf(c, sess.AgencyID, sess.PreviewWorkspaceID)
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return h.withWorkspace(c, &client{Account: a, Site: site, Session: sess, Token: tok, Preview: true, Staff: st})
	}
	return nil, nil
}

// withWorkspace loads the client's workspace; without one there is no portal.
func (h *Handler) withWorkspace(c *gin.Context, cl *client) (*client, error) {
	w, err := h.Store.Workspace(c, cl.Account.AgencyID, cl.Account.WorkspaceID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	cl.Workspace = w
	return cl, nil
}

// apply makes the request act for the client's agency: on the platform host
// its tenant and brand, and everywhere the client's language.
func (h *Handler) apply(c *gin.Context, cl *client) {
	t := tenant.FromContext(c)
	b, hasBrand := web.BrandOf(c)
	cl.before = hostState{tenant: t, brand: b, hasBrand: hasBrand, localizer: web.LocalizerOf(c)}
	if t.Kind == tenant.Platform {
		tenant.WithTenant(c, tenant.Tenant{Kind: tenant.Platform, Host: t.Host, Site: cl.Site})
	}
	web.SetBrand(c, cl.Site.Brand)
	chosen, _ := c.Cookie("lang")
	web.SetLocalizer(c, h.Bundle.Localizer(h.Bundle.Match(cl.Account.Language, chosen, cl.Site.Agency.DefaultLanguage, c.GetHeader("Accept-Language"))))
	web.SetViewer(c, &web.Viewer{Name: cl.Workspace.Name, Kind: auth.KindClient})
	c.Set(clientKey, cl)
}

// restoreHost undoes apply, so that a page answers as the host alone would.
func (h *Handler) restoreHost(c *gin.Context, cl *client) {
	tenant.WithTenant(c, cl.before.tenant)
	if cl.before.hasBrand {
		web.SetBrand(c, cl.before.brand)
	}
	if cl.before.localizer != nil {
		web.SetLocalizer(c, cl.before.localizer)
	}
	web.SetViewer(c, nil)
	c.Set(clientKey, (*client)(nil))
}

// requireClient lets only a signed-in client (or a previewing staff member)
// through; before the temporary password is changed, only /password opens.
func (h *Handler) requireClient(c *gin.Context) {
	cl, err := h.loadClient(c)
	if err != nil {
		h.Renderer.Fail(c, fmt.Errorf("portal session: %w", err))
		return
	}
	h.admit(c, cl)
}

// admit lets cl through, or sends nobody to the sign-in page.
func (h *Handler) admit(c *gin.Context, cl *client) {
	if cl == nil {
		web.ToSignIn(c, "/login")
		return
	}
	if target := h.gate(cl, c.Request.URL.Path); target != "" {
		c.Redirect(http.StatusSeeOther, target)
		c.Abort()
		return
	}
	h.apply(c, cl)
	c.Next()
}

// gate says where a signed-in client must go before path opens, or "": a
// session waiting for its second factor reaches only the code page; then the
// temporary password is changed; then, where the agency requires two-factor
// sign-in, the client enrols before anything else opens.
func (h *Handler) gate(cl *client, path string) string {
	if cl.Preview {
		return ""
	}
	pending := cl.Session.SecondFactorPending
	switch {
	case pending && path != codePath:
		return codePath
	case pending:
		return ""
	case path == codePath:
		return "/"
	case cl.Account.MustChangePassword && path != "/password":
		return "/password"
	case cl.Account.MustChangePassword:
		return ""
	case cl.Account.TOTPMode == auth.TOTPRequired && !cl.Account.TOTPEnabled && !strings.HasPrefix(path, twoFactorPath):
		return twoFactorPath
	}
	return ""
}

// optionalClient is requireClient for "/": nobody signed in gets the host's front page.
func (h *Handler) optionalClient(c *gin.Context) {
	cl, err := h.loadClient(c)
	if err != nil {
		h.Renderer.Fail(c, fmt.Errorf("portal session: %w", err))
		return
	}
	if cl == nil {
		h.Home(c)
		c.Abort()
		return
	}
	h.admit(c, cl)
}

// writes refuses every write in a preview: staff look, they never act as the client.
func (h *Handler) writes(c *gin.Context) {
	if cl := clientOf(c); cl != nil && cl.Preview {
		h.Renderer.Error(c, http.StatusMethodNotAllowed)
		return
	}
	c.Next()
}

// requireTool answers a tool the client may not see exactly like a path that
// never existed.
func (h *Handler) requireTool(tool workspace.Tool) gin.HandlerFunc {
	return func(c *gin.Context) {
		cl := clientOf(c)
		if cl == nil || !cl.Has(tool) {
			if cl != nil {
				h.restoreHost(c, cl)
			}
			h.NotFound(c)
			c.Abort()
			return
		}
		c.Next()
	}
}
