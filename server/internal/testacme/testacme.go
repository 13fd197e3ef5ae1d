// Package testacme starts pebble, the ACME test server of Let's Encrypt,
// on loopback, so that certificate issuance (autocert with TLS-ALPN-01 or
// HTTP-01) is tested end to end without the internet.
//
// pebble-challtestsrv runs beside it as pebble's DNS server and answers every
// name with 127.0.0.1, so pebble validates challenges against listeners on
// this machine: a TLS-ALPN-01 responder must listen on 127.0.0.1:TLSPort and
// an HTTP-01 responder on 127.0.0.1:HTTPPort.
package testacme

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

const installHint = "apt-get install -y --no-install-recommends pebble"

// readyTimeout bounds the wait for pebble's directory to answer.
const readyTimeout = 20 * time.Second

// Options configures a pebble server.
type Options struct {
	// AlwaysValid makes pebble accept every challenge without checking it
	// (PEBBLE_VA_ALWAYS_VALID), for tests about what happens after
	// issuance. No DNS server is started then.
	AlwaysValid bool
}

// Pebble is a running pebble (and, unless AlwaysValid, its DNS server).
type Pebble struct {
	// DirectoryURL is the ACME directory, for acme.Client.DirectoryURL.
	DirectoryURL string
	// HTTPClient trusts pebble's own TLS certificate (not the CA that signs
	// issued certificates: see Roots).
	HTTPClient *http.Client
	// TLSPort and HTTPPort are where pebble connects to validate
	// TLS-ALPN-01 and HTTP-01 challenges, on 127.0.0.1.
	TLSPort  int
	HTTPPort int
	// ManagementURL is pebble's management interface (roots, intermediates).
	ManagementURL string
	// Dir holds the generated certificate and config.
	Dir string

	procs []*exec.Cmd
	dones []chan struct{}
}

// Start generates a TLS certificate and config for pebble, starts it and
// waits until its directory answers. Close is registered as a cleanup.
// When pebble is missing the test fails under CI=true and is skipped
// elsewhere.
func Start(tb testing.TB, opts Options) *Pebble {
	tb.Helper()
	pebbleBin, challBin := requireTools(tb)
	dir, err := os.MkdirTemp("", "acme")
	if err != nil {
		tb.Fatalf("create dir: %v", err)
	}
	p := &Pebble{Dir: dir}
	tb.Cleanup(p.Close)

	pool, err := writeCert(dir)
	if err != nil {
		tb.Fatal(err)
	}
	p.HTTPClient = &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
	}
	ports, err := freePorts(4)
	if err != nil {
		tb.Fatal(err)
	}
	listen, mgmt := ports[0], ports[1]
	p.TLSPort, p.HTTPPort = ports[2], ports[3]
	p.DirectoryURL = fmt.Sprintf("https://127.0.0.1:%d/dir", listen)
	p.ManagementURL = fmt.Sprintf("https://127.0.0.1:%d", mgmt)
	if err := p.writeConfig(listen, mgmt); err != nil {
		tb.Fatal(err)
	}

	env := []string{"PEBBLE_VA_NOSLEEP=1", "PEBBLE_WFE_NONCEREJECT=0"}
	args := []string{"-config", filepath.Join(dir, "pebble-config.json")}
	if opts.AlwaysValid {
		env = append(env, "PEBBLE_VA_ALWAYS_VALID=1")
	} else {
		dns, err := p.startDNS(challBin)
		if err != nil {
			tb.Fatal(err)
		}
		args = append(args, "-dnsserver", dns)
	}
	logPath := filepath.Join(dir, "pebble.log")
	cmd := exec.Command(pebbleBin, args...)
	cmd.Env = append(os.Environ(), env...)
	if err := p.start(cmd, logPath); err != nil {
		tb.Fatal(err)
	}
	if err := p.waitReady(); err != nil {
		log, _ := os.ReadFile(logPath)
		tb.Fatalf("%v\npebble log:\n%s", err, log)
	}
	return p
}

