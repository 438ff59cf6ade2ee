package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"workrate/server"
)

// runHealthcheck asks the local server's /healthz; container images have no
// curl, so their HEALTHCHECK runs this.
func runHealthcheck(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("healthcheck", out)
	config := server.RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := config()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1"+portOf(cfg.HTTPAddr)+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: status %d", resp.StatusCode)
	}
	return printJSON(out, map[string]string{"status": "ok"})
}
