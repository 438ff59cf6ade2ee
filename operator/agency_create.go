package operator

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/uptrace/bun"

	"workrate/auth"
	"workrate/field"
	"workrate/store"
	"workrate/tenant"
)

// createAgency creates an agency and its owner, who signs in with the
// password the operator chose (and may change it).
func (h *Handler) createAgency(c *gin.Context) error {
	l := h.localizer(c)
	form := agencyForm{
		Name: strings.TrimSpace(c.PostForm("name")), Slug: strings.ToLower(strings.TrimSpace(c.PostForm("slug"))),
		OwnerEmail: strings.TrimSpace(c.PostForm("owner_email")), OwnerName: strings.TrimSpace(c.PostForm("owner_name")),
		Errors: map[string]string{},
	}
	password := c.PostForm("owner_password")
	if form.Name == "" || len([]rune(form.Name)) > 120 {
		form.Errors["name"] = l.T("operator.agencies.error.name")
	}
	if err := tenant.ValidateSlug(form.Slug); errors.Is(err, tenant.ErrReservedSlug) {
		form.Errors["slug"] = l.T("operator.agencies.error.slug_reserved")
	} else if err != nil {
		form.Errors["slug"] = l.T("operator.agencies.error.slug")
	}
	email, err := auth.NormalizeEmail(form.OwnerEmail)
	if err != nil {
		form.Errors["owner_email"] = l.T("field.invalid_email")
	}
	if form.OwnerName == "" {
		form.OwnerName = email
	}
	if fe := field.As(auth.ValidateNewPassword(password)); fe != nil {
		form.Errors["owner_password"] = l.FieldMessage(fe)
	}
	if len(form.Errors) > 0 {
		return h.renderAgencies(c, http.StatusUnprocessableEntity, form)
	}
	hash, err := h.hashes.Hash(password)
	if errors.Is(err, auth.ErrBusy) {
		c.Header("Retry-After", "1")
		h.renderer.Error(c, http.StatusTooManyRequests)
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := CreateAgency(c, h.db, form.Name, form.Slug, email, form.OwnerName, hash); err != nil {
		if errors.Is(err, store.ErrConflict) {
			form.Errors["slug"] = l.T("operator.agencies.error.slug_taken")
			return h.renderAgencies(c, http.StatusConflict, form)
		}
		return err
	}
	if err := h.resolver.Refresh(c); err != nil {
		return err
	}
	return redirect(c, "/operator/agencies?done=created")
}

// CreateAgency creates an agency and its owner (with an already hashed
// password) in one transaction; the console and the command line both use
// it. A taken slug or owner email is store.ErrConflict; a refused slug or
// name is the tenant package's error.
func CreateAgency(ctx context.Context, db *bun.DB, name, slug, ownerEmail, ownerName, passwordHash string) (*tenant.Agency, error) {
	var a *tenant.Agency
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if a, err = tenant.NewStore(tx).CreateAgency(ctx, name, slug); err != nil {
			return err
		}
		_, err = auth.NewStore(tx).CreateStaff(ctx, a.ID, ownerEmail, ownerName, auth.RoleOwner, passwordHash)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("create agency %s: %w", slug, err)
	}
	return a, nil
}
