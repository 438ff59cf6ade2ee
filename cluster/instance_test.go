package cluster

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"workrate/migrations/testdb"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds ./cmd/workrate once per test run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "workrate-cluster-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "workrate")
		out, err := exec.Command("go", "build", "-o", binPath, "../cmd/workrate").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// instance is one running `workrate serve` process.
type instance struct {
	t    *testing.T
	cmd  *exec.Cmd
	addr string // 127.0.0.1:port
	logs *syncBuffer
	done chan error
}

// freeAddr finds a free loopback port.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// start runs an instance on a free loopback port against dbURL with extra
// environment, and waits until it answers.
func start(t *testing.T, dbURL string, env ...string) *instance {
	t.Helper()
	return startAt(t, freeAddr(t), dbURL, env...)
}

// startAt is start on a given HTTP address.
func startAt(t *testing.T, addr, dbURL string, env ...string) *instance {
	t.Helper()
	cmd := exec.Command(binary(t), "serve")
	cmd.Env = append(os.Environ(),
		"WORKRATE_DATABASE_URL="+dbURL,
		"WORKRATE_HTTP_ADDR="+addr,
		"WORKRATE_PLATFORM_HOST=localhost",
		"WORKRATE_AGENCY_DOMAIN=localhost",
		"WORKRATE_TENANT_REFRESH=1h", // only notifications can explain a prompt change
	)
	cmd.Env = append(cmd.Env, env...)
	logs := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	in := &instance{t: t, cmd: cmd, addr: addr, logs: logs, done: make(chan error, 1)}
	go func() { in.done <- cmd.Wait() }()
	t.Cleanup(func() {
		in.stop()
		if t.Failed() {
			t.Logf("instance %s logs:\n%s", addr, logs.tail(40))
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		if r, err := http.Get("http://" + addr + "/healthz"); err == nil {
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				return in
			}
		}
		select {
		case err := <-in.done:
			t.Fatalf("instance exited before answering: %v\n%s", err, logs.tail(40))
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("instance %s did not answer within 20s\n%s", addr, logs.tail(40))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop ends the process gracefully (SIGTERM), or kills it after 10 seconds.
func (in *instance) stop() {
	if in.cmd.ProcessState != nil {
		return
	}
	_ = in.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-in.done:
	case <-time.After(10 * time.Second):
		_ = in.cmd.Process.Kill()
		<-in.done
	}
}

// get requests path on host through this instance.
func (in *instance) get(host, path string) (int, string) {
	in.t.Helper()
	return in.do(http.MethodGet, host, path, "", nil)
}

// do sends one request through this instance with the given Host.
func (in *instance) do(method, host, path, body string, header http.Header) (int, string) {
	in.t.Helper()
	req, err := http.NewRequest(method, "http://"+in.addr+path, strings.NewReader(body))
	if err != nil {
		in.t.Fatal(err)
	}
	req.Host = host
	for k, v := range header {
		req.Header[k] = v
	}
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// eventually polls cond every 20 ms until it holds or d passes.
func eventually(d time.Duration, cond func() bool) (time.Duration, bool) {
	start := time.Now()
	for time.Since(start) < d {
		if cond() {
			return time.Since(start), true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(start), cond()
}

// database returns a fresh migrated PostgreSQL schema; cluster tests need PostgreSQL.
func database(t *testing.T) testdb.DB {
	t.Helper()
	return testdb.Postgres(t)
}

// syncBuffer collects a process's output safely.
type syncBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) tail(n int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(b.buf.String()))
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
