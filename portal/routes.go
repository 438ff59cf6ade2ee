package portal

import (
	"github.com/gin-gonic/gin"

	"workrate/workspace"
)

// Routes registers the portal's pages at the root of the site group. A tool
// the client may not see answers 404 on every method, like a path that never
// existed; in a staff preview every write answers 405.
func (h *Handler) Routes(r *gin.RouterGroup) {
	r.GET("/login", h.page(h.showLogin))
	r.POST("/login", h.page(h.login))
	r.POST("/logout", h.page(h.logout))
	r.GET("/", h.optionalClient, h.page(h.showHome))

	in := r.Group("", h.requireClient) // session valid, account enabled, password changed
	in.GET("/password", h.page(h.showPassword))
	in.POST("/password", h.writes, h.page(h.changePassword))
	in.GET(codePath, h.page(h.showCode))
	in.POST(codePath, h.page(h.verifyCode))
	in.GET(twoFactorPath, h.page(h.showTwoFactor))
	in.POST(twoFactorPath+"/start", h.writes, h.page(h.twoFactor.Start))
	in.POST(twoFactorPath+"/confirm", h.writes, h.page(h.twoFactor.Confirm))
	in.POST(twoFactorPath+"/disable", h.writes, h.page(h.twoFactor.Disable))

	tickets := in.Group("/tickets", h.requireTool(workspace.ToolTickets))
	tickets.GET("", h.page(h.showTickets))
	tickets.POST("", h.writes, h.page(h.createTicket))
	tickets.GET("/:id", h.page(h.showTicket))
	tickets.POST("/:id/replies", h.writes, h.page(h.replyTicket))

	messages := in.Group("/messages", h.requireTool(workspace.ToolMessages))
	messages.GET("", h.page(h.showMessages))
	messages.POST("", h.writes, h.page(h.postMessage))

	tasks := in.Group("/tasks", h.requireTool(workspace.ToolTasks)) // read-only: no write route exists
	tasks.GET("", h.page(h.showTasks))

	invoices := in.Group("/invoices", h.requireTool(workspace.ToolInvoices))
	invoices.GET("", h.page(h.showInvoices))
	invoices.GET("/:id", h.page(h.showInvoice))
}
