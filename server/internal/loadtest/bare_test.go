//go:build loadtest

package loadtest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// bareEnv, set to 1, makes the test binary a bare net/http server that
// answers 200 to everything: the reference for what any Go HTTP server in
// its own process shows at the same rate on this machine.
const bareEnv = "CANALE_LOAD_BARE"

// bareMain listens on a loopback port, prints its address, and serves until
// standard input closes (the harness going away).
func bareMain() int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println(ln.Addr())
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		ln.Close()
	}()
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	if err := http.Serve(ln, h); err != nil && !strings.Contains(err.Error(), "use of closed") {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// startBare runs the bare server (this binary re-run with bareEnv) and
// returns its base URL; it stops with the test.
func startBare(t *testing.T) string {
	t.Helper()
	_, stdout := startChild(t, bareEnv)
	addr, err := stdout.ReadString('\n')
	if err != nil {
		t.Fatalf("bare server address: %v", err)
	}
	return "http://" + strings.TrimSpace(addr)
}

// startChild runs this test binary again with env set to 1, to serve in a
// process of its own until its standard input closes, which happens when
// the test ends. It returns the child's standard input and output.
func startChild(t *testing.T, env string) (io.Writer, *bufio.Reader) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env+"=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", env, err)
	}
	t.Cleanup(func() { stdin.Close(); _ = cmd.Wait() })
	return stdin, bufio.NewReader(stdout)
}
