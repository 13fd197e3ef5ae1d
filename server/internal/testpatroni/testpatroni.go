// Package testpatroni starts a real highly available PostgreSQL on loopback
// for tests: one etcd, two PostgreSQL nodes each run by Patroni in
// synchronous mode, and haproxy sending clients to whichever node Patroni
// made primary. It is what an operator runs in front of several Canale
// instances (packaging/ha), with the timings cut so a failover takes seconds.
package testpatroni

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"canale/server/internal/pgsql"
	"canale/server/internal/testtools"
)

const installHint = "apt-get install patroni etcd-server haproxy postgresql"

// Cluster is a running etcd + two Patroni nodes + haproxy.
type Cluster struct {
	dir   string
	etcd  *exec.Cmd
	proxy *exec.Cmd
	Nodes [2]*Node
	// ProxyAddr is haproxy's read-write port: it forwards to the node whose
	// Patroni answers 200 to OPTIONS /primary and cuts the sessions of a
	// node marked down.
	ProxyAddr string
}

// Node is one PostgreSQL node and the Patroni that runs it.
type Node struct {
	Name     string
	PGPort   int
	RESTPort int
	dir      string
	yml      string
	cred     *syscall.Credential
	patroni  *exec.Cmd
	exited   chan struct{}
}

// Start starts the cluster and waits until one node is primary and the
// other its synchronous standby. Missing programs skip the test, or fail it
// under CI=true. Everything stops when the test ends.
func Start(tb testing.TB) *Cluster {
	tb.Helper()
	binDir := requireTools(tb)
	dir, err := os.MkdirTemp("", "cpat") // short: PostgreSQL's socket path has a 107-byte limit
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil { // Patroni runs as postgres and must reach its node's folder
		tb.Fatal(err)
	}
	c := &Cluster{dir: dir}
	tb.Cleanup(c.stop)
	ports := freePorts(tb, 8)
	etcdClient, etcdPeer := ports[0], ports[1]
	c.ProxyAddr = "127.0.0.1:" + strconv.Itoa(ports[2])
	cred := postgresCredential(tb)

	c.etcd = exec.Command("etcd", "--name", "etcd1", "--data-dir", filepath.Join(dir, "etcd"),
		"--log-outputs", filepath.Join(dir, "etcd.log"), "--logger", "zap",
		"--listen-client-urls", fmt.Sprintf("http://127.0.0.1:%d", etcdClient),
		"--advertise-client-urls", fmt.Sprintf("http://127.0.0.1:%d", etcdClient),
		"--listen-peer-urls", fmt.Sprintf("http://127.0.0.1:%d", etcdPeer),
		"--initial-advertise-peer-urls", fmt.Sprintf("http://127.0.0.1:%d", etcdPeer),
		"--initial-cluster", fmt.Sprintf("etcd1=http://127.0.0.1:%d", etcdPeer),
		"--initial-cluster-state", "new", "--listen-metrics-urls", "")
	if err := c.etcd.Start(); err != nil {
		tb.Fatalf("start etcd: %v", err)
	}
	waitFor(tb, 20*time.Second, "etcd answering", func() bool {
		return httpStatus(fmt.Sprintf("http://127.0.0.1:%d/version", etcdClient), http.MethodGet) == http.StatusOK
	})

	for i := range c.Nodes {
		n := &Node{Name: "pg" + strconv.Itoa(i+1), PGPort: ports[3+2*i], RESTPort: ports[4+2*i],
			dir: filepath.Join(dir, "pg"+strconv.Itoa(i+1)), cred: cred}
		if err := os.MkdirAll(n.dir, 0o700); err != nil {
			tb.Fatal(err)
		}
		n.yml = filepath.Join(n.dir, "patroni.yml")
		if err := os.WriteFile(n.yml, []byte(nodeConfig(n, etcdClient, binDir)), 0o600); err != nil {
			tb.Fatal(err)
		}
		if cred != nil {
			if err := chownTree(n.dir, int(cred.Uid), int(cred.Gid)); err != nil {
				tb.Fatal(err)
			}
		}
		c.Nodes[i] = n
	}
	if err := c.startProxy(); err != nil {
		tb.Fatal(err)
	}
	// The first node bootstraps alone, so it is the one that runs initdb.
	c.Nodes[0].Start(tb)
	waitFor(tb, 60*time.Second, "pg1 primary", func() bool { return c.Nodes[0].Role() == "master" })
	c.Nodes[1].Start(tb)
	c.WaitSyncStandby(tb, 60*time.Second)
	return c
}

