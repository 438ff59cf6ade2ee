package agency

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"workrate/auth"
	"workrate/store"
	"workrate/web"
)

// teamPage is the data of staff/team: the agency's staff and the add form.
type teamPage struct {
	web.Base
	Staff  []auth.Staff
	Me     string
	Roles  []string
	Email  string
	Name   string
	Role   string
	Errors formErrors
	// ListError is a refusal about one member of the list (the last owner).
	ListError string
}

func (h *Handler) renderTeam(c *gin.Context, status int, p teamPage) error {
	staff, err := h.auth.StaffList(c, agencyOf(c).ID)
	if err != nil {
		return err
	}
	p.Staff, p.Me = staff, staffOf(c).ID
	p.Roles = []string{auth.RoleOwner, auth.RoleAdmin, auth.RoleMember}
	if p.Role == "" {
		p.Role = auth.RoleMember
	}
	if p.Errors == nil {
		p.Errors = formErrors{}
	}
	p.Base = h.staffBase(c, SectionTeam, "staff.team.title")
	return h.renderer.HTML(c, status, "staff/team", &p)
}

// showTeam lists the agency's staff (owners only).
func (h *Handler) showTeam(c *gin.Context) error {
	return h.renderTeam(c, http.StatusOK, teamPage{})
}

// addStaff adds a staff member with an initial password the owner hands over.
func (h *Handler) addStaff(c *gin.Context) error {
	l := h.localizer(c)
	p := teamPage{Email: strings.TrimSpace(c.PostForm("email")), Name: strings.TrimSpace(c.PostForm("name")),
		Role: c.PostForm("role"), Errors: formErrors{}}
	password := c.PostForm("password")
	email, err := auth.NormalizeEmail(p.Email)
	if err != nil {
		p.Errors["email"] = l.T("field.invalid_email")
	}
	if len([]rune(p.Name)) > 120 {
		p.Errors["name"] = l.T("field.too_long", "Limit", 120)
	}
	if !auth.ValidRole(p.Role) {
		p.Errors["role"] = l.T("field.invalid_choice")
	}
	if err := auth.ValidateNewPassword(password); err != nil {
		p.Errors["password"] = passwordError(l, err)
	}
	if p.Errors.Any() {
		return h.renderTeam(c, http.StatusUnprocessableEntity, p)
	}
	hash, err := h.hashes.Hash(password)
	if errors.Is(err, auth.ErrBusy) {
		c.Header("Retry-After", "1")
		p.Errors["form"] = l.T("staff.login.busy")
		return h.renderTeam(c, http.StatusTooManyRequests, p)
	}
	if err != nil {
		return err
	}
	st, err := h.auth.CreateStaff(c, agencyOf(c).ID, email, p.Name, p.Role, hash)
	if err != nil {
		if errors.Is(err, store.ErrConflict) {
			p.Errors["email"] = l.T("staff.error.email_taken")
			return h.renderTeam(c, http.StatusConflict, p)
		}
		return err
	}
	// So that the platform host finds the account at its constant cost.
	if err := h.gate.Tag(c, staffHolder(st), st.Email, password); err != nil && !errors.Is(err, auth.ErrBusy) {
		return err
	}
	return redirect(c, "/staff/settings/team?done=staff_added")
}

// changeRole sets a member's role; the last owner keeps theirs.
func (h *Handler) changeRole(c *gin.Context) error {
	id := c.Param("id")
	if !store.ValidID(id) {
		return store.ErrNotFound
	}
	role := c.PostForm("role")
	if !auth.ValidRole(role) {
		return h.renderTeam(c, http.StatusUnprocessableEntity, teamPage{ListError: h.localizer(c).T("field.invalid_choice")})
	}
	err := h.auth.SetStaffRole(c, agencyOf(c).ID, id, role)
	if errors.Is(err, auth.ErrLastOwner) {
		return h.renderTeam(c, http.StatusConflict, teamPage{ListError: h.localizer(c).T("staff.error.last_owner")})
	}
	if err != nil {
		return err
	}
	return redirect(c, "/staff/settings/team?done=saved")
}

// removeStaff deletes a member and ends their sessions; not the last owner.
func (h *Handler) removeStaff(c *gin.Context) error {
	id := c.Param("id")
	if !store.ValidID(id) {
		return store.ErrNotFound
	}
	err := h.auth.DeleteStaff(c, agencyOf(c).ID, id)
	if errors.Is(err, auth.ErrLastOwner) {
		return h.renderTeam(c, http.StatusConflict, teamPage{ListError: h.localizer(c).T("staff.error.last_owner")})
	}
	if err != nil {
		return err
	}
	if id == staffOf(c).ID {
		auth.ClearSessionCookie(c.Writer, c.Request)
		return redirect(c, "/staff/login")
	}
	return redirect(c, "/staff/settings/team?done=staff_removed")
}
