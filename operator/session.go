package operator

import (
	"fmt"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/visitor"
	"workrate/web"
)

const operatorKey = "workrate.operator"

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
	c.Set(operatorKey, v.Operator)
	web.SetViewer(c, &web.Viewer{Name: v.Operator.Email, Kind: auth.KindOperator})
	c.Next()
}

// showHome sends the console's root to the agencies.
func (h *Handler) showHome(c *gin.Context) error { return redirect(c, "/operator/agencies") }
