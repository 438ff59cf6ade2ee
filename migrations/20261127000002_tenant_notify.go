package migrations

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"

	"workrate/store"
)

// tenantNotify makes PostgreSQL announce changes to agencies, domains and
// brandings on the channel "workrate_tenant", so every instance's host map
// follows at once. A removed domain names itself ("domain-removed:<host>").
// SQLite has one process and nothing to announce: the migration does nothing there.
const tenantNotify = `
CREATE OR REPLACE FUNCTION workrate_notify_tenant() RETURNS trigger AS $$
BEGIN
	IF TG_TABLE_NAME = 'domains' AND TG_OP = 'DELETE' THEN
		PERFORM pg_notify('workrate_tenant', 'domain-removed:' || OLD.hostname);
	ELSE
		PERFORM pg_notify('workrate_tenant', TG_TABLE_NAME);
	END IF;
	RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER agencies_notify AFTER INSERT OR UPDATE OR DELETE ON agencies
	FOR EACH STATEMENT EXECUTE FUNCTION workrate_notify_tenant();
CREATE TRIGGER brandings_notify AFTER INSERT OR UPDATE OR DELETE ON brandings
	FOR EACH STATEMENT EXECUTE FUNCTION workrate_notify_tenant();
CREATE TRIGGER domains_notify AFTER INSERT OR UPDATE ON domains
	FOR EACH STATEMENT EXECUTE FUNCTION workrate_notify_tenant();
CREATE TRIGGER domains_removed_notify AFTER DELETE ON domains
	FOR EACH ROW EXECUTE FUNCTION workrate_notify_tenant();
`

// registerTenantNotify adds this file's migration; bun names it after this file.
func registerTenantNotify(ms *migrate.Migrations) error {
	return ms.Register(func(ctx context.Context, db *bun.DB) error {
		if !store.IsPostgres(db) {
			return nil
		}
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.ExecContext(ctx, tenantNotify); err != nil {
				return fmt.Errorf("tenant notify triggers: %w", err)
			}
			return nil
		})
	}, nil)
}
