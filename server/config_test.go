package server_test

import (
	"flag"
	"io"
	"strings"
	"testing"

	"workrate/server"
)

// configFrom reads the configuration with no flags given, as `workrate serve` does.
func configFrom(t *testing.T, args ...string) (server.Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	finish := server.RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		return server.Config{}, err
	}
	return finish()
}

func TestBadEnvironmentValuesAreRefused(t *testing.T) {
	cases := []struct {
		name, value string
	}{
		{"WORKRATE_SESSION_IDLE", "abc"},
		{"WORKRATE_SESSION_IDLE", "90"},
		{"WORKRATE_SESSION_IDLE", "-1h"},
		{"WORKRATE_SESSION_IDLE", "0s"},
		{"WORKRATE_SESSION_MAX", "a week"},
		{"WORKRATE_TEMP_PASSWORD_TTL", "7d"},
		{"WORKRATE_TENANT_REFRESH", "abc"},
		{"WORKRATE_TENANT_REFRESH", "0"},
		{"WORKRATE_DOMAIN_CHECK_INTERVAL", "10"},
		{"WORKRATE_DB_WAIT", "soon"},
		{"WORKRATE_DB_WAIT", "-1s"},
		{"WORKRATE_REQUEST_TIMEOUT", "15"},
		{"WORKRATE_REQUEST_TIMEOUT", "0s"},
		{"WORKRATE_SHUTDOWN_TIMEOUT", "25"},
		{"WORKRATE_PROXY_PROTOCOL", "yes"},
		{"WORKRATE_PROXY_PROTOCOL", "on"},
		{"WORKRATE_TRUSTED_PROXIES", "10.0.0.0/99"},
		{"WORKRATE_TRUSTED_PROXIES", "balancer.internal"},
	}
	for _, c := range cases {
		t.Run(c.name+"="+c.value, func(t *testing.T) {
			t.Setenv(c.name, c.value)
			_, err := configFrom(t)
			if err == nil {
				t.Fatalf("%s=%q accepted", c.name, c.value)
			}
			if !strings.Contains(err.Error(), c.name) {
				t.Errorf("error %q does not name %s", err, c.name)
			}
			if !strings.Contains(err.Error(), c.value) {
				t.Errorf("error %q does not show the value %q", err, c.value)
			}
		})
	}
}

func TestGoodEnvironmentValuesAreRead(t *testing.T) {
	t.Setenv("WORKRATE_SESSION_IDLE", "90m")
	t.Setenv("WORKRATE_TENANT_REFRESH", "5s")
	t.Setenv("WORKRATE_PROXY_PROTOCOL", "true")
	t.Setenv("WORKRATE_TRUSTED_PROXIES", "10.0.0.1, 192.168.0.0/16")
	cfg, err := configFrom(t)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SessionIdle.String() != "1h30m0s" || cfg.TenantRefresh.String() != "5s" || !cfg.ProxyProtocol || len(cfg.TrustedProxies) != 2 {
		t.Errorf("read %+v", cfg)
	}
	// A flag of the same meaning wins over the variable.
	cfg, err = configFrom(t, "--session-idle=10m")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SessionIdle.String() != "10m0s" {
		t.Errorf("flag ignored: session idle %s", cfg.SessionIdle)
	}
}
