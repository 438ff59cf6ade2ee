package operator

import (
	"context"

	"github.com/gin-gonic/gin"
	"github.com/uptrace/bun"

	"workrate/auth"
	"workrate/store"
	"workrate/tenant"
)

// suspendAgency stops serving every host of an agency (its subdomain and
// custom domains, pages and certificates) at once on this instance, and on
// the others within a refresh; its staff's and clients' sessions end at once
// everywhere.
func (h *Handler) suspendAgency(c *gin.Context) error {
	return h.setAgencyStatus(c, tenant.StatusSuspended, "suspended")
}

// reactivateAgency serves an agency's hosts again.
func (h *Handler) reactivateAgency(c *gin.Context) error {
	return h.setAgencyStatus(c, tenant.StatusActive, "reactivated")
}

func (h *Handler) setAgencyStatus(c *gin.Context, status, done string) error {
	id := c.Param("id")
	if !store.ValidID(id) {
		return store.ErrNotFound
	}
	if err := setAgencyStatus(c, h.db, id, status); err != nil {
		return err
	}
	if err := h.resolver.Refresh(c); err != nil {
		return err
	}
	return redirect(c, "/operator/agencies?done="+done)
}

// setAgencyStatus changes an agency's status; suspending it also deletes
// every session of its staff and clients in the same transaction. Sessions
// are rows read on every request, so they end on every instance at once, and
// reactivating the agency does not bring them back.
func setAgencyStatus(ctx context.Context, db *bun.DB, id, status string) error {
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := tenant.NewStore(tx).SetStatus(ctx, id, status); err != nil {
			return err
		}
		if status != tenant.StatusSuspended {
			return nil
		}
		return auth.NewStore(tx).DeleteAgencySessions(ctx, id)
	})
}
