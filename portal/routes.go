package portal

import (
	"github.com/gin-gonic/gin"

	"workrate/access"
)

// Routes registers the portal's pages at the root of the site group.
func (h *Handler) Routes(r *gin.RouterGroup) {
	r.GET("/login", h.page(h.showLogin))
	r.POST("/login", h.page(h.login))
	r.POST("/logout", h.page(h.logout))
	r.GET("/", h.optionalClient, h.page(h.showHome))

	in := r.Group("", h.requireClient) // session valid, account enabled, password changed
	in.GET("/password", h.page(h.showPassword))
	in.POST("/password", h.writes, h.page(h.changePassword))

	_ = access.AllTools
}
