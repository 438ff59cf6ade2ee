package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"workrate/auth"
	"workrate/migrations/testdb"
	"workrate/store"
)

func TestOperatorCommands(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			st := auth.NewStore(db.DB)
			policy := auth.SessionPolicy{Idle: time.Hour, Max: time.Hour}
			run := func(args ...string) (string, error) {
				var out bytes.Buffer
				err := run(ctx, append(args, "--database-url", db.URL), &out)
				return out.String(), err
			}
			one := func(out string) cliOperator {
				t.Helper()
				var o cliOperator
				if err := json.Unmarshal([]byte(out), &o); err != nil {
					t.Fatalf("not one operator as JSON: %v: %s", err, out)
				}
				return o
			}
			signIn := func() string {
				t.Helper()
				op, err := st.OperatorByEmail(ctx, "ops@workrate.example")
				if err != nil {
					t.Fatal(err)
				}
				tok, err := st.CreateSession(ctx, &auth.Session{Kind: auth.KindOperator, SubjectID: op.ID, Host: "localhost", SessionVersion: op.SessionVersion}, policy)
				if err != nil {
					t.Fatal(err)
				}
				return tok
			}
			ended := func(tok string) bool {
				t.Helper()
				_, err := st.SessionByToken(ctx, tok, "localhost", policy)
				return errors.Is(err, store.ErrNotFound)
			}
			verifies := func(password string) bool {
				t.Helper()
				op, err := st.OperatorByEmail(ctx, "ops@workrate.example")
				if err != nil {
					t.Fatal(err)
				}
				ok, err := auth.VerifyPassword(op.PasswordHash, password)
				if err != nil {
					t.Fatal(err)
				}
				return ok
			}

			// create works as before.
			out, err := run("operator", "create", "--email", "Ops@Workrate.example", "--password", "first-operator-pass-1")
			if err != nil {
				t.Fatal(err)
			}
			var created map[string]string
			if err := json.Unmarshal([]byte(out), &created); err != nil || created["id"] == "" || created["email"] != "ops@workrate.example" || len(created) != 2 {
				t.Errorf("operator create printed %s (%v)", out, err)
			}

			tok := signIn()
			out, err = run("operator", "disable", "OPS@workrate.example")
			if err != nil {
				t.Fatal(err)
			}
			if o := one(out); o.ID != created["id"] || o.Email != "ops@workrate.example" || !o.Disabled || o.TemporaryPassword != "" {
				t.Errorf("operator disable printed %s", out)
			}
			if op, _ := st.OperatorByEmail(ctx, "ops@workrate.example"); op == nil || !op.Disabled {
				t.Error("operator not disabled in the database")
			}
			if !ended(tok) {
				t.Error("the disabled operator's session still opens")
			}

			out, err = run("operator", "enable", "ops@workrate.example")
			if err != nil {
				t.Fatal(err)
			}
			if o := one(out); o.Disabled {
				t.Errorf("operator enable printed %s", out)
			}
			if !ended(tok) {
				t.Error("enabling brought the old session back")
			}

			tok = signIn()
			out, err = run("operator", "reset-password", "ops@workrate.example")
			if err != nil {
				t.Fatal(err)
			}
			o := one(out)
			if o.TemporaryPassword == "" || o.Disabled || !verifies(o.TemporaryPassword) || verifies("first-operator-pass-1") {
				t.Errorf("reset-password printed %s; the printed password must be the only one that works", out)
			}
			if !ended(tok) {
				t.Error("the session from before reset-password still opens")
			}

			tok = signIn()
			out, err = run("operator", "reset-password", "ops@workrate.example", "--password", "chosen-operator-pass-2")
			if err != nil {
				t.Fatal(err)
			}
			if o := one(out); o.TemporaryPassword != "" || !verifies("chosen-operator-pass-2") {
				t.Errorf("reset-password --password printed %s", out)
			}
			if !ended(tok) {
				t.Error("the session from before reset-password --password still opens")
			}

			failures := []struct {
				args []string
				msg  string
			}{
				{[]string{"operator", "disable", "nobody@workrate.example"}, "no operator"},
				{[]string{"operator", "enable", "nobody@workrate.example"}, "no operator"},
				{[]string{"operator", "reset-password", "nobody@workrate.example"}, "no operator"},
				{[]string{"operator", "reset-password", "ops@workrate.example", "--password", "short"}, "password"},
				{[]string{"operator", "create", "--email", "ops@workrate.example", "--password", "another-operator-pass-3"}, "exists"},
				{[]string{"operator", "disable", "ops@workrate.example", "extra"}, "unexpected argument"},
			}
			for _, f := range failures {
				out, err := run(f.args...)
				if err == nil || !strings.Contains(err.Error(), f.msg) || out != "" {
					t.Errorf("%v = %q, %v; want an error containing %q and no output", f.args, out, err, f.msg)
				}
				if err != nil && strings.Contains(err.Error(), "\n") {
					t.Errorf("%v: error spans lines: %q", f.args, err)
				}
			}
			if !verifies("chosen-operator-pass-2") {
				t.Error("a refused reset-password changed the password")
			}
			for _, cmd := range []string{"disable", "enable", "reset-password"} {
				if _, err := run("operator", cmd); !errors.Is(err, errUsage) || !strings.Contains(err.Error(), "EMAIL is required") {
					t.Errorf("operator %s without EMAIL: %v, want the usage error", cmd, err)
				}
			}
		})
	}
}
