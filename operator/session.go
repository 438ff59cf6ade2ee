package operator

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/visitor"
	"workrate/web"
)

// Context keys of the signed-in operator and their session.
const (
	operatorKey        = "workrate.operator"
	operatorSessionKey = "workrate.operator.session"
)

// operatorOf returns the signed-in operator (set by requireOperator).
func operatorOf(c *gin.Context) *auth.Operator {
	v, _ := c.Get(operatorKey)
	op, _ := v.(*auth.Operator)
	return op
}

// sessionOf returns the signed-in operator's session (set by requireOperator).
func sessionOf(c *gin.Context) *auth.Session {
	v, _ := c.Get(operatorSessionKey)
	sess, _ := v.(*auth.Session)
	return sess
}

// requireOperator lets a request through only with a live operator session
// of this host (the visitor, re-checked on every request, so a session whose
// version changed, by a password reset, ends at once).
func (h *Handler) requireOperator(c *gin.Context) {
	v := visitor.Of(c)
	if v.Err != nil {
		h.renderer.Fail(c, fmt.Errorf("operator session: %w", v.Err))
		return
	}
	if v.Kind != auth.KindOperator {
		// The cookie stays: it may hold a live session of another kind on
		// this host (a client's), which a link here must not end.
		web.ToSignIn(c, "/operator/login")
		return
	}
	if target := h.operatorGate(v.Operator, v.Session, c.Request.URL.Path); target != "" {
		c.Abort()
		c.Redirect(http.StatusSeeOther, target)
		return
	}
	c.Set(operatorKey, v.Operator)
	c.Set(operatorSessionKey, v.Session)
	web.SetViewer(c, &web.Viewer{Name: v.Operator.Email, Kind: auth.KindOperator})
	c.Next()
}

// showHome sends the console's root to the agencies.
func (h *Handler) showHome(c *gin.Context) error { return redirect(c, "/operator/agencies") }
