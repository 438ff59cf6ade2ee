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
			opr := newOperatorRun(t, NewStore(db.DB))
			opr.otherTok = opr.signIn(t, opr.other)
			opr.disable(t)
			opr.enable(t)
			opr.setPassword(t)
			opr.otherUntouched(t)
			opr.unknownOperator(t)
		})
	}
}

// operatorRun holds the world of TestOperatorDisableEnableAndPassword: the
// operator the steps change, another one, and their sessions. Its steps run
// in order.
type operatorRun struct {
	ctx      context.Context
	st       *Store
	policy   SessionPolicy
	op       *Operator // the operator the steps change, as created
	other    *Operator // another operator, as created
	tok      string    // the latest session of op
	otherTok string    // a session of other
}

// newOperatorRun creates the two operators.
func newOperatorRun(t *testing.T, st *Store) *operatorRun {
	t.Helper()
	opr := &operatorRun{ctx: context.Background(), st: st, policy: SessionPolicy{Idle: time.Hour, Max: time.Hour}}
	var err error
	opr.op, err = st.CreateOperator(opr.ctx, "ops@workrate.example", "hash-1")
	if err != nil {
		t.Fatal(err)
	}
	opr.other, err = st.CreateOperator(opr.ctx, "other@workrate.example", "hash-x")
	if err != nil {
		t.Fatal(err)
	}
	if opr.op.Disabled {
		t.Fatal("a new operator is disabled")
	}
	return opr
}

// signIn opens a session of o at its current session version.
func (opr *operatorRun) signIn(t *testing.T, o *Operator) string {
	t.Helper()
	cur, err := opr.st.OperatorByID(opr.ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := opr.st.CreateSession(opr.ctx, &Session{Kind: KindOperator, SubjectID: o.ID, Host: "localhost", SessionVersion: cur.SessionVersion}, opr.policy)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// live reports whether the session of tok still opens.
func (opr *operatorRun) live(t *testing.T, tok string) bool {
	t.Helper()
	_, err := opr.st.SessionByToken(opr.ctx, tok, "localhost", opr.policy)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		t.Fatal(err)
	}
	return err == nil
}

// load reads the operator id as stored now.
func (opr *operatorRun) load(t *testing.T, id string) *Operator {
	t.Helper()
	o, err := opr.st.OperatorByID(opr.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// disable: the operator is disabled, its session version moves on and its
// session ends.
func (opr *operatorRun) disable(t *testing.T) {
	op := opr.op
	opr.tok = opr.signIn(t, op)
	if err := opr.st.DisableOperator(opr.ctx, op.ID); err != nil {
		t.Fatal(err)
	}
	got := opr.load(t, op.ID)
	if !got.Disabled || got.SessionVersion != op.SessionVersion+1 {
		t.Errorf("after disable: disabled %v, session version %d (was %d)", got.Disabled, got.SessionVersion, op.SessionVersion)
	}
	if opr.live(t, opr.tok) {
		t.Error("the disabled operator's session still opens")
	}
}

// enable: the operator is enabled again; the session ended by disable stays
// ended.
func (opr *operatorRun) enable(t *testing.T) {
	if err := opr.st.EnableOperator(opr.ctx, opr.op.ID); err != nil {
		t.Fatal(err)
	}
	if got := opr.load(t, opr.op.ID); got.Disabled {
		t.Error("enable left the operator disabled")
	}
	if opr.live(t, opr.tok) {
		t.Error("enabling brought the old session back")
	}
}

// setPassword: a new password is stored, the session version moves on and
// the session from before ends.
func (opr *operatorRun) setPassword(t *testing.T) {
	op := opr.op
	opr.tok = opr.signIn(t, op)
	before := opr.load(t, op.ID)
	if err := opr.st.SetOperatorPassword(opr.ctx, op.ID, "hash-2"); err != nil {
		t.Fatal(err)
	}
	got := opr.load(t, op.ID)
	if got.PasswordHash != "hash-2" || got.SessionVersion != before.SessionVersion+1 || got.Disabled {
		t.Errorf("after a new password: hash %q, session version %d (was %d), disabled %v", got.PasswordHash, got.SessionVersion, before.SessionVersion, got.Disabled)
	}
	if opr.live(t, opr.tok) {
		t.Error("the session from before the new password still opens")
	}
}

// otherUntouched: the other operator and its session are as they were.
func (opr *operatorRun) otherUntouched(t *testing.T) {
	other := opr.other
	if o := opr.load(t, other.ID); o.Disabled || o.PasswordHash != "hash-x" || o.SessionVersion != other.SessionVersion || !opr.live(t, opr.otherTok) {
		t.Errorf("the other operator changed: %+v, session live %v", o, opr.live(t, opr.otherTok))
	}
}

// unknownOperator: disable, enable and a new password of an unknown
// operator are ErrNotFound.
func (opr *operatorRun) unknownOperator(t *testing.T) {
	ctx, st := opr.ctx, opr.st
	for name, f := range map[string]func() error{
		"disable":  func() error { return st.DisableOperator(ctx, store.NewID()) },
		"enable":   func() error { return st.EnableOperator(ctx, store.NewID()) },
		"password": func() error { return st.SetOperatorPassword(ctx, store.NewID(), "h") },
	} {
		if err := f(); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s of an unknown operator: %v, want ErrNotFound", name, err)
		}
	}
}