func requireTools(tb testing.TB) (pebble, challtestsrv string) {
	tb.Helper()
	var paths []string
	for _, name := range []string{"pebble", "pebble-challtestsrv"} {
		p, err := exec.LookPath(name)
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

// writeCert makes the certificate pebble serves its API with (the Debian
// package ships none) and returns a pool that trusts it.
func writeCert(dir string) (*x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "pebble"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(30 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("create certificate: %w", err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("marshal key: %w", err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	if err := os.WriteFile(filepath.Join(dir, "cert.pem"), certPEM, 0o644); err != nil {
		return nil, fmt.Errorf("write certificate: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "key.pem"), keyPEM, 0o600); err != nil {
		return nil, fmt.Errorf("write key: %w", err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certPEM)
	return pool, nil
}

func (p *Pebble) writeConfig(listen, mgmt int) error {
	cfg := map[string]any{"pebble": map[string]any{
		"listenAddress":                  fmt.Sprintf("127.0.0.1:%d", listen),
		"managementListenAddress":        fmt.Sprintf("127.0.0.1:%d", mgmt),
		"certificate":                    filepath.Join(p.Dir, "cert.pem"),
		"privateKey":                     filepath.Join(p.Dir, "key.pem"),
		"httpPort":                       p.HTTPPort,
		"tlsPort":                        p.TLSPort,
		"ocspResponderURL":               "",
		"externalAccountBindingRequired": false,
	}}
	b, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return fmt.Errorf("encode pebble config: %w", err)
	}
	if err := os.WriteFile(filepath.Join(p.Dir, "pebble-config.json"), b, 0o644); err != nil {
		return fmt.Errorf("write pebble config: %w", err)
	}
	return nil
}

// startDNS starts pebble-challtestsrv as a DNS server only (its challenge
// responders are off: the code under test answers challenges) and returns
// its address.
func (p *Pebble) startDNS(bin string) (string, error) {
	dnsPort, err := freeUDPPort()
	if err != nil {
		return "", err
	}
	mgmtPorts, err := freePorts(1)
	if err != nil {
		return "", err
	}
	dns := fmt.Sprintf("127.0.0.1:%d", dnsPort)
	cmd := exec.Command(bin, "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "",
		"-dns01", dns, "-http01", "", "-https01", "", "-tlsalpn01", "",
		"-management", fmt.Sprintf("127.0.0.1:%d", mgmtPorts[0]))
	if err := p.start(cmd, filepath.Join(p.Dir, "challtestsrv.log")); err != nil {
		return "", err
	}
	// It binds DNS before management, so a management answer means DNS is
	// up before pebble could ask it anything.
	if err := waitTCP(fmt.Sprintf("127.0.0.1:%d", mgmtPorts[0]), p.dones[len(p.dones)-1]); err != nil {
		log, _ := os.ReadFile(filepath.Join(p.Dir, "challtestsrv.log"))
		return "", fmt.Errorf("pebble-challtestsrv: %w\n%s", err, log)
	}
	return dns, nil
}

// start runs cmd as a child that dies with the test binary (Pdeathsig) and
// logs to logPath.
func (p *Pebble) start(cmd *exec.Cmd, logPath string) error {
	log, err := os.Create(logPath)
	if err != nil {
		return fmt.Errorf("create log: %w", err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
	err = cmd.Start()
	log.Close() // the child holds its own descriptor
	if err != nil {
		return fmt.Errorf("start %s: %w", filepath.Base(cmd.Path), err)
	}
	done := make(chan struct{})
	go func() {
		cmd.Wait()
		close(done)
	}()
	p.procs = append(p.procs, cmd)
	p.dones = append(p.dones, done)
	return nil
}

// waitReady polls the directory until it answers or a process exits.
func (p *Pebble) waitReady() error {
	deadline := time.Now().Add(readyTimeout)
	for {
		for i, done := range p.dones {
			select {
			case <-done:
				return fmt.Errorf("%s exited: %s", filepath.Base(p.procs[i].Path), p.procs[i].ProcessState)
			default:
			}
		}
		resp, err := p.HTTPClient.Get(p.DirectoryURL)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %s", resp.Status)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("pebble directory %s not ready after %v: %w", p.DirectoryURL, readyTimeout, err)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// RootPEM fetches the PEM of the root CA that signs issued certificates.
// Pebble makes a new root at every start.
func (p *Pebble) RootPEM(ctx context.Context) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.ManagementURL+"/roots/0", nil)
	if err != nil {
		return nil, fmt.Errorf("fetch pebble root: %w", err)
	}
	resp, err := p.HTTPClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch pebble root: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("fetch pebble root: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch pebble root: status %s: %s", resp.Status, b)
	}
	return b, nil
}

// Roots is a pool holding pebble's root CA, for verifying issued
// certificates. The test fails if the root cannot be fetched.
func (p *Pebble) Roots(tb testing.TB) *x509.CertPool {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := p.RootPEM(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		tb.Fatalf("pebble root is not PEM: %q", b)
	}
	return pool
}

// TLSAddr is where a TLS-ALPN-01 responder must listen.
func (p *Pebble) TLSAddr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(p.TLSPort)) }

// HTTPAddr is where an HTTP-01 responder must listen.
func (p *Pebble) HTTPAddr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(p.HTTPPort)) }

// Close stops pebble and its DNS server and removes Dir. It is safe to call
// more than once.
func (p *Pebble) Close() {
	for i, cmd := range p.procs {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.dones[i]:
		case <-time.After(3 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-p.dones[i]
		}
	}
	p.procs, p.dones = nil, nil
	if p.HTTPClient != nil {
		p.HTTPClient.CloseIdleConnections()
	}
	os.RemoveAll(p.Dir)
}

// waitTCP polls addr until it accepts a connection, done closes, or the
// timeout passes.
func waitTCP(addr string, done <-chan struct{}) error {
	deadline := time.Now().Add(readyTimeout)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-done:
			return fmt.Errorf("exited before listening on %s", addr)
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not listening on %s after %v", addr, readyTimeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// freePorts asks the kernel for n distinct free loopback TCP ports.
func freePorts(n int) ([]int, error) {
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("find free port: %w", err)
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// freeUDPPort finds a port free for both UDP and TCP, since the DNS server
// binds both.
func freeUDPPort() (int, error) {
	for range 10 {
		c, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return 0, fmt.Errorf("find free udp port: %w", err)
		}
		port := c.LocalAddr().(*net.UDPAddr).Port
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		c.Close()
		if err == nil {
			l.Close()
			return port, nil
		}
	}
	return 0, fmt.Errorf("find free udp port: no port free for both udp and tcp")
}
