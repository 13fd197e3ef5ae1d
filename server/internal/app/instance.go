package app

import (
	"context"
	"log/slog"
	"net"
	"sync"

	"canale/server/internal/config"
	"canale/server/internal/httpserver"
	"canale/server/internal/store"
)

// Instance is the lifecycle of one server: listen, then (once the caller has
// opened and migrated the database) build the App, run its workers and serve;
// Wait or Close stops serving, stops the workers and waits for them. The
// serve and demo commands and the test server all go through it, so they
// start and stop alike.
type Instance struct {
	logger    *slog.Logger
	ln        net.Listener // nil: the caller serves Handler itself (tests, behind httptest)
	metricsLn net.Listener // nil: /metrics is served on ln, to staff only

	app     *App
	stop    context.CancelFunc
	served  chan error
	metrics sync.WaitGroup
	once    sync.Once
	err     error
}

// Listen opens the HTTP listener of cfg and the metrics one when cfg names
// it. It comes before the database is opened, so a port in use fails at once.
func Listen(cfg config.Config, logger *slog.Logger) (*Instance, error) {
	ln, err := httpserver.Listen(cfg.HTTPAddr)
	if err != nil {
		return nil, err
	}
	i := &Instance{logger: logger, ln: ln}
	if cfg.MetricsAddr != "" {
		if i.metricsLn, err = httpserver.Listen(cfg.MetricsAddr); err != nil {
			ln.Close()
			return nil, err
		}
	}
	return i, nil
}

// NewInstance is an Instance with no listener of its own: the caller serves
// App().Handler() (the test server does, with httptest).
func NewInstance(logger *slog.Logger) *Instance {
	return &Instance{logger: logger}
}

// Addr is the address the HTTP listener is bound to.
func (i *Instance) Addr() net.Addr { return i.ln.Addr() }

// MetricsAddr is the address of the metrics listener, nil when there is none.
func (i *Instance) MetricsAddr() net.Addr {
	if i.metricsLn == nil {
		return nil
	}
	return i.metricsLn.Addr()
}

// Start builds the App of cfg over s, runs its workers and serves its
// listeners until ctx ends, Close is called or serving fails. It returns the
// App at once. cfg may differ from Listen's in what depends on the listener
// (demo's external URL is its address).
func (i *Instance) Start(ctx context.Context, cfg config.Config, s *store.Store, version string) *App {
	ctx, i.stop = context.WithCancel(ctx)
	i.app = New(cfg, s, i.logger, version)
	i.app.Run(ctx)
	if i.metricsLn != nil {
		i.metrics.Go(func() {
			if err := httpserver.Serve(ctx, i.metricsLn, i.app.MetricsHandler(), i.logger); err != nil {
				i.logger.Error("metrics server", "error", err)
			}
		})
	}
	i.served = make(chan error, 1)
	go func() {
		if i.ln == nil {
			<-ctx.Done()
			i.served <- nil
			return
		}
		i.served <- httpserver.Serve(ctx, i.ln, i.app.Handler(), i.logger)
	}()
	return i.app
}

// App is the instance's App, nil before Start.
func (i *Instance) App() *App { return i.app }

// Wait blocks until serving stops, then stops the workers and waits for them
// and for the metrics server. It returns what ended serving (nil when ctx
// ended or Close was called). Calling it again returns the same.
func (i *Instance) Wait() error {
	i.once.Do(func() {
		if i.app == nil { // never started: only the listeners to let go
			i.closeListeners()
			return
		}
		i.err = <-i.served
		i.stop() // a failed listener stops the workers too
		i.metrics.Wait()
		i.app.Wait()
		i.closeListeners()
	})
	return i.err
}

// Close stops serving and the workers and waits for them, as Wait does.
func (i *Instance) Close() error {
	if i.stop != nil {
		i.stop()
	}
	return i.Wait()
}

func (i *Instance) closeListeners() {
	for _, ln := range []net.Listener{i.ln, i.metricsLn} {
		if ln != nil {
			ln.Close() // already closed by a shutdown, or never served
		}
	}
}
