package testtools

import (
	"bytes"
	"fmt"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// Proc is a child process that a harness owns. It is started with
// Pdeathsig so that it dies with the test binary even when cleanups never
// run (a panic, a -timeout), and in its own process group so that Stop
// reaches anything it forked.
type Proc struct {
	Name string
	cmd  *exec.Cmd
	out  *tailBuffer
	done chan struct{}
	err  error // exit status; read only after done is closed
	once sync.Once
}

// StartProc starts the command with its stdout and stderr kept in a tail
// buffer for error messages.
func StartProc(name string, cmd *exec.Cmd) (*Proc, error) {
	p := &Proc{Name: name, cmd: cmd, out: &tailBuffer{max: 16 << 10}, done: make(chan struct{})}
	cmd.Stdout = p.out
	cmd.Stderr = p.out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// Exited reports whether the process has ended.
func (p *Proc) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Err is the process's exit status once it has ended, nil before.
func (p *Proc) Err() error {
	if !p.Exited() {
		return nil
	}
	return p.err
}

// Output is the end of what the process wrote to stdout and stderr.
func (p *Proc) Output() string { return p.out.String() }

// Stop sends sig, waits up to grace for the process to end, then kills its
// whole process group. It is safe to call more than once.
func (p *Proc) Stop(sig syscall.Signal, grace time.Duration) {
	p.once.Do(func() {
		pid := p.cmd.Process.Pid
		if !p.Exited() {
			_ = syscall.Kill(pid, sig)
			select {
			case <-p.done:
			case <-time.After(grace):
			}
		}
		// The group may hold children even after the leader is gone.
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		<-p.done
	})
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	if extra := b.buf.Len() - b.max; extra > 0 {
		b.buf.Next(extra)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
