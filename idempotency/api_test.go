package idempotency_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"workrate/auth"
	"workrate/migrations/testdb"
	"workrate/server/servertest"
	"workrate/tenant"
)

// TestAPIRetryCreatesOneTask drives the whole app: a task created with an
// Idempotency-Key and retried (the answer was lost) exists once.
func TestAPIRetryCreatesOneTask(t *testing.T) {
	for _, db := range testdb.Each(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			a, err := tenant.NewStore(db.DB).CreateAgency(ctx, "Acme", "acme")
			if err != nil {
				t.Fatal(err)
			}
			key, _, err := auth.NewStore(db.DB).CreateAPIKey(ctx, a.ID, "test", "test")
			if err != nil {
				t.Fatal(err)
			}
			env := servertest.New(t, db)
			b := env.Browser()
			host := "acme.localhost"
			ws := b.JSON(http.MethodPost, host, "/api/v1/workspaces", key, `{"name":"Contoso","contact_email":"c@contoso.example"}`)
			if ws.Status != http.StatusCreated {
				t.Fatalf("workspace = %d %s", ws.Status, ws.Body)
			}
			var w struct{ ID string }
			if err := json.Unmarshal([]byte(ws.Body), &w); err != nil {
				t.Fatal(err)
			}
			path := "/api/v1/workspaces/" + w.ID + "/tasks"
			body := `{"title":"Launch","status":"todo"}`
			b.Header.Set("Idempotency-Key", "7b0c1f0e-task-1")
			first := b.JSON(http.MethodPost, host, path, key, body)
			retry := b.JSON(http.MethodPost, host, path, key, body)
			if first.Status != http.StatusCreated || retry.Status != first.Status || retry.Body != first.Body {
				t.Fatalf("first = %d %s, retry = %d %s", first.Status, first.Body, retry.Status, retry.Body)
			}
			other := b.JSON(http.MethodPost, host, path, key, `{"title":"Something else","status":"todo"}`)
			if other.Status != http.StatusUnprocessableEntity || !strings.Contains(other.Body, `"code":"idempotency_key_reused"`) {
				t.Fatalf("same key, another body = %d %s", other.Status, other.Body)
			}
			b.Header.Del("Idempotency-Key")
			list := b.JSON(http.MethodGet, host, path, key, "")
			var tasks struct{ Items []struct{ Title string } }
			if err := json.Unmarshal([]byte(list.Body), &tasks); err != nil {
				t.Fatalf("list: %v %s", err, list.Body)
			}
			if len(tasks.Items) != 1 {
				t.Fatalf("tasks after a retried create: %+v, want one", tasks.Items)
			}
		})
	}
}
