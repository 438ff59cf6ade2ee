package operator

import (
	"errors"
	"fmt"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/store"
	"workrate/tenant"
	"workrate/web"
)

const operatorKey = "workrate.operator"

// requireOperator lets a request through only with a live operator session
// of this host; the account is re-read on every request, so a session whose
// version changed (password reset) ends at once.
func (h *Handler) requireOperator(c *gin.Context) {
	op, err := h.loadOperator(c)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			h.renderer.Fail(c, fmt.Errorf("operator session: %w", err))
			return
		}
		// The cookie stays: it may hold a live session of another kind on
		// this host (a client's), which a link here must not end.
		web.ToSignIn(c, "/operator/login")
		return
	}
	c.Set(operatorKey, op)
	web.SetViewer(c, &web.Viewer{Name: op.Email, Kind: auth.KindOperator})
	c.Next()
}

// loadOperator finds the request's operator; store.ErrNotFound means "not
// signed in" for any reason.
func (h *Handler) loadOperator(c *gin.Context) (*auth.Operator, error) {
	token := auth.SessionToken(c.Request)
	if token == "" {
		return nil, store.ErrNotFound
	}
	sess, err := h.auth.SessionByToken(c, token, tenant.FromContext(c).Host, h.sessions)
	if err != nil {
		return nil, err
	}
	if sess.Kind != auth.KindOperator {
		return nil, store.ErrNotFound
	}
	op, err := h.auth.OperatorByID(c, sess.SubjectID)
	if err != nil {
		return nil, err
	}
	if op.SessionVersion != sess.SessionVersion {
		return nil, store.ErrNotFound
	}
	return op, nil
}

// showHome sends the console's root to the agencies.
func (h *Handler) showHome(c *gin.Context) error { return redirect(c, "/operator/agencies") }
