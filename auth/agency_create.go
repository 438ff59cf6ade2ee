package auth

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"workrate/tenant"
)

// CreateAgency creates an agency and its owner (with an already hashed
// password) in one transaction. A taken slug or owner email is
// store.ErrConflict; a refused slug or name is the tenant package's error.
func CreateAgency(ctx context.Context, db *bun.DB, name, slug, ownerEmail, ownerName, passwordHash string) (*tenant.Agency, error) {
	var a *tenant.Agency
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if a, err = tenant.NewStore(tx).CreateAgency(ctx, name, slug); err != nil {
			return err
		}
		_, err = NewStore(tx).CreateStaff(ctx, a.ID, ownerEmail, ownerName, RoleOwner, passwordHash)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("auth: create agency %s: %w", slug, err)
	}
	return a, nil
}