// DSN is a connection string through haproxy's read-write port.
func (c *Cluster) DSN(db string) string {
	return "postgres://postgres@" + c.ProxyAddr + "/" + db + "?sslmode=disable&connect_timeout=3"
}

// Primary returns the node running as primary, or nil.
func (c *Cluster) Primary() *Node {
	for _, n := range c.Nodes {
		if n.Role() == "master" {
			return n
		}
	}
	return nil
}

// WaitPrimary waits for a node other than not (nil: any) to run as primary
// and returns it.
func (c *Cluster) WaitPrimary(tb testing.TB, not *Node, within time.Duration) *Node {
	tb.Helper()
	var p *Node
	waitFor(tb, within, "a new primary", func() bool {
		p = c.Primary()
		return p != nil && p != not
	})
	return p
}

// WaitSyncStandby waits until the cluster has a synchronous standby, so a
// commit the primary acknowledges is on two nodes.
func (c *Cluster) WaitSyncStandby(tb testing.TB, within time.Duration) {
	tb.Helper()
	waitFor(tb, within, "a synchronous standby", func() bool {
		for _, n := range c.Nodes {
			if httpStatus(n.restURL("/sync"), http.MethodOptions) == http.StatusOK {
				return true
			}
		}
		return false
	})
}

// Start starts (or restarts) the node's Patroni.
func (n *Node) Start(tb testing.TB) {
	tb.Helper()
	log, err := os.OpenFile(filepath.Join(n.dir, "patroni.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command("patroni", n.yml)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.Dir = n.dir
	cmd.Env = append(os.Environ(), "HOME="+n.dir)
	if n.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: n.cred}
	}
	if err := cmd.Start(); err != nil {
		log.Close()
		tb.Fatalf("start patroni %s: %v", n.Name, err)
	}
	n.patroni, n.exited = cmd, make(chan struct{})
	go func(exited chan struct{}) { cmd.Wait(); log.Close(); close(exited) }(n.exited)
}

// KillPostmaster sends SIGKILL to the node's postmaster, as a crash would;
// Patroni stays up and, with primary_start_timeout 0, fails over at once.
func (n *Node) KillPostmaster(tb testing.TB) {
	tb.Helper()
	pid := n.postmasterPID()
	if pid <= 0 {
		tb.Fatalf("%s: no postmaster.pid", n.Name)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		tb.Fatalf("kill postmaster of %s: %v", n.Name, err)
	}
}

// StopPatroni stops the node's Patroni cleanly (SIGTERM), which shuts its
// PostgreSQL down and, on the primary, hands the leader key to the
// synchronous standby: a switchover. It returns an error rather than
// failing the test, so it can run beside the test's own goroutine.
func (n *Node) StopPatroni() error {
	if n.patroni == nil {
		return nil
	}
	_ = n.patroni.Process.Signal(syscall.SIGTERM)
	select {
	case <-n.exited:
	case <-time.After(30 * time.Second):
		return fmt.Errorf("patroni %s did not stop within 30s", n.Name)
	}
	n.patroni = nil
	return nil
}

// Role is what the node's Patroni reports running: "master", "replica",
// or "" when its PostgreSQL is not running or Patroni does not answer.
func (n *Node) Role() string {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, n.restURL("/patroni"), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	var st struct{ State, Role string }
	if json.NewDecoder(resp.Body).Decode(&st) != nil || st.State != "running" {
		return ""
	}
	return st.Role
}

// Log is the tail of the node's Patroni log (PostgreSQL's goes there too).
func (n *Node) Log() string { return tail(filepath.Join(n.dir, "patroni.log")) }

func (n *Node) restURL(path string) string {
	return "http://127.0.0.1:" + strconv.Itoa(n.RESTPort) + path
}

func (n *Node) postmasterPID() int {
	b, err := os.ReadFile(filepath.Join(n.dir, "data", "postmaster.pid"))
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	return pid
}

