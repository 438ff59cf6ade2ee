package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/uptrace/bun"

	"workrate/auth"
	"workrate/operator"
	"workrate/server"
	"workrate/store"
	"workrate/tenant"
)

func runAgencyCreate(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("agency create", out)
	config := server.RegisterFlags(fs)
	name := fs.String("name", "", "the agency's name")
	slug := fs.String("slug", "", "the agency's slug: its host is <slug>.<agency domain>")
	email := fs.String("owner-email", "", "the owner's sign-in email")
	password := fs.String("owner-password", "", "the owner's password")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *name == "" || *slug == "" || *email == "" || *password == "" {
		return fmt.Errorf("--name, --slug, --owner-email and --owner-password are required: %w", errUsage)
	}
	if err := auth.ValidateNewPassword(*password); err != nil {
		return fmt.Errorf("owner password: %w", err)
	}
	cfg, db, err := openConfigured(ctx, config)
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := createAgency(ctx, db, *name, *slug, *email, *email, *password)
	if err != nil {
		return err
	}
	return printJSON(out, map[string]string{"id": a.ID, "slug": a.Slug, "host": a.Slug + "." + cfg.AgencyDomain})
}

// createAgency creates an agency and its owner in one transaction.
func createAgency(ctx context.Context, db *bun.DB, name, slug, ownerEmail, ownerName, password string) (*tenant.Agency, error) {
	hash, err := auth.HashPassword(password, auth.DefaultParams())
	if err != nil {
		return nil, err
	}
	a, err := operator.CreateAgency(ctx, db, name, slug, ownerEmail, ownerName, hash)
	if errors.Is(err, store.ErrConflict) {
		return nil, fmt.Errorf("create agency: the slug %q is taken", slug)
	}
	return a, err
}

func runAPIKeyCreate(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("apikey create", out)
	config := server.RegisterFlags(fs)
	slug := fs.String("agency", "", "the agency's slug")
	label := fs.String("name", "", "a label for the key")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *slug == "" || *label == "" {
		return fmt.Errorf("--agency and --name are required: %w", errUsage)
	}
	_, db, err := openConfigured(ctx, config)
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := tenant.NewStore(db).AgencyBySlug(ctx, *slug)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no agency with slug %q", *slug)
		}
		return err
	}
	key, _, err := auth.NewStore(db).CreateAPIKey(ctx, a.ID, *label, "cli")
	if err != nil {
		return err
	}
	return printJSON(out, map[string]string{"key": key})
}

func runOperatorCreate(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("operator create", out)
	config := server.RegisterFlags(fs)
	email := fs.String("email", "", "the operator's sign-in email")
	password := fs.String("password", "", "the operator's password")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" || *password == "" {
		return fmt.Errorf("--email and --password are required: %w", errUsage)
	}
	if err := auth.ValidateNewPassword(*password); err != nil {
		return fmt.Errorf("password: %w", err)
	}
	_, db, err := openConfigured(ctx, config)
	if err != nil {
		return err
	}
	defer db.Close()
	hash, err := auth.HashPassword(*password, auth.DefaultParams())
	if err != nil {
		return err
	}
	op, err := auth.NewStore(db).CreateOperator(ctx, *email, hash)
	if err != nil {
		if errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("an operator with email %q exists", *email)
		}
		return err
	}
	return printJSON(out, map[string]string{"id": op.ID, "email": op.Email})
}
