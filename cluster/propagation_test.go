package cluster

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"workrate/branding"
	"workrate/store"
	"workrate/tenant"
)

// TestChangesReachEveryInstanceWithinASecond: an agency, a verified domain and
// a branding change written once are served by two other instances within a
// second, although their periodic refresh is an hour: LISTEN/NOTIFY carries them.
func TestChangesReachEveryInstanceWithinASecond(t *testing.T) {
	db := database(t)
	i1 := start(t, db.URL)
	i2 := start(t, db.URL)
	ctx := context.Background()

	a, err := tenant.NewStore(db.DB).CreateAgency(ctx, "Cluster Co", "cluster")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []*instance{i1, i2} {
		if d, ok := eventually(time.Second, func() bool {
			code, _ := in.get("cluster.localhost", "/")
			return code == http.StatusSeeOther
		}); !ok {
			t.Fatalf("instance %s: new agency not served after %v", in.addr, d)
		}
	}

	now := store.Now()
	if _, err := db.NewRaw("INSERT INTO domains (id, agency_id, hostname, status, verification_token, created_at, updated_at) VALUES (?, ?, 'portal.cluster.example', ?, 'tok', ?, ?)",
		store.NewID(), a.ID, tenant.DomainVerified, now, now).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if d, ok := eventually(time.Second, func() bool {
		code, _ := i2.get("portal.cluster.example", "/")
		return code == http.StatusSeeOther
	}); !ok {
		t.Fatalf("verified domain not served by instance 2 after %v", d)
	} else {
		t.Logf("verified domain served by instance 2 after %v", d)
	}

	if _, err := branding.NewStore(db.DB).SetText(ctx, a.ID, "Cluster Portal", "#0f766e"); err != nil {
		t.Fatal(err)
	}
	if d, ok := eventually(time.Second, func() bool {
		_, body := i1.get("cluster.localhost", "/no-such-page")
		return strings.Contains(body, "Cluster Portal") && strings.Contains(body, "0f766e")
	}); !ok {
		t.Fatalf("branding change not shown by instance 1 after %v", d)
	} else {
		t.Logf("branding change shown by instance 1 after %v", d)
	}

	if _, err := db.NewRaw("DELETE FROM domains WHERE hostname = 'portal.cluster.example'").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if d, ok := eventually(time.Second, func() bool {
		code, _ := i1.get("portal.cluster.example", "/")
		return code == http.StatusNotFound
	}); !ok {
		t.Fatalf("removed domain still served by instance 1 after %v", d)
	}
}
