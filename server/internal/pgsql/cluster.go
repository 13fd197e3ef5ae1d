package pgsql

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Cluster is a PostgreSQL cluster in a directory of its own:
// Dir/data holds the cluster, Dir/run its unix socket, Dir/postgres.log its log.
type Cluster struct {
	Dir string
	// Throwaway turns off fsync and friends: for test clusters only, never for
	// a cluster that holds an operator's data.
	Throwaway bool
	// Port names the socket file (.s.PGSQL.<Port>); no TCP port is opened.
	Port   int
	Logger *slog.Logger

	binDir string
	cred   *syscall.Credential

	mu   sync.Mutex
	proc *process // the server this process started; nil when none
}

// process is one run of the postgres server.
type process struct {
	cmd    *exec.Cmd
	exited chan struct{} // closed once it has exited
	err    error         // what Wait returned, set before exited is closed
}

// SocketDir is where the cluster's unix socket lives.
func (c *Cluster) SocketDir() string { return filepath.Join(c.Dir, "run") }

func (c *Cluster) dataDir() string { return filepath.Join(c.Dir, "data") }

// DSN returns a connection string for database db over the unix socket, as
// the superuser.
func (c *Cluster) DSN(db string) string { return c.DSNAs("postgres", db) }

// DSNAs returns a connection string for database db over the unix socket, as
// role. The cluster trusts its socket, which only its own OS account (and
// root) can reach, so no password is needed.
func (c *Cluster) DSNAs(role, db string) string {
	return fmt.Sprintf("host=%s port=%d user=%s dbname=%s sslmode=disable", c.SocketDir(), c.port(), role, db)
}

func (c *Cluster) port() int {
	if c.Port == 0 {
		return 5432
	}
	return c.Port
}

// Start makes the cluster ready: it runs initdb on first use and starts the
// server, or attaches to one already running on this directory (a `canale
// serve` in another process). It reports whether this process owns the server
// and must Stop it.
func (c *Cluster) Start(ctx context.Context) (owned bool, err error) {
	if len(c.SocketDir())+len("/.s.PGSQL.65535") > 107 {
		return false, fmt.Errorf("data directory %q is too deep for a unix socket path (107 bytes); choose a shorter one", c.Dir)
	}
	if c.running() {
		return false, nil
	}
	if err := c.prepare(); err != nil {
		return false, err
	}
	if err := c.initdb(ctx); err != nil {
		return false, err
	}
	if err := c.startServer(ctx); err != nil {
		return false, err
	}
	return true, nil
}

// prepare finds the binaries, decides which OS user runs PostgreSQL (it
// refuses to run as root, so root hands it to the postgres account) and makes
// the directories that user needs.
func (c *Cluster) prepare() error {
	bin, err := FindBinDir()
	if err != nil {
		return err
	}
	c.binDir = bin
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return fmt.Errorf("running as root needs the postgres OS account to run PostgreSQL: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", c.Dir, err)
	}
	if err := c.checkReachable(); err != nil {
		return err
	}
	if c.cred != nil {
		// The postgres account must be able to enter the top directory (a
		// MkdirTemp directory is 0700); what is inside stays private.
		if err := os.Chmod(c.Dir, 0o755); err != nil {
			return fmt.Errorf("chmod %s: %w", c.Dir, err)
		}
	}
	for _, d := range []string{c.dataDir(), c.SocketDir()} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return fmt.Errorf("create %s: %w", d, err)
		}
		if err := c.chown(d); err != nil {
			return err
		}
	}
	return nil
}

// checkReachable fails early, with a fix to suggest, when the account that
// runs PostgreSQL cannot enter every directory above the cluster; initdb's own
// "Permission denied" does not say why.
func (c *Cluster) checkReachable() error {
	if c.cred == nil {
		return nil
	}
	abs, err := filepath.Abs(c.Dir)
	if err != nil {
		return err
	}
	for d := filepath.Dir(abs); ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return err
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		mode := fi.Mode().Perm()
		canEnter := mode&0o001 != 0 || (ok && st.Uid == c.cred.Uid && mode&0o100 != 0) ||
			(ok && st.Gid == c.cred.Gid && mode&0o010 != 0)
		if !canEnter {
			return fmt.Errorf("PostgreSQL runs as the postgres account, which cannot enter %s (mode %o): "+
				"chmod o+x it or choose another data directory", d, mode)
		}
		if d == "/" {
			return nil
		}
	}
}

