package portal

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/web"
	"workrate/workspace"
)

// messagesPage is the workspace's thread and the reply form.
type messagesPage struct {
	web.Base
	Messages []workspace.Message
	Older    string // cursor of older messages
	Body     string
	Errors   map[string]string
}

// showMessages shows the thread, oldest to newest on its newest page.
func (h *Handler) showMessages(c *gin.Context) error {
	return h.renderMessages(c, http.StatusOK, "", nil)
}

func (h *Handler) renderMessages(c *gin.Context, status int, body string, errs map[string]string) error {
	cl := clientOf(c)
	page, err := h.Store.Messages(c, cl.Scope(), workspace.ListOptions{Cursor: c.Query("before")})
	if err != nil {
		return listError(err)
	}
	p := messagesPage{Messages: page.Items, Older: page.Next, Body: body, Errors: errs}
	p.Base = h.base(c, web.LocalizerOf(c).T("nav.messages"))
	return h.Renderer.HTML(c, status, "portal/messages", &p)
}
