package backup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
)

// libpqParams are the URL parameters pg_dump and pg_restore understand;
// others (the Go driver's own) are left out.
var libpqParams = map[string]bool{
	"sslmode": true, "sslrootcert": true, "sslcert": true, "sslkey": true,
	"application_name": true, "connect_timeout": true, "options": true, "target_session_attrs": true,
}

// pgTarget is how the PostgreSQL client tools reach a database.
type pgTarget struct {
	url    string // without the password
	env    []string
	schema string // from search_path, "" for the default
}

// pgTargetOf turns a database URL of this product into the client tools'
// form: the password goes in PGPASSWORD (not on a command line other users
// can see) and search_path becomes the schema to dump.
func pgTargetOf(raw string) (pgTarget, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return pgTarget{}, fmt.Errorf("backup: parse database URL: %w", err)
	}
	t := pgTarget{env: os.Environ()}
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			t.env = append(t.env, "PGPASSWORD="+pw)
		}
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	out := url.Values{}
	for k, v := range q {
		if libpqParams[k] {
			out[k] = v
		}
	}
	if sp := q.Get("search_path"); sp != "" {
		t.schema = strings.TrimSpace(strings.Split(sp, ",")[0])
		out.Set("options", "-csearch_path="+sp)
	}
	u.RawQuery = out.Encode()
	t.url = u.String()
	return t, nil
}

// runTool runs a PostgreSQL client tool and turns its failure into one error
// carrying its first line of output.
func runTool(ctx context.Context, env []string, name string, args ...string) error {
	path, err := exec.LookPath(name)
	if err != nil {
		return fmt.Errorf("backup: %s is not on PATH: install the PostgreSQL client tools (the server's major version), or back up with your provider's snapshots / point-in-time recovery", name)
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.IndexByte(msg, '\n'); i > 0 {
			msg = msg[:i]
		}
		var exit *exec.ExitError
		if errors.As(err, &exit) && msg != "" {
			return fmt.Errorf("backup: %s: %s", name, msg)
		}
		return fmt.Errorf("backup: %s: %w", name, err)
	}
	return nil
}

// pgDump writes a custom-format dump of the database (of its schema when
// the URL names one) to file, then lists the file with pg_restore to check
// that it reads back.
func pgDump(ctx context.Context, databaseURL, file string) error {
	t, err := pgTargetOf(databaseURL)
	if err != nil {
		return err
	}
	args := []string{"--format=custom", "--no-owner", "--no-privileges", "--file=" + file}
	if t.schema != "" {
		args = append(args, "--schema="+t.schema)
	}
	if err := runTool(ctx, t.env, "pg_dump", append(args, t.url)...); err != nil {
		return err
	}
	if err := runTool(ctx, t.env, "pg_restore", "--list", "--file="+os.DevNull, file); err != nil {
		return fmt.Errorf("backup: the dump does not read back: %w", err)
	}
	return nil
}

// pgRestore loads a custom-format dump into the database in one transaction.
func pgRestore(ctx context.Context, databaseURL, file string) error {
	t, err := pgTargetOf(databaseURL)
	if err != nil {
		return err
	}
	return runTool(ctx, t.env, "pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--dbname="+t.url, file)
}
