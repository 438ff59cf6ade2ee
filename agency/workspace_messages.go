package agency

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"workrate/workspace"
)

// messagesPage is the data of staff/ws_messages: a page of the thread,
// oldest to newest, with a link to older posts.
type messagesPage struct {
	workspacePage
	Messages []workspace.Message
	OlderURL string
	NewerURL string // back to the latest posts, when looking at older ones
	Body     string
	Errors   formErrors
}

func (h *Handler) renderMessages(c *gin.Context, status int, body string, errs formErrors) error {
	ws := workspaceOf(c)
	cursor := c.Query("cursor")
	page, err := h.work.Messages(c, staffScope(c), workspace.ListOptions{Limit: staffPageSize, Cursor: cursor})
	if _, bad := formErrorsOf(h.localizer(c), err); bad {
		cursor = ""
		page, err = h.work.Messages(c, staffScope(c), workspace.ListOptions{Limit: staffPageSize})
	}
	if err != nil {
		return err
	}
	p := messagesPage{Messages: page.Items, Body: body, Errors: errs}
	if page.Next != "" {
		p.OlderURL = "/staff/workspaces/" + ws.ID + "/messages?" + url.Values{"cursor": {page.Next}}.Encode()
	}
	if cursor != "" {
		p.NewerURL = "/staff/workspaces/" + ws.ID + "/messages"
	}
	if p.Errors == nil {
		p.Errors = formErrors{}
	}
	p.workspacePage = h.workspaceBase(c, TabMessages, "staff.messages.title")
	return h.renderer.HTML(c, status, "staff/ws_messages", &p)
}

// showMessages shows the workspace's thread, newest at the bottom.
func (h *Handler) showMessages(c *gin.Context) error {
	return h.renderMessages(c, http.StatusOK, "", nil)
}

// postMessage posts to the thread; the client sees it.
func (h *Handler) postMessage(c *gin.Context) error {
	body := c.PostForm("body")
	_, err := h.work.PostMessage(c, staffScope(c), actorOf(c), body)
	if errs, ok := formErrorsOf(h.localizer(c), err); ok {
		return h.renderMessages(c, http.StatusUnprocessableEntity, body, errs)
	}
	if err != nil {
		return err
	}
	return redirect(c, "/staff/workspaces/"+workspaceOf(c).ID+"/messages#reply")
}
