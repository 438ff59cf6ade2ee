package migrations

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"

	"workrate/store"
)

// versionedTables are the tables of a workspace's content: any row written
// in one of them moves its workspace's data_version on, in the same
// transaction, so that anything cached under a version (the portal
// dashboard) is never served after the data changed, on any instance.
var versionedTables = []string{"tasks", "tickets", "ticket_comments", "messages", "invoices", "invoice_lines", "notes", "activity"}

// workspaceVersionPostgres bumps once per statement and workspace (a COPY of
// many rows costs one update per workspace, not one per row).
const workspaceVersionPostgres = `
ALTER TABLE workspaces ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;
CREATE FUNCTION workrate_bump_workspace_version() RETURNS trigger AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		UPDATE workspaces SET data_version = data_version + 1 WHERE id IN (SELECT DISTINCT workspace_id FROM old_rows);
	ELSE
		UPDATE workspaces SET data_version = data_version + 1 WHERE id IN (SELECT DISTINCT workspace_id FROM new_rows);
	END IF;
	RETURN NULL;
END
$$ LANGUAGE plpgsql;
`

// workspaceVersionStatements returns the migration's statements for the
// database's dialect.
func workspaceVersionStatements(postgres bool) []string {
	if postgres {
		out := []string{workspaceVersionPostgres}
		for _, t := range versionedTables {
			for _, op := range []struct{ name, event, table string }{
				{"ins", "INSERT", "NEW TABLE AS new_rows"},
				{"upd", "UPDATE", "NEW TABLE AS new_rows"},
				{"del", "DELETE", "OLD TABLE AS old_rows"},
			} {
				out = append(out, fmt.Sprintf("CREATE TRIGGER %s_version_%s AFTER %s ON %s REFERENCING %s FOR EACH STATEMENT EXECUTE FUNCTION workrate_bump_workspace_version()",
					t, op.name, op.event, t, op.table))
			}
		}
		return out
	}
	out := []string{"ALTER TABLE workspaces ADD COLUMN data_version INTEGER NOT NULL DEFAULT 0"}
	for _, t := range versionedTables {
		for _, op := range []struct{ name, event, row string }{
			{"ins", "INSERT", "NEW"}, {"upd", "UPDATE", "NEW"}, {"del", "DELETE", "OLD"},
		} {
			out = append(out, fmt.Sprintf("CREATE TRIGGER %s_version_%s AFTER %s ON %s FOR EACH ROW BEGIN "+
				"UPDATE workspaces SET data_version = data_version + 1 WHERE id = %s.workspace_id; END",
				t, op.name, op.event, t, op.row))
		}
	}
	return out
}

// registerWorkspaceVersion adds this file's migration; bun names it after this file.
func registerWorkspaceVersion(ms *migrate.Migrations) error {
	return ms.Register(func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for _, stmt := range workspaceVersionStatements(store.IsPostgres(db)) {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("workspace version: %s: %w", strings.SplitN(stmt, "(", 2)[0], err)
				}
			}
			return nil
		})
	}, nil)
}
