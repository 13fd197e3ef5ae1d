// Package testmariadb starts a throwaway MariaDB server on loopback for
// tests, such as those of the Xtream Codes importer, which reads an XC
// MySQL database. Each server has its own data directory and is gone after
// the test.
package testmariadb

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"canale/server/internal/testtools"

	_ "github.com/go-sql-driver/mysql" // registers the "mysql" driver
)

const installHint = "apt-get install -y --no-install-recommends mariadb-server"

// readyTimeout bounds the wait for the server to answer a ping (about
// 0.3 s here).
const readyTimeout = 30 * time.Second

// Server is a running mariadbd. Root has no password and may connect over
// TCP from 127.0.0.1 and over the unix socket.
type Server struct {
	// Dir holds data/, the socket and error.log.
	Dir  string
	Port int

	cmd  *exec.Cmd
	done chan struct{}
}

// Start installs a fresh data directory and starts mariadbd as a child
// process. Close is registered as a cleanup. When MariaDB is missing the
// test fails under CI=true and is skipped elsewhere.
func Start(tb testing.TB) *Server {
	tb.Helper()
	installDB, mariadbd := requireTools(tb)
	// A short directory: the socket path must stay under 108 bytes.
	dir, err := os.MkdirTemp("", "mdb")
	if err != nil {
		tb.Fatalf("create dir: %v", err)
	}
	s := &Server{Dir: dir}
	tb.Cleanup(s.Close)

	owner, err := ownerArgs(dir)
	if err != nil {
		tb.Fatal(err)
	}
	install := exec.Command(installDB, append([]string{"--no-defaults", "--datadir=" + s.dataDir(),
		"--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve"}, owner...)...)
	if out, err := install.CombinedOutput(); err != nil {
		tb.Fatalf("mariadb-install-db: %v\n%s", err, out)
	}
	if err := s.start(mariadbd, owner); err != nil {
		tb.Fatalf("start mariadbd: %v\nerror.log:\n%s", err, s.errorLogTail(30))
	}
	return s
}

// requireTools finds the MariaDB programs, which live in sbin directories
// that a non-root PATH may lack.
func requireTools(tb testing.TB) (installDB, mariadbd string) {
	tb.Helper()
	var paths []string
	for _, name := range []string{"mariadb-install-db", "mariadbd"} {
		p, err := lookTool(name)
		if err != nil {
			msg := name + " not found; install with: " + installHint
			if os.Getenv("CI") == "true" {
				tb.Fatal(msg)
			}
			tb.Skip(msg)
		}
		paths = append(paths, p)
	}
	return paths[0], paths[1]
}

func lookTool(name string) (string, error) {
	p, err := exec.LookPath(name)
	if err == nil {
		return p, nil
	}
	for _, dir := range []string{"/usr/sbin", "/usr/bin", "/usr/local/sbin"} {
		if p, err2 := exec.LookPath(filepath.Join(dir, name)); err2 == nil {
			return p, nil
		}
	}
	return "", err
}

// ownerArgs hands dir to the mysql account when running as root, because
// mariadbd refuses to run as root; as any other user it runs as that user.
func ownerArgs(dir string) ([]string, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("mysql")
	if err != nil {
		return nil, fmt.Errorf("running as root needs the mysql account: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		return nil, fmt.Errorf("chown %s: %w", dir, err)
	}
	return []string{"--user=mysql"}, nil
}

// start tries a few ports, since a free port found by listening can be taken
// before mariadbd binds it.
func (s *Server) start(mariadbd string, owner []string) error {
	var err error
	for range 3 {
		if err = s.tryStart(mariadbd, owner); err == nil {
			return nil
		}
	}
	return err
}

func (s *Server) tryStart(mariadbd string, owner []string) error {
	port, err := testtools.FreePort()
	if err != nil {
		return err
	}
	s.Port = port
	args := append([]string{"--no-defaults", "--datadir=" + s.dataDir(), "--socket=" + s.SocketPath(),
		"--port=" + strconv.Itoa(port), "--bind-address=127.0.0.1", "--pid-file=" + filepath.Join(s.Dir, "mysqld.pid"),
		"--log-error=" + s.errorLog(), "--skip-name-resolve", "--innodb-buffer-pool-size=64M"}, owner...)
	cmd := exec.Command(mariadbd, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// Pdeathsig: the server dies with the test binary even if cleanups
	// never run.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start: %w", err)
	}
	s.cmd, s.done = cmd, make(chan struct{})
	go func() {
		cmd.Wait()
		close(s.done)
	}()
	if err := s.waitReady(); err != nil {
		s.stop()
		return err
	}
	return nil
}

// waitReady pings over TCP until the server answers, it exits, or the
// timeout passes.
func (s *Server) waitReady() error {
	db, err := sql.Open("mysql", s.DSN(""))
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	defer db.Close()
	deadline := time.Now().Add(readyTimeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err = db.PingContext(ctx)
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-s.done:
			return fmt.Errorf("mariadbd exited: %s", s.cmd.ProcessState)
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no answer after %v: %w", readyTimeout, err)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// DSN is a go-sql-driver/mysql DSN for root over TCP. An empty database
// connects without selecting one. Times are parsed and several statements
// may be sent at once, which suits loading fixtures.
func (s *Server) DSN(database string) string {
	return fmt.Sprintf("root@tcp(127.0.0.1:%d)/%s?parseTime=true&multiStatements=true", s.Port, database)
}

// SocketDSN is like DSN over the unix socket.
func (s *Server) SocketDSN(database string) string {
	return fmt.Sprintf("root@unix(%s)/%s?parseTime=true&multiStatements=true", s.SocketPath(), database)
}

// Open connects to database (created first if it does not exist) and
// closes the pool when the test ends.
func (s *Server) Open(tb testing.TB, database string) *sql.DB {
	tb.Helper()
	if database != "" {
		admin, err := sql.Open("mysql", s.DSN(""))
		if err != nil {
			tb.Fatalf("open: %v", err)
		}
		defer admin.Close()
		if _, err := admin.Exec("CREATE DATABASE IF NOT EXISTS `" + strings.ReplaceAll(database, "`", "``") + "`"); err != nil {
			tb.Fatalf("create database %s: %v", database, err)
		}
	}
	db, err := sql.Open("mysql", s.DSN(database))
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// SocketPath is the server's unix socket.
func (s *Server) SocketPath() string { return filepath.Join(s.Dir, "mysqld.sock") }

func (s *Server) dataDir() string  { return filepath.Join(s.Dir, "data") }
func (s *Server) errorLog() string { return filepath.Join(s.Dir, "error.log") }

func (s *Server) errorLogTail(n int) string {
	b, err := os.ReadFile(s.errorLog())
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Close stops the server (TERM, then KILL after a grace period) and removes
// its directory. It is safe to call more than once.
func (s *Server) Close() {
	s.stop()
	os.RemoveAll(s.Dir)
}

func (s *Server) stop() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.done
	}
	s.cmd = nil
}
