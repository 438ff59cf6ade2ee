package operator_test

import (
	"context"
	"errors"
	"testing"

	"workrate/auth"
	"workrate/migrations/testdb"
	"workrate/operator"
	"workrate/store"
	"workrate/tenant"
)

func TestCreateAgencyWithOwner(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			a, err := operator.CreateAgency(ctx, db.DB, "Acme Studio", "acme", "owner@acme.example", "Olivia", "!hash")
			if err != nil {
				t.Fatal(err)
			}
			st, err := auth.NewStore(db.DB).StaffByEmail(ctx, a.ID, "owner@acme.example")
			if err != nil || st.Role != auth.RoleOwner || st.Name != "Olivia" {
				t.Fatalf("owner = %+v, %v", st, err)
			}
			if _, err := operator.CreateAgency(ctx, db.DB, "Acme Again", "acme", "other@acme.example", "Oscar", "!hash"); !errors.Is(err, store.ErrConflict) {
				t.Fatalf("taken slug: err = %v, want ErrConflict", err)
			}
			if _, err := operator.CreateAgency(ctx, db.DB, "Bad", "www", "o@bad.example", "O", "!hash"); !errors.Is(err, tenant.ErrReservedSlug) {
				t.Fatalf("reserved slug: err = %v, want ErrReservedSlug", err)
			}
			list, _ := auth.NewStore(db.DB).StaffByEmailAnyAgency(ctx, "other@acme.example", 5)
			if len(list) != 0 {
				t.Fatalf("a refused agency left its owner behind: %+v", list)
			}
		})
	}
}
