package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/uptrace/bun"

	"workrate/auth"
	"workrate/server"
	"workrate/store"
)

// cliOperator is an operator as the operator commands print it.
type cliOperator struct {
	ID                string `json:"id"`
	Email             string `json:"email"`
	Disabled          bool   `json:"disabled"`
	TemporaryPassword string `json:"temporary_password,omitempty"`
}

// operatorChange is what a command does to the operator it found.
type operatorChange func(ctx context.Context, st *auth.Store, op *auth.Operator) error

// operatorAction returns the subcommand that finds an operator by the EMAIL
// argument, applies change and prints the operator as it is afterwards.
func operatorAction(name string, change operatorChange) func(context.Context, []string, io.Writer) error {
	return func(ctx context.Context, args []string, out io.Writer) error {
		fs := newFlags(name, out)
		config := server.RegisterFlags(fs)
		email, err := parseWithArg(fs, args, "EMAIL")
		if err != nil {
			return err
		}
		_, db, err := openConfigured(ctx, config)
		if err != nil {
			return err
		}
		defer db.Close()
		op, err := changeOperator(ctx, db, email, change)
		if err != nil {
			return err
		}
		return printJSON(out, op)
	}
}

// changeOperator finds the operator with email, applies change and returns
// the operator as it is afterwards.
func changeOperator(ctx context.Context, db *bun.DB, email string, change operatorChange) (cliOperator, error) {
	st := auth.NewStore(db)
	op, err := st.OperatorByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return cliOperator{}, fmt.Errorf("no operator with email %q", email)
	}
	if err != nil {
		return cliOperator{}, err
	}
	if err := change(ctx, st, op); err != nil {
		return cliOperator{}, err
	}
	if op, err = st.OperatorByID(ctx, op.ID); err != nil {
		return cliOperator{}, err
	}
	return cliOperator{ID: op.ID, Email: op.Email, Disabled: op.Disabled}, nil
}

// runOperatorDisable disables an operator: they can no longer sign in, and
// their sessions end at once on every instance.
var runOperatorDisable = operatorAction("operator disable", func(ctx context.Context, st *auth.Store, op *auth.Operator) error {
	return st.DisableOperator(ctx, op.ID)
})

// runOperatorEnable lets a disabled operator sign in again.
var runOperatorEnable = operatorAction("operator enable", func(ctx context.Context, st *auth.Store, op *auth.Operator) error {
	return st.EnableOperator(ctx, op.ID)
})

// runOperatorResetPassword gives an operator a new password (--password, or
// a generated one that is printed once) and ends their sessions.
func runOperatorResetPassword(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("operator reset-password", out)
	config := server.RegisterFlags(fs)
	password := fs.String("password", "", "the new password (default: generate one and print it)")
	email, err := parseWithArg(fs, args, "EMAIL")
	if err != nil {
		return err
	}
	generated := ""
	if *password == "" {
		if generated, err = auth.GenerateTemporaryPassword(); err != nil {
			return err
		}
		*password = generated
	}
	if err := auth.ValidateNewPassword(*password); err != nil {
		return fmt.Errorf("password: %w", err)
	}
	hash, err := auth.HashPassword(*password, auth.DefaultParams())
	if err != nil {
		return err
	}
	_, db, err := openConfigured(ctx, config)
	if err != nil {
		return err
	}
	defer db.Close()
	op, err := changeOperator(ctx, db, email, func(ctx context.Context, st *auth.Store, op *auth.Operator) error {
		return st.SetOperatorPassword(ctx, op.ID, hash)
	})
	if err != nil {
		return err
	}
	op.TemporaryPassword = generated
	return printJSON(out, op)
}
