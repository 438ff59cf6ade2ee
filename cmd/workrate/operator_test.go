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
			oc := &operatorCLI{
				ctx:    context.Background(),
				url:    db.URL,
				st:     auth.NewStore(db.DB),
				policy: auth.SessionPolicy{Idle: time.Hour, Max: time.Hour},
			}
			oc.create(t)
			oc.disableAndEnable(t)
			oc.resetPassword(t)
			oc.resetPasswordChosen(t)
			oc.failures(t)
			oc.usage(t)
		})
	}
}

// operatorCLI holds the world of TestOperatorCommands: one database, the
// operator the commands work on, and the id create printed. Its steps run in
// order.
type operatorCLI struct {
	ctx    context.Context
	url    string
	st     *auth.Store
	policy auth.SessionPolicy
	id     string // the id operator create printed
}

// run runs the command line args on the test database and returns its output.
func (oc *operatorCLI) run(args ...string) (string, error) {
	var out bytes.Buffer
	err := run(oc.ctx, append(args, "--database-url", oc.url), &out)
	return out.String(), err
}

// one reads out as one operator in JSON.
func (oc *operatorCLI) one(t *testing.T, out string) cliOperator {
	t.Helper()
	var o cliOperator
	if err := json.Unmarshal([]byte(out), &o); err != nil {
		t.Fatalf("not one operator as JSON: %v: %s", err, out)
	}
	return o
}

// signIn opens a session of the operator and returns its token.
func (oc *operatorCLI) signIn(t *testing.T) string {
	t.Helper()
	op, err := oc.st.OperatorByEmail(oc.ctx, "ops@workrate.example")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := oc.st.CreateSession(oc.ctx, &auth.Session{Kind: auth.KindOperator, SubjectID: op.ID, Host: "localhost", SessionVersion: op.SessionVersion}, oc.policy)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// ended reports whether the session of tok no longer opens.
func (oc *operatorCLI) ended(t *testing.T, tok string) bool {
	t.Helper()
	_, err := oc.st.SessionByToken(oc.ctx, tok, "localhost", oc.policy)
	return errors.Is(err, store.ErrNotFound)
}

// verifies reports whether password is the operator's password.
func (oc *operatorCLI) verifies(t *testing.T, password string) bool {
	t.Helper()
	op, err := oc.st.OperatorByEmail(oc.ctx, "ops@workrate.example")
	if err != nil {
		t.Fatal(err)
	}
	ok, err := auth.VerifyPassword(op.PasswordHash, password)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// create: operator create works as before and prints the id and the email.
func (oc *operatorCLI) create(t *testing.T) {
	out, err := oc.run("operator", "create", "--email", "Ops@Workrate.example", "--password", "first-operator-pass-1")
	if err != nil {
		t.Fatal(err)
	}
	var created map[string]string
	if err := json.Unmarshal([]byte(out), &created); err != nil || created["id"] == "" || created["email"] != "ops@workrate.example" || len(created) != 2 {
		t.Errorf("operator create printed %s (%v)", out, err)
	}
	oc.id = created["id"]
}

// disableAndEnable: disable ends the operator's session; enable brings none back.
func (oc *operatorCLI) disableAndEnable(t *testing.T) {
	tok := oc.signIn(t)
	out, err := oc.run("operator", "disable", "OPS@workrate.example")
	if err != nil {
		t.Fatal(err)
	}
	if o := oc.one(t, out); o.ID != oc.id || o.Email != "ops@workrate.example" || !o.Disabled || o.TemporaryPassword != "" {
		t.Errorf("operator disable printed %s", out)
	}
	if op, _ := oc.st.OperatorByEmail(oc.ctx, "ops@workrate.example"); op == nil || !op.Disabled {
		t.Error("operator not disabled in the database")
	}
	if !oc.ended(t, tok) {
		t.Error("the disabled operator's session still opens")
	}

	out, err = oc.run("operator", "enable", "ops@workrate.example")
	if err != nil {
		t.Fatal(err)
	}
	if o := oc.one(t, out); o.Disabled {
		t.Errorf("operator enable printed %s", out)
	}
	if !oc.ended(t, tok) {
		t.Error("enabling brought the old session back")
	}
}

// resetPassword: reset-password prints a temporary password, the only one
// that works, and ends the sessions from before.
func (oc *operatorCLI) resetPassword(t *testing.T) {
	tok := oc.signIn(t)
	out, err := oc.run("operator", "reset-password", "ops@workrate.example")
	if err != nil {
		t.Fatal(err)
	}
	o := oc.one(t, out)
	if o.TemporaryPassword == "" || o.Disabled || !oc.verifies(t, o.TemporaryPassword) || oc.verifies(t, "first-operator-pass-1") {
		t.Errorf("reset-password printed %s; the printed password must be the only one that works", out)
	}
	if !oc.ended(t, tok) {
		t.Error("the session from before reset-password still opens")
	}
}

// resetPasswordChosen: reset-password --password sets the chosen password,
// prints none, and ends the sessions from before.
func (oc *operatorCLI) resetPasswordChosen(t *testing.T) {
	tok := oc.signIn(t)
	out, err := oc.run("operator", "reset-password", "ops@workrate.example", "--password", "chosen-operator-pass-2")
	if err != nil {
		t.Fatal(err)
	}
	if o := oc.one(t, out); o.TemporaryPassword != "" || !oc.verifies(t, "chosen-operator-pass-2") {
		t.Errorf("reset-password --password printed %s", out)
	}
	if !oc.ended(t, tok) {
		t.Error("the session from before reset-password --password still opens")
	}
}

// failures: refused commands print nothing, say why in one line, and leave
// the password as it was.
func (oc *operatorCLI) failures(t *testing.T) {
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
		out, err := oc.run(f.args...)
		if err == nil || !strings.Contains(err.Error(), f.msg) || out != "" {
			t.Errorf("%v = %q, %v; want an error containing %q and no output", f.args, out, err, f.msg)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: error spans lines: %q", f.args, err)
		}
	}
	if !oc.verifies(t, "chosen-operator-pass-2") {
		t.Error("a refused reset-password changed the password")
	}
}

// usage: the commands on one operator without its EMAIL are usage errors.
func (oc *operatorCLI) usage(t *testing.T) {
	for _, cmd := range []string{"disable", "enable", "reset-password"} {
		if _, err := oc.run("operator", cmd); !errors.Is(err, errUsage) || !strings.Contains(err.Error(), "EMAIL is required") {
			t.Errorf("operator %s without EMAIL: %v, want the usage error", cmd, err)
		}
	}
}
