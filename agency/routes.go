package agency

import (
	"github.com/gin-gonic/gin"
)

// Routes registers the back office under /staff on the site group (tenant,
// brand and locale already resolved).
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
	in.GET("/login/code", h.page(h.showStaffCode)) // only a session waiting for its second factor
	in.POST("/login/code", h.page(h.verifyStaffCode))
	in.GET("/account/two-factor", h.page(h.twoFactor.Show))
	in.POST("/account/two-factor/start", h.page(h.twoFactor.Start))
	in.POST("/account/two-factor/confirm", h.page(h.twoFactor.Confirm))
	in.POST("/account/two-factor/disable", h.page(h.twoFactor.Disable))

	in.GET("/workspaces", h.page(h.showWorkspaces))
	in.GET("/workspaces/new", h.page(h.showNewWorkspace))
	in.POST("/workspaces", h.page(h.createWorkspace))
	ws := in.Group("/workspaces/:id", h.loadWorkspace) // one of this agency's, else 404
	ws.GET("", h.page(h.showWorkspaceHome))
	ws.GET("/settings", h.page(h.showWorkspaceSettings))
	ws.POST("/settings", h.page(h.updateWorkspace))
	ws.GET("/tasks", h.page(h.showBoard))
	ws.POST("/tasks", h.page(h.createTask))
	ws.GET("/tasks/:task_id", h.page(h.showTask))
	ws.POST("/tasks/:task_id", h.page(h.updateTask))
	ws.POST("/tasks/:task_id/move", h.page(h.moveTask))
	ws.POST("/tasks/:task_id/delete", h.page(h.deleteTask))
	ws.GET("/messages", h.page(h.showMessages))
	ws.POST("/messages", h.page(h.postMessage))
	ws.GET("/tickets", h.page(h.showTickets))
	ws.GET("/tickets/new", h.page(h.showNewTicket))
	ws.POST("/tickets", h.page(h.createTicket))
	ws.GET("/tickets/:ticket_id", h.page(h.showTicket))
	ws.POST("/tickets/:ticket_id", h.page(h.updateTicket))
	ws.POST("/tickets/:ticket_id/comments", h.page(h.addComment))
	ws.GET("/invoices", h.page(h.showInvoices))
	ws.GET("/invoices/new", h.page(h.showNewInvoice))
	ws.POST("/invoices", h.page(h.createInvoice))
	ws.GET("/invoices/:invoice_id", h.page(h.showInvoice))
	ws.POST("/invoices/:invoice_id", h.page(h.updateInvoice))
	ws.GET("/notes", h.page(h.showNotes))
	ws.POST("/notes", h.page(h.createNote))
	ws.POST("/notes/:note_id", h.page(h.updateNote))
	ws.POST("/notes/:note_id/delete", h.page(h.deleteNote))
	ws.GET("/activity", h.page(h.showActivity))
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
	settings.GET("/domains", h.page(h.showDomains))
	settings.POST("/domains", h.page(h.addDomain))
	settings.POST("/domains/:host/check", h.page(h.checkDomain))
	settings.POST("/domains/:host/delete", h.page(h.removeDomain))
	h.brandingRoutes(settings) // /staff/settings/branding: the white label

	in.POST("/settings/two-factor", h.requireOwner, h.page(h.updateStaffTwoFactorRule))

	team := in.Group("/settings/team", h.requireOwner) // owners only
	team.GET("", h.page(h.showTeam))
	team.POST("", h.page(h.addStaff))
	team.POST("/:id/role", h.page(h.changeRole))
	team.POST("/:id/delete", h.page(h.removeStaff))

}

// showStaffHome sends /staff to the workspace list (or to sign-in).
func (h *Handler) showStaffHome(c *gin.Context) error {
	return redirect(c, "/staff/workspaces")
}
