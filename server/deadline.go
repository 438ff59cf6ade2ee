package server

import (
	"context"
	"time"

	"github.com/gin-gonic/gin"
)

// DefaultRequestTimeout is how long a request may take (WORKRATE_REQUEST_TIMEOUT).
const DefaultRequestTimeout = 15 * time.Second

// deadline gives every request a deadline that reaches the database through
// the request's context: a query still waiting when it passes is cancelled,
// its transaction rolled back, and the request answers 503 (the handlers'
// adapters treat an ended context as "unavailable, retry").
func (a *App) deadline() gin.HandlerFunc {
	d := a.cfg.RequestTimeout
	if d <= 0 {
		d = DefaultRequestTimeout
	}
	return func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), d)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}
