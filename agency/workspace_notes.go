package agency

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"workrate/store"
	"workrate/workspace"
)

// noteForm is a note's form; AgencyOnly is on for a new note.
type noteForm struct {
	ID         string
	Body       string
	AgencyOnly bool
	Errors     formErrors
}

// notesPage is the data of staff/ws_notes.
type notesPage struct {
	workspacePage
	Notes []workspace.Note
	New   noteForm
	// Edit is the note whose edit failed, shown open with its messages.
	Edit noteForm
}

func (h *Handler) renderNotes(c *gin.Context, status int, p notesPage) error {
	notes, err := h.work.Notes(c, staffScope(c))
	if err != nil {
		return err
	}
	p.Notes = notes
	if p.New.Errors == nil {
		p.New = noteForm{AgencyOnly: true, Errors: formErrors{}}
	}
	if p.Edit.Errors == nil {
		p.Edit.Errors = formErrors{}
	}
	p.workspacePage = h.workspaceBase(c, TabNotes, "staff.notes.title")
	return h.renderer.HTML(c, status, "staff/ws_notes", &p)
}

// showNotes lists the workspace's CRM notes.
func (h *Handler) showNotes(c *gin.Context) error {
	return h.renderNotes(c, http.StatusOK, notesPage{})
}

func noteFormOf(c *gin.Context) noteForm {
	return noteForm{ID: c.Param("note_id"), Body: c.PostForm("body"), AgencyOnly: c.PostForm("agency_only") != ""}
}

// createNote adds a note; "Agency-only" is a checkbox checked by default.
func (h *Handler) createNote(c *gin.Context) error {
	f := noteFormOf(c)
	_, err := h.work.CreateNote(c, staffScope(c), actorOf(c), f.Body, f.AgencyOnly)
	if errs, ok := formErrorsOf(h.localizer(c), err); ok {
		f.Errors = errs
		return h.renderNotes(c, http.StatusUnprocessableEntity, notesPage{New: f})
	}
	if err != nil {
		return err
	}
	return redirect(c, "/staff/workspaces/"+workspaceOf(c).ID+"/notes?done=created")
}

// updateNote changes a note's text or visibility.
func (h *Handler) updateNote(c *gin.Context) error {
	f := noteFormOf(c)
	if _, err := h.work.Note(c, staffScope(c), f.ID); err != nil {
		return err
	}
	_, err := h.work.UpdateNote(c, staffScope(c), actorOf(c), f.ID, f.Body, f.AgencyOnly)
	if errs, ok := formErrorsOf(h.localizer(c), err); ok {
		f.Errors = errs
		return h.renderNotes(c, http.StatusUnprocessableEntity, notesPage{Edit: f})
	}
	if err != nil {
		return err
	}
	return redirect(c, "/staff/workspaces/"+workspaceOf(c).ID+"/notes?done=saved")
}

// deleteNote removes a note.
func (h *Handler) deleteNote(c *gin.Context) error {
	id := c.Param("note_id")
	if !store.ValidID(id) {
		return store.ErrNotFound
	}
	if err := h.work.DeleteNote(c, staffScope(c), actorOf(c), id); err != nil {
		return err
	}
	return redirect(c, "/staff/workspaces/"+workspaceOf(c).ID+"/notes?done=deleted")
}
