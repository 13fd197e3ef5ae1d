package netguard

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		addr    string
		blocked bool
	}{
		{"127.0.0.1", true},
		{"127.8.9.10", true},
		{"::1", true},
		{"::ffff:127.0.0.1", true}, // IPv4-mapped loopback
		{"10.1.2.3", true},
		{"172.16.0.1", true},
		{"192.168.1.1", true},
		{"::ffff:192.168.1.1", true},
		{"fd00::1", true},
		{"169.254.169.254", true}, // cloud metadata
		{"fe80::1", true},
		{"224.0.0.1", true},
		{"ff02::1", true},
		{"ff01::1", true},
		{"0.0.0.0", true},
		{"::", true},
		{"::ffff:0.0.0.0", true},
		{"0.1.2.3", true},
		{"100.64.0.1", true},
		{"255.255.255.255", true},
		{"64:ff9b::a00:1", true},    // NAT64 of 10.0.0.1
		{"64:ff9b::808:808", false}, // NAT64 of 8.8.8.8
		{"::7f00:1", true},          // IPv4-compatible 127.0.0.1
		{"8.8.8.8", false},
		{"::ffff:8.8.8.8", false},
		{"2606:4700:4700::1111", false},
		{"93.184.216.34", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			err := Check(netip.MustParseAddr(tt.addr))
			if got := errors.Is(err, ErrBlocked); got != tt.blocked {
				t.Errorf("Check(%s): got %v, want blocked %v", tt.addr, err, tt.blocked)
			}
		})
	}
}

// listen starts a server on addr that answers handler.
func listen(t *testing.T, addr string, handler http.Handler) *httptest.Server {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen on %s: %v", addr, err)
	}
	srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: handler}}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

func get(c *http.Client, url string) error {
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

func TestClientRefusesLoopback(t *testing.T) {
	srv := listen(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	for _, url := range []string{srv.URL, "http://localhost:" + port, "http://[::ffff:127.0.0.1]:" + port} {
		if err := get(Client(false), url); !errors.Is(err, ErrBlocked) {
			t.Errorf("get %s: got %v, want ErrBlocked", url, err)
		}
	}
	if err := get(Client(true), srv.URL); err != nil {
		t.Errorf("get %s allowing private networks: %v", srv.URL, err)
	}
}

// TestClientRefusesRedirectToPrivate treats 127.0.0.1 as a public host that
// redirects to 127.0.0.2: the redirect's dial must be refused.
func TestClientRefusesRedirectToPrivate(t *testing.T) {
	inner := listen(t, "127.0.0.2:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "secret")
	}))
	outer := listen(t, "127.0.0.1:0", http.RedirectHandler(inner.URL+"/admin", http.StatusFound))
	publicLoopback := func(a netip.Addr) error {
		if a == netip.MustParseAddr("127.0.0.1") {
			return nil
		}
		return Check(a)
	}
	c := &http.Client{Transport: transport(false, publicLoopback)}
	err := get(c, outer.URL)
	if !errors.Is(err, ErrBlocked) {
		t.Fatalf("got %v, want the redirect to 127.0.0.2 refused", err)
	}
	if want := "127.0.0.2 is a loopback address"; !strings.Contains(err.Error(), want) {
		t.Errorf("got %q, want it to say %q", err, want)
	}
}
