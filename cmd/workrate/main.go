// Command workrate runs the WorkRate platform and its operator commands.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// command is one subcommand: its name, a line of help, and what it runs.
type command struct {
	name  string
	usage string
	run   func(ctx context.Context, args []string, out io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "run the server (the default)", runServe},
		{"migrate", "apply pending migrations and exit", runMigrate},
		{"agency create", "create an agency and its owner", runAgencyCreate},
		{"agency export", "write every row of one agency to an archive: SLUG --to FILE", runAgencyExport},
		{"agency import", "load an agency archive into this database (ids kept; refused when the agency exists): FILE", runAgencyImport},
		{"apikey create", "create an API key for an agency (shown once)", runAPIKeyCreate},
		{"operator create", "create a platform operator", runOperatorCreate},
		{"operator disable", "disable an operator and end their sessions: EMAIL", runOperatorDisable},
		{"operator enable", "let a disabled operator sign in again: EMAIL", runOperatorEnable},
		{"operator reset-password", "give an operator a new password and end their sessions: EMAIL [--password P] (else one is generated and printed)", runOperatorResetPassword},
		{"domain add", "claim a custom domain for an agency: --agency SLUG HOSTNAME (prints the DNS records)", runDomainAdd},
		{"domain verify", "check a custom domain's DNS now: HOSTNAME", runDomainVerify},
		{"domain approve", "mark a custom domain verified without DNS: HOSTNAME", runDomainApprove},
		{"domain list", "list custom domains with their DNS and certificate status [--agency SLUG]", runDomainList},
		{"demo", "create (idempotently) a demo agency full of sample data and print its logins", runDemo},
		{"seed", "fill the database with synthetic agencies, workspaces and rows for benchmarks [--agencies N --workspaces-per-agency M --rows R --big]", runSeed},
		{"loadtest", "measure a bare Gin handler and the portal dashboard side by side on 127.0.0.1 [--duration 5s --requests N --login-flood 200]", runLoadtest},
		{"backup", "write an online, consistent copy of the database and its secret key: --to DIR", runBackup},
		{"restore", "load a backup into an empty database: --from DIR", runRestore},
		{"healthcheck", "ask the local server's /healthz (for container health checks)", runHealthcheck},
	}
}

// errUsage marks errors that should be followed by the usage text.
var errUsage = errors.New("usage")

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "workrate: "+oneLine(err.Error()))
		if errors.Is(err, errUsage) {
			usage(os.Stderr)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 || (len(args[0]) > 0 && args[0][0] == '-' && args[0] != "-h" && args[0] != "--help" && args[0] != "-help") {
		return runServe(ctx, args, out)
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "-help" || args[0] == "help" {
		usage(out)
		return nil
	}
	for _, c := range commands() {
		words := splitWords(c.name)
		if len(args) >= len(words) && equalWords(args[:len(words)], words) {
			return c.run(ctx, args[len(words):], out)
		}
	}
	return fmt.Errorf("unknown command %q: %w", args[0], errUsage)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: workrate [command] [flags]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-24s %s\n", c.name, c.usage)
	}
	fmt.Fprintln(w, "\nRun 'workrate COMMAND --help' for a command's flags. Configuration comes from WORKRATE_* variables; see README.md.")
}

func splitWords(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

func equalWords(a, b []string) bool {
	for i := range b {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// printJSON writes v as one JSON document on out.
func printJSON(out io.Writer, v any) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// oneLine keeps error output to one line.
func oneLine(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			return s[:i]
		}
	}
	return s
}
