package agency

import (
	"github.com/gin-gonic/gin"
)

// Routes registers the back office under /staff and the JSON API under
// /api/v1 on the site group (tenant, brand and locale already resolved).
func (h *Handler) Routes(r *gin.RouterGroup) {
	s := r.Group("/staff")
	s.GET("", h.page(h.showStaffHome))
	s.GET("/login", h.page(h.showLogin))
	s.POST("/login", h.page(h.login))
	s.GET("/login/choose", h.page(h.showChoose)) // platform host: one email, several agencies
	s.POST("/login/choose", h.page(h.choose))
	s.POST("/logout", h.page(h.logout))

	in := s.Group("", h.requireStaff) // live session of this host; account re-checked
	in.GET("/account", h.page(h.showAccount))
	in.POST("/account", h.page(h.updateAccount))
	in.POST("/account/password", h.page(h.changePassword))

	in.GET("/workspaces", h.page(h.showWorkspaces))
	in.GET("/workspaces/new", h.page(h.showNewWorkspace))
	in.POST("/workspaces", h.page(h.createWorkspace))
	ws := in.Group("/workspaces/:id", h.loadWorkspace) // one of this agency's, else 404
	ws.GET("", h.page(h.showWorkspaceHome))
	ws.GET("/settings", h.page(h.showWorkspaceSettings))
	ws.POST("/settings", h.page(h.updateWorkspace))
	h.portalRoutes(ws, in) // the Client Portal section (managers) and the client preview

	settings := in.Group("/settings", h.requireManager) // owners and admins
	settings.GET("", h.page(h.showSettings))
	settings.POST("", h.page(h.updateSettings))
	settings.POST("/rates", h.page(h.addRate))
	settings.POST("/rates/:id", h.page(h.updateRate))
	settings.POST("/rates/:id/delete", h.page(h.deleteRate))
	settings.GET("/api-keys", h.page(h.showAPIKeys))
	settings.POST("/api-keys", h.page(h.createAPIKey))
	settings.POST("/api-keys/:id/revoke", h.page(h.revokeAPIKey))

	team := in.Group("/settings/team", h.requireOwner) // owners only
	team.GET("", h.page(h.showTeam))
	team.POST("", h.page(h.addStaff))
	team.POST("/:id/role", h.page(h.changeRole))
	team.POST("/:id/delete", h.page(h.removeStaff))

	h.APIRoutes(r)
}

// showStaffHome sends /staff to the workspace list (or to sign-in).
func (h *Handler) showStaffHome(c *gin.Context) error {
	return redirect(c, "/staff/workspaces")
}
