package app

import (
	"crypto/tls"
	"log/slog"

	"canale/server/internal/acme"
	"canale/server/internal/config"
	"canale/server/internal/httpserver"
	"canale/server/internal/store"
)

func newACME(cfg config.Config, s *store.Store, logger *slog.Logger, onEnable func()) *acme.Manager {
	client, err := acme.HTTPClient(cfg.ACMECAFile)
	if err != nil {
		logger.Error("ACME client; Let's Encrypt requests will use the system roots only", "error", err)
		client = nil
	}
	return acme.New(acme.Options{Store: s, DirectoryURL: cfg.ACMEDirectory, HTTPClient: client,
		Logger: logger, OnEnable: onEnable})
}

// startHTTPS opens the HTTPS listener once, when a managed certificate is
// first enabled (at start, or by the Let's Encrypt button). A listener that
// cannot open (port taken, no permission for :443) is logged; plain HTTP goes on.
func (a *App) startHTTPS() {
	a.httpsOnce.Do(func() {
		if a.cfg.HTTPSAddr == "" || a.runCtx == nil {
			return
		}
		ln, err := httpserver.Listen(a.cfg.HTTPSAddr)
		if err != nil {
			a.logger.Error("https listener", "error", err)
			return
		}
		a.logger.Info("serving HTTPS", "https_addr", ln.Addr().String())
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			if err := httpserver.Serve(a.runCtx, tls.NewListener(ln, a.acme.TLSConfig()), a.engine, a.logger); err != nil {
				a.logger.Error("https server", "error", err)
			}
		}()
	})
}
