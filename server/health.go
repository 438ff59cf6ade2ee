package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/store"
)

// healthz answers 200 while the process is up, on any host.
func (a *App) healthz(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.String(http.StatusOK, "ok\n")
}

// readyz answers 200 only while the database answers and the server is not
// shutting down, so that a load balancer stops sending requests first.
func (a *App) readyz(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	if a.draining.Load() {
		c.String(http.StatusServiceUnavailable, "shutting down\n")
		return
	}
	if err := store.Ping(c, a.db); err != nil {
		c.String(http.StatusServiceUnavailable, "database unavailable\n")
		return
	}
	c.String(http.StatusOK, "ready\n")
}
