package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"workrate/migrations/testdb"
	"workrate/tenant"
)

func TestBackupAndAgencyCommands(t *testing.T) {
	ctx := context.Background()
	src := testdb.SQLite(t)
	if _, err := tenant.NewStore(src.DB).CreateAgency(ctx, "Acme", "acme"); err != nil {
		t.Fatal(err)
	}
	cli := func(dbURL string, args ...string) (map[string]any, error) {
		t.Helper()
		var out bytes.Buffer
		if err := run(ctx, append(args, "--database-url", dbURL), &out); err != nil {
			return nil, err
		}
		var v map[string]any
		if err := json.Unmarshal(out.Bytes(), &v); err != nil {
			t.Fatalf("%v printed no JSON object: %v: %s", args, err, out.String())
		}
		return v, nil
	}
	dir := t.TempDir()

	got, err := cli(src.URL, "backup", "--to", filepath.Join(dir, "b"))
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := got["manifest"].(map[string]any); m["database"] != "sqlite" || m["migration"] == "" {
		t.Fatalf("backup printed %v", got)
	}
	restored := "sqlite://" + filepath.Join(dir, "restored", "w.db")
	got, err = cli(restored, "restore", "--from", filepath.Join(dir, "b"))
	if err != nil {
		t.Fatal(err)
	}
	if tables, _ := got["tables"].(map[string]any); tables["agencies"] != float64(1) {
		t.Fatalf("restore printed %v", got)
	}
	if _, err := cli(restored, "restore", "--from", filepath.Join(dir, "b")); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("restore into a full database: %v", err)
	}

	file := filepath.Join(dir, "acme.wrarchive")
	if got, err = cli(src.URL, "agency", "export", "acme", "--to", file); err != nil {
		t.Fatal(err)
	}
	if a, _ := got["agency"].(map[string]any); a["slug"] != "acme" {
		t.Fatalf("export printed %v", got)
	}
	if _, err := cli(src.URL, "agency", "export", "acme", "--to", file); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("export over an existing file: %v", err)
	}
	targets := []string{"sqlite://" + filepath.Join(dir, "other", "w.db")}
	for _, db := range testdb.Each(t)[1:] {
		targets = append(targets, db.URL)
	}
	for _, target := range targets {
		if got, err = cli(target, "agency", "import", file); err != nil {
			t.Fatal(err)
		}
		if tables, _ := got["tables"].(map[string]any); tables["agencies"] != float64(1) {
			t.Fatalf("import printed %v", got)
		}
		if _, err := cli(target, "agency", "import", file); err == nil || !strings.Contains(err.Error(), "already exists") {
			t.Fatalf("second import: %v", err)
		}
	}
}
