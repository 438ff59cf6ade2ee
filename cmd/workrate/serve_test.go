package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

func TestServeRefusesBadEnvironment(t *testing.T) {
	cases := []struct{ name, value string }{
		{"WORKRATE_SESSION_IDLE", "abc"},
		{"WORKRATE_SESSION_IDLE", "90"},
		{"WORKRATE_TENANT_REFRESH", "abc"},
		{"WORKRATE_PROXY_PROTOCOL", "yes"},
	}
	for _, c := range cases {
		t.Run(c.name+"="+c.value, func(t *testing.T) {
			// Were the value ignored, serve would open this database and start.
			t.Setenv("WORKRATE_DATABASE_URL", "sqlite://"+filepath.Join(t.TempDir(), "w.db"))
			t.Setenv("WORKRATE_HTTP_ADDR", "127.0.0.1:0")
			t.Setenv(c.name, c.value)
			ctx, cancel := context.WithCancel(context.Background())
			cancel() // a server that starts anyway stops at once
			err := run(ctx, []string{"serve"}, io.Discard)
			if err == nil || !strings.Contains(err.Error(), c.name) || !strings.Contains(err.Error(), c.value) {
				t.Fatalf("serve with %s=%q: %v; want an error naming both", c.name, c.value, err)
			}
		})
	}
}
