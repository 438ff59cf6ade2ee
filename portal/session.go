package portal

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/store"
	"workrate/tenant"
	"workrate/visitor"
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

// loadClient is the request's client, from its visitor (who re-checked the
// session and the account on this request): a signed-in client, or a staff
// member previewing a client's portal; nil when nobody may see the portal.
func (h *Handler) loadClient(c *gin.Context) (*client, error) {
	v := visitor.Of(c)
	switch {
	case v.Err != nil:
		return nil, v.Err
	case v.Kind == auth.KindClient:
		a := v.Client
		w := &workspace.Workspace{ID: a.WorkspaceID, AgencyID: a.AgencyID, Name: v.WorkspaceName, DataVersion: v.DataVersion}
		return &client{Account: a, Workspace: w, Site: v.Site, Session: v.Session, Token: v.Token}, nil
	case v.Kind == auth.KindStaff && v.Preview:
		return h.withWorkspace(c, &client{Account: v.Client, Site: v.Site, Session: v.Session, Token: v.Token, Preview: true, Staff: v.Staff})
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

// apply puts the client on the request and in the layout's frame.
func (h *Handler) apply(c *gin.Context, cl *client) {
	web.SetViewer(c, &web.Viewer{Name: cl.Workspace.Name, Kind: auth.KindClient})
	c.Set(clientKey, cl)
}

// asNobody undoes apply, so that a page answers as to nobody signed in
// (a tool the client may not see is a path that never existed).
func (h *Handler) asNobody(c *gin.Context) {
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
				h.asNobody(c)
			}
			h.NotFound(c)
			c.Abort()
			return
		}
		c.Next()
	}
}
