package agency

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/access"
	"workrate/auth"
	"workrate/store"
	"workrate/web"
	"workrate/workspace"
)

// portalRoutes registers a workspace's Client Portal section and the client
// preview on ws (/staff/workspaces/:id, the workspace loaded). Only owners
// and admins manage portal access: for members the section does not exist
// (404). Leaving a preview (/staff/preview/end) is open to any staff session.
func (h *Handler) portalRoutes(ws, in *gin.RouterGroup) {
	p := ws.Group("/portal", h.requireManager)
	p.GET("", h.page(h.showPortalAccess))
	p.POST("", h.page(h.savePortalAccess))
	p.POST("/preview", h.page(h.startPreview))
	in.POST("/preview/end", h.page(h.endPreview))
}

// portalAccessPage is the data of staff/portal_access.
type portalAccessPage struct {
	workspacePage
	Workspace *workspace.Workspace
	Account   *auth.PortalAccount // nil until access was first saved
	CanManage bool
	Form      portalForm
	// TwoFactorEnabled says whether the client has set up an authenticator.
	TwoFactorEnabled bool
	// TwoFactorModes are the choices of the two-factor select.
	TwoFactorModes []string
	Errors         formErrors
	Tools          []toolOption
	LoginURL       string
	Expired        bool
	Onboarding     string // shown once, in the answer to the save that set a password
	Attempts       []auth.Attempt
	Changes        []auth.PortalEvent
	MinLength      int
}

// portalForm is the section's form as shown or as submitted.
type portalForm struct {
	Enabled           bool
	LoginEmail        string
	TwoFactor         string // auth.TOTPOff, TOTPOptional or TOTPRequired
	TemporaryPassword string
	Tools             []string
}

// toolOption is one tool checkbox.
type toolOption struct {
	Name    string
	Checked bool
}

// historyLimit is how many attempts and changes the section lists.
const historyLimit = 25

// portalPage gathers the section's data for workspace w, with form as shown.
func (h *Handler) portalPage(c *gin.Context, w *workspace.Workspace, form *portalForm) (portalAccessPage, error) {
	a := agencyOf(c)
	p := portalAccessPage{Workspace: w, CanManage: staffOf(c).CanManage(), Errors: formErrors{},
		LoginURL: h.access.LoginURL(*a), MinLength: auth.MinPasswordLength}
	acct, err := h.access.Account(c, a.ID, w.ID)
	switch {
	case err == nil:
		p.Account = acct
		p.Expired = acct.PasswordExpired(store.Now())
	case !errors.Is(err, store.ErrNotFound):
		return p, err
	}
	if form == nil {
		form = &portalForm{Tools: []string{string(workspace.ToolDashboard), string(workspace.ToolTickets)}, TwoFactor: auth.TOTPOff}
		if acct != nil {
			form = &portalForm{Enabled: acct.Enabled, LoginEmail: acct.LoginEmail, Tools: workspace.ToolNames(workspace.ParseTools(acct.Tools)), TwoFactor: acct.TOTPMode}
			p.TwoFactorEnabled = acct.TOTPEnabled
		}
	}
	p.Form = *form
	p.TwoFactorModes = []string{auth.TOTPOff, auth.TOTPOptional, auth.TOTPRequired}
	for _, t := range workspace.AllTools() {
		checked := false
		for _, x := range form.Tools {
			checked = checked || x == string(t)
		}
		p.Tools = append(p.Tools, toolOption{Name: string(t), Checked: checked})
	}
	if p.Attempts, err = h.access.Attempts(c, a.ID, w.ID, historyLimit); err != nil {
		return p, err
	}
	if p.Changes, err = h.access.Changes(c, a.ID, w.ID, historyLimit); err != nil {
		return p, err
	}
	return p, nil
}

// renderPortalAccess answers the section with status.
func (h *Handler) renderPortalAccess(c *gin.Context, status int, p portalAccessPage, flashID string) error {
	p.workspacePage = h.workspaceBase(c, TabPortal, "access.section.title")
	if flashID != "" {
		p.Flash = h.localizer(c).T(flashID)
	}
	if p.Onboarding != "" {
		// The page holds a password in clear: never kept by a cache.
		c.Header("Cache-Control", "no-store")
	}
	return h.renderer.HTML(c, status, "staff/portal_access", &p)
}

// sessionOf returns the request's staff session (set by requireStaff).
func sessionOf(c *gin.Context) *auth.Session {
	v, _ := c.Get(sessionKey)
	s, _ := v.(*auth.Session)
	return s
}

// accessActor is who changes portal access: the staff member or the API key.
func accessActor(c *gin.Context) access.Actor {
	a := actorOf(c)
	return access.Actor{Kind: a.Kind, ID: a.ID, Name: a.Name}
}

// busy answers a full hashing pool with 429 at once.
func busy(c *gin.Context, err error) error {
	c.Header("Retry-After", "1")
	return web.Status(http.StatusTooManyRequests, err)
}
