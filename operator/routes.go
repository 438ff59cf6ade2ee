package operator

import "github.com/gin-gonic/gin"

// Routes registers the console under /operator on the site group.
func (h *Handler) Routes(r *gin.RouterGroup) {
	op := r.Group("/operator", h.platformOnly)
	op.GET("/login", h.page(h.showLogin))
	op.POST("/login", h.page(h.login))
	op.POST("/logout", h.page(h.logout))

	in := op.Group("", h.requireOperator)
	in.GET("/login/code", h.page(h.showCode))
	in.POST("/login/code", h.page(h.verifyCode))
	in.GET("/two-factor", h.page(h.twoFactor.Show))
	in.POST("/two-factor/start", h.page(h.twoFactor.Start))
	in.POST("/two-factor/confirm", h.page(h.twoFactor.Confirm))
	in.POST("/two-factor/disable", h.page(h.twoFactor.Disable))
	in.GET("", h.page(h.showHome))
	in.GET("/agencies", h.page(h.showAgencies))
	in.POST("/agencies", h.page(h.createAgency))
	in.POST("/agencies/:id/suspend", h.page(h.suspendAgency))
	in.POST("/agencies/:id/reactivate", h.page(h.reactivateAgency))
	in.GET("/domains", h.page(h.showDomains))
	in.POST("/domains/:host/approve", h.page(h.approveDomain))
	in.POST("/domains/:host/check", h.page(h.checkDomain))
	in.POST("/domains/:host/remove", h.page(h.removeDomain))
}