func (c *Cluster) startProxy() error {
	var servers strings.Builder
	for _, n := range c.Nodes {
		fmt.Fprintf(&servers, "    server %s 127.0.0.1:%d maxconn 200 check port %d\n", n.Name, n.PGPort, n.RESTPort)
	}
	cfg := fmt.Sprintf(`global
    maxconn 1000
defaults
    mode tcp
    retries 2
    timeout connect 2s
    timeout client 30m
    timeout server 30m
    timeout check 2s
listen pg_primary
    bind %s
    option httpchk OPTIONS /primary
    http-check expect status 200
    default-server inter 500ms fastinter 250ms downinter 500ms fall 2 rise 1 on-marked-down shutdown-sessions
%s`, c.ProxyAddr, servers.String())
	path := filepath.Join(c.dir, "haproxy.cfg")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		return err
	}
	log, err := os.Create(filepath.Join(c.dir, "haproxy.log"))
	if err != nil {
		return err
	}
	c.proxy = exec.Command("haproxy", "-f", path, "-db")
	c.proxy.Stdout, c.proxy.Stderr = log, log
	if err := c.proxy.Start(); err != nil {
		return fmt.Errorf("start haproxy: %w", err)
	}
	return nil
}

func (c *Cluster) stop() {
	for _, n := range c.Nodes {
		if n == nil || n.patroni == nil {
			continue
		}
		_ = n.patroni.Process.Signal(syscall.SIGTERM)
		select {
		case <-n.exited:
		case <-time.After(15 * time.Second):
			_ = n.patroni.Process.Kill()
		}
	}
	for _, n := range c.Nodes { // a postmaster Patroni left behind
		if n != nil {
			if pid := n.postmasterPID(); pid > 0 {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	}
	for _, p := range []*exec.Cmd{c.proxy, c.etcd} {
		if p != nil && p.Process != nil {
			_ = p.Process.Kill()
			_ = p.Wait()
		}
	}
	os.RemoveAll(c.dir)
}

// nodeConfig is the node's Patroni YAML: the settings of packaging/ha with
// ttl, loop_wait and retry_timeout cut (loop_wait + 2 × retry_timeout ≤
// ttl still holds) and primary_start_timeout 0, so a crashed primary fails
// over instead of being restarted in place.
func nodeConfig(n *Node, etcdPort int, binDir string) string {
	return fmt.Sprintf(`scope: canale
namespace: /service/
name: %[1]s
restapi: {listen: 127.0.0.1:%[2]d, connect_address: 127.0.0.1:%[2]d}
etcd3: {hosts: 127.0.0.1:%[3]d}
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 1
    retry_timeout: 4
    maximum_lag_on_failover: 1048576
    primary_start_timeout: 0
    synchronous_mode: true
    synchronous_mode_strict: false
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters: {wal_level: replica, hot_standby: "on", wal_log_hints: "on", max_wal_senders: 10, max_replication_slots: 10, max_connections: 200}
  initdb: [{encoding: UTF8}, {locale: C.UTF-8}]
  pg_hba:
    - local all all trust
    - host replication replicator 127.0.0.1/32 trust
    - host all all 127.0.0.1/32 trust
postgresql:
  listen: 127.0.0.1:%[4]d
  connect_address: 127.0.0.1:%[4]d
  data_dir: %[5]s/data
  bin_dir: %[6]s
  pgpass: %[5]s/pgpass
  authentication:
    superuser: {username: postgres}
    replication: {username: replicator}
    rewind: {username: rewinder}
  parameters: {unix_socket_directories: %[5]s, fsync: "off", full_page_writes: "off"}
`, n.Name, n.RESTPort, etcdPort, n.PGPort, n.dir, binDir)
}

func requireTools(tb testing.TB) string {
	tb.Helper()
	for _, name := range []string{"patroni", "etcd", "haproxy"} {
		if _, err := testtools.Look(name); err != nil {
			missing(tb, name+" not found")
		}
	}
	binDir, err := pgsql.FindBinDir()
	if err != nil {
		missing(tb, "PostgreSQL server binaries not found: "+err.Error())
	}
	return binDir
}

func missing(tb testing.TB, what string) {
	tb.Helper()
	testtools.Missing(tb, what, installHint)
}

// postgresCredential is the postgres account to run Patroni as when the
// test runs as root (initdb refuses root); nil otherwise.
func postgresCredential(tb testing.TB) *syscall.Credential {
	tb.Helper()
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		missing(tb, "running as root needs the postgres account to run Patroni")
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
}

func chownTree(dir string, uid, gid int) error {
	return filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Chown(p, uid, gid)
	})
}

func freePorts(tb testing.TB, n int) []int {
	tb.Helper()
	var ports []int
	var ls []net.Listener
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			tb.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

func httpStatus(url, method string) int {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, method, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

func waitFor(tb testing.TB, within time.Duration, what string, ok func() bool) {
	tb.Helper()
	deadline := time.Now().Add(within)
	for !ok() {
		if time.Now().After(deadline) {
			tb.Fatalf("no %s within %v", what, within)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}