func (c *Cluster) chown(path string) error {
	if c.cred == nil {
		return nil
	}
	if err := os.Chown(path, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
		return fmt.Errorf("chown %s to postgres: %w", path, err)
	}
	return nil
}

func (c *Cluster) initdb(ctx context.Context) error {
	if _, err := os.Stat(filepath.Join(c.dataDir(), "PG_VERSION")); err == nil {
		return nil
	}
	c.logger().Info("creating PostgreSQL cluster", "dir", c.dataDir())
	// Trust is safe here: the cluster listens on no TCP port and its socket
	// directory is private (0700) to the account that runs it.
	args := []string{"-D", c.dataDir(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"}
	if c.Throwaway {
		args = append(args, "-N")
	}
	cmd := exec.CommandContext(ctx, filepath.Join(c.binDir, "initdb"), args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("initdb: %w: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

func (c *Cluster) startServer(ctx context.Context) error {
	logFile, err := os.OpenFile(filepath.Join(c.Dir, "postgres.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o640)
	if err != nil {
		return fmt.Errorf("open postgres log: %w", err)
	}
	defer logFile.Close() // the child keeps its own descriptor
	args := []string{"-D", c.dataDir(), "-k", c.SocketDir(), "-p", strconv.Itoa(c.port()),
		"-c", "listen_addresses=", "-c", "unix_socket_permissions=0700"}
	if c.Throwaway {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
			"-c", "max_connections=400", "-c", "shared_buffers=64MB")
	}
	cmd := exec.Command(filepath.Join(c.binDir, "postgres"), args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// Own process group: a terminal's Ctrl-C reaches Canale, which then stops
	// PostgreSQL after the last query, not before. Pdeathsig stops it if Canale dies.
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred, Setpgid: true, Pdeathsig: syscall.SIGINT}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	p := &process{cmd: cmd, exited: make(chan struct{})}
	go func() { p.err = cmd.Wait(); close(p.exited) }()
	c.mu.Lock()
	c.proc = p
	c.mu.Unlock()
	return c.waitReady(ctx, p)
}

func (c *Cluster) waitReady(ctx context.Context, p *process) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if c.running() {
			return nil
		}
		select {
		case <-p.exited:
			return fmt.Errorf("postgres exited during start (%v); see %s", p.err, filepath.Join(c.Dir, "postgres.log"))
		case <-ctx.Done():
			c.Stop()
			return ctx.Err()
		case <-time.After(25 * time.Millisecond):
		}
	}
	c.Stop()
	return fmt.Errorf("postgres not ready after 60s; see %s", filepath.Join(c.Dir, "postgres.log"))
}

// running reports whether a live postmaster on this directory says "ready".
func (c *Cluster) running() bool {
	b, err := os.ReadFile(filepath.Join(c.dataDir(), "postmaster.pid"))
	if err != nil {
		return false
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) < 8 {
		return false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(lines[0]))
	if err != nil || pid <= 0 {
		return false
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	return strings.TrimSpace(lines[7]) == "ready"
}

// Stop shuts down a server this process started (fast shutdown: open
// transactions roll back, committed data is safe) and waits for it to exit.
// Call it after Supervise has returned, so no restart races with it.
func (c *Cluster) Stop() {
	c.mu.Lock()
	p := c.proc
	c.proc = nil
	c.mu.Unlock()
	if p == nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
}

// current is the server this process started, nil when none.
func (c *Cluster) current() *process {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.proc
}

func (c *Cluster) logger() *slog.Logger {
	if c.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.Logger
}
