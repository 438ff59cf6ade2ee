package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"workrate/store"
)

// ErrLastOwner refuses to remove or demote an agency's last owner.
var ErrLastOwner = errors.New("auth: an agency keeps at least one owner")

// ErrInvalidName refuses an empty or overlong staff name.
var ErrInvalidName = errors.New("auth: a name is 1 to 120 characters")

// ErrInvalidRole refuses a role that is not owner, admin or member.
var ErrInvalidRole = errors.New("auth: unknown role")

// StaffList returns the agency's staff, owners first, then by name.
func (s *Store) StaffList(ctx context.Context, agencyID string) ([]Staff, error) {
	var out []Staff
	err := s.db.NewSelect().Model(&out).Where("agency_id = ?", agencyID).
		OrderExpr("CASE role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END").Order("name", "id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: list staff: %w", store.Translate(err))
	}
	return out, nil
}

// SetStaffRole changes a staff member's role; demoting the last owner is ErrLastOwner.
func (s *Store) SetStaffRole(ctx context.Context, agencyID, id, role string) error {
	if !ValidRole(role) {
		return ErrInvalidRole
	}
	return s.changeOwners(ctx, agencyID, id, role != RoleOwner, func(ctx context.Context, tx bun.IDB) error {
		return s.updateStaff(ctx, tx, agencyID, id, "role = ?", role)
	})
}

// DeleteStaff removes a staff member and ends their sessions; removing the
// last owner is ErrLastOwner.
func (s *Store) DeleteStaff(ctx context.Context, agencyID, id string) error {
	return s.changeOwners(ctx, agencyID, id, true, func(ctx context.Context, tx bun.IDB) error {
		res, err := tx.NewDelete().Model((*Staff)(nil)).Where("agency_id = ? AND id = ?", agencyID, id).Exec(ctx)
		if err != nil {
			return fmt.Errorf("auth: delete staff %s: %w", id, store.Translate(err))
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("auth: delete staff %s: %w", id, store.ErrNotFound)
		}
		if _, err := tx.NewDelete().Model((*Session)(nil)).Where("kind = ? AND subject_id = ?", KindStaff, id).Exec(ctx); err != nil {
			return fmt.Errorf("auth: end sessions of %s: %w", id, store.Translate(err))
		}
		return nil
	})
}

// changeOwners runs change in a transaction that holds the agency's row, so
// that two owners demoting each other at once cannot leave none. When
// losesOwner is set and the staff member is the only owner, it is ErrLastOwner.
func (s *Store) changeOwners(ctx context.Context, agencyID, id string, losesOwner bool, change func(context.Context, bun.IDB) error) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if store.IsPostgres(tx) {
			// SQLite transactions start with an immediate write lock already.
			if _, err := tx.NewRaw("SELECT id FROM agencies WHERE id = ? FOR UPDATE", agencyID).Exec(ctx); err != nil {
				return fmt.Errorf("auth: lock agency: %w", store.Translate(err))
			}
		}
		st := new(Staff)
		if err := tx.NewSelect().Model(st).Where("agency_id = ? AND id = ?", agencyID, id).Scan(ctx); err != nil {
			return fmt.Errorf("auth: staff %s: %w", id, store.Translate(err))
		}
		if losesOwner && st.Role == RoleOwner {
			n, err := tx.NewSelect().Model((*Staff)(nil)).Where("agency_id = ? AND role = ?", agencyID, RoleOwner).Count(ctx)
			if err != nil {
				return fmt.Errorf("auth: count owners: %w", store.Translate(err))
			}
			if n <= 1 {
				return ErrLastOwner
			}
		}
		return change(ctx, tx)
	})
}

// SetStaffPassword stores a new password hash and bumps the session version,
// which ends every existing session of the account; it returns the new version.
func (s *Store) SetStaffPassword(ctx context.Context, agencyID, id, passwordHash string) (int, error) {
	st := new(Staff)
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.updateStaff(ctx, tx, agencyID, id, "password_hash = ?, session_version = session_version + 1", passwordHash); err != nil {
			return err
		}
		return tx.NewSelect().Model(st).Column("session_version").Where("agency_id = ? AND id = ?", agencyID, id).Scan(ctx)
	})
	if err != nil {
		return 0, fmt.Errorf("auth: set password of %s: %w", id, store.Translate(err))
	}
	return st.SessionVersion, nil
}

// SetStaffProfile changes a staff member's display name and preferred
// language ("" follows the browser and the agency default).
func (s *Store) SetStaffProfile(ctx context.Context, agencyID, id, name, language string) error {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 120 {
		return ErrInvalidName
	}
	return s.updateStaff(ctx, s.db, agencyID, id, "name = ?, language = ?", name, language)
}

// SetStaffLanguage saves a staff member's language choice ("" follows the
// browser and the agency default).
func (s *Store) SetStaffLanguage(ctx context.Context, agencyID, id, language string) error {
	return s.updateStaff(ctx, s.db, agencyID, id, "language = ?", language)
}

// TouchStaffLogin records a successful sign-in.
func (s *Store) TouchStaffLogin(ctx context.Context, agencyID, id string) error {
	return s.updateStaff(ctx, s.db, agencyID, id, "last_login_at = ?", store.Now())
}

func (s *Store) updateStaff(ctx context.Context, db bun.IDB, agencyID, id, set string, args ...any) error {
	res, err := db.NewUpdate().Model((*Staff)(nil)).Set(set, args...).Set("updated_at = ?", store.Now()).
		Where("agency_id = ? AND id = ?", agencyID, id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("auth: update staff %s: %w", id, store.Translate(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("auth: update staff %s: %w", id, store.ErrNotFound)
	}
	return nil
}
