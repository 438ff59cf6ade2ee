package auth

import (
	"context"
	"errors"
	"testing"
	"time"

	"workrate/migrations/testdb"
	"workrate/store"
)

// Disabling an operator and setting their password end their sessions and
// move their session version on; enabling brings no session back; another
// operator is untouched.
func TestOperatorDisableEnableAndPassword(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			st := NewStore(db.DB)
			policy := SessionPolicy{Idle: time.Hour, Max: time.Hour}
			op, err := st.CreateOperator(ctx, "ops@workrate.example", "hash-1")
			if err != nil {
				t.Fatal(err)
			}
			other, err := st.CreateOperator(ctx, "other@workrate.example", "hash-x")
			if err != nil {
				t.Fatal(err)
			}
			if op.Disabled {
				t.Fatal("a new operator is disabled")
			}
			signIn := func(o *Operator) string {
				t.Helper()
				cur, err := st.OperatorByID(ctx, o.ID)
				if err != nil {
					t.Fatal(err)
				}
				tok, err := st.CreateSession(ctx, &Session{Kind: KindOperator, SubjectID: o.ID, Host: "localhost", SessionVersion: cur.SessionVersion}, policy)
				if err != nil {
					t.Fatal(err)
				}
				return tok
			}
			live := func(tok string) bool {
				t.Helper()
				_, err := st.SessionByToken(ctx, tok, "localhost", policy)
				if err != nil && !errors.Is(err, store.ErrNotFound) {
					t.Fatal(err)
				}
				return err == nil
			}
			load := func(id string) *Operator {
				t.Helper()
				o, err := st.OperatorByID(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				return o
			}
			otherTok := signIn(other)

			tok := signIn(op)
			if err := st.DisableOperator(ctx, op.ID); err != nil {
				t.Fatal(err)
			}
			got := load(op.ID)
			if !got.Disabled || got.SessionVersion != op.SessionVersion+1 {
				t.Errorf("after disable: disabled %v, session version %d (was %d)", got.Disabled, got.SessionVersion, op.SessionVersion)
			}
			if live(tok) {
				t.Error("the disabled operator's session still opens")
			}

			if err := st.EnableOperator(ctx, op.ID); err != nil {
				t.Fatal(err)
			}
			if got := load(op.ID); got.Disabled {
				t.Error("enable left the operator disabled")
			}
			if live(tok) {
				t.Error("enabling brought the old session back")
			}

			tok = signIn(op)
			before := load(op.ID)
			if err := st.SetOperatorPassword(ctx, op.ID, "hash-2"); err != nil {
				t.Fatal(err)
			}
			got = load(op.ID)
			if got.PasswordHash != "hash-2" || got.SessionVersion != before.SessionVersion+1 || got.Disabled {
				t.Errorf("after a new password: hash %q, session version %d (was %d), disabled %v", got.PasswordHash, got.SessionVersion, before.SessionVersion, got.Disabled)
			}
			if live(tok) {
				t.Error("the session from before the new password still opens")
			}

			if o := load(other.ID); o.Disabled || o.PasswordHash != "hash-x" || o.SessionVersion != other.SessionVersion || !live(otherTok) {
				t.Errorf("the other operator changed: %+v, session live %v", o, live(otherTok))
			}
			for name, f := range map[string]func() error{
				"disable":  func() error { return st.DisableOperator(ctx, store.NewID()) },
				"enable":   func() error { return st.EnableOperator(ctx, store.NewID()) },
				"password": func() error { return st.SetOperatorPassword(ctx, store.NewID(), "h") },
			} {
				if err := f(); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("%s of an unknown operator: %v, want ErrNotFound", name, err)
				}
			}
		})
	}
}
