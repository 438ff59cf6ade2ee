package cluster

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"workrate/auth"
	"workrate/branding"
	"workrate/tenant"
)

// TestChangesReachEveryInstanceWithinASecond: a new agency, a domain approved
// through instance 1's operator console, a branding change and a removal are
// served by the other instance within a second, although the periodic refresh
// is an hour: LISTEN/NOTIFY carries them.
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

	// The agency adds its domain; an operator approves it through instance 1.
	if _, err := tenant.NewStore(db.DB).AddDomain(ctx, a.ID, "portal.cluster.example"); err != nil {
		t.Fatal(err)
	}
	hash, err := auth.HashPassword("operator-pass-2026", auth.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := auth.NewStore(db.DB).CreateOperator(ctx, "ops@cluster.example", hash); err != nil {
		t.Fatal(err)
	}
	ops := newVisitor(t, "localhost")
	if code, _, body := ops.send(i1, http.MethodPost, "/operator/login", url.Values{"email": {"ops@cluster.example"}, "password": {"operator-pass-2026"}}, "", ""); code != http.StatusSeeOther {
		t.Fatalf("operator sign-in on instance 1 = %d %.200s", code, body)
	}
	if code, _, body := ops.send(i1, http.MethodPost, "/operator/domains/portal.cluster.example/approve", url.Values{}, "", ""); code >= 400 {
		t.Fatalf("approve through instance 1 = %d %.200s", code, body)
	}
	if d, ok := eventually(time.Second, func() bool {
		code, _ := i2.get("portal.cluster.example", "/")
		return code == http.StatusSeeOther
	}); !ok {
		t.Fatalf("domain approved through instance 1 not served by instance 2 after %v", d)
	} else {
		t.Logf("domain approved through instance 1 served by instance 2 after %v", d)
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
