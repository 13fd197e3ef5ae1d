package testtools

import (
	"fmt"
	"net"
)

// FreePort is a loopback TCP port free a moment ago, for a program that
// takes its port as an argument; another can take it before that program
// binds it, so harnesses retry on a failed start.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
