package config

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		check   func(Config) string
		wantErr string
	}{
		{name: "Defaults", check: func(c Config) string {
			if c.HTTPAddr != ":80" || c.HTTPSAddr != ":443" || c.DataDir != "/var/lib/canale" || c.LogLevel != slog.LevelInfo || c.AdminTokenTTL != 12*time.Hour {
				return "unexpected defaults"
			}
			return ""
		}},
		{name: "EnvBeatsDefault", env: map[string]string{"CANALE_HTTP_ADDR": "127.0.0.1:8080", "CANALE_LOG_LEVEL": "debug"},
			check: func(c Config) string {
				if c.HTTPAddr != "127.0.0.1:8080" || c.LogLevel != slog.LevelDebug {
					return "env ignored"
				}
				return ""
			}},
		{name: "FlagBeatsEnv", args: []string{"--http-addr", "127.0.0.1:9"}, env: map[string]string{"CANALE_HTTP_ADDR": "127.0.0.1:8080"},
			check: func(c Config) string {
				if c.HTTPAddr != "127.0.0.1:9" {
					return "flag ignored"
				}
				return ""
			}},
		{name: "ExternalURLTrailingSlash", env: map[string]string{"CANALE_EXTERNAL_URL": "https://iptv.example.com/"},
			check: func(c Config) string {
				if c.ExternalURL != "https://iptv.example.com" {
					return "got " + c.ExternalURL
				}
				return ""
			}},
		{name: "TrustedProxies", env: map[string]string{"CANALE_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.7,2001:db8::/32"},
			check: func(c Config) string {
				if got := fmt.Sprint(c.TrustedProxies); got != "[10.0.0.0/8 192.0.2.7/32 2001:db8::/32]" {
					return "got " + got
				}
				return ""
			}},
		{name: "NoTrustedProxiesByDefault", check: func(c Config) string {
			if len(c.TrustedProxies) != 0 || c.MetricsAddr != "" {
				return fmt.Sprintf("got proxies %v, metrics address %q; want none", c.TrustedProxies, c.MetricsAddr)
			}
			return ""
		}},
		{name: "BadTrustedProxy", args: []string{"--trusted-proxies", "10.0.0.0/8,proxy.example"}, wantErr: "CANALE_TRUSTED_PROXIES"},
		{name: "TrustEveryone", env: map[string]string{"CANALE_TRUSTED_PROXIES": "0.0.0.0/0"}, wantErr: "CANALE_TRUSTED_PROXIES"},
		{name: "BadMetricsAddr", env: map[string]string{"CANALE_METRICS_ADDR": "9100"}, wantErr: "CANALE_METRICS_ADDR"},
		{name: "BadAddr", env: map[string]string{"CANALE_HTTP_ADDR": "nope"}, wantErr: "CANALE_HTTP_ADDR"},
		{name: "BadLevel", env: map[string]string{"CANALE_LOG_LEVEL": "loud"}, wantErr: "CANALE_LOG_LEVEL"},
		{name: "BadFormat", args: []string{"--log-format", "xml"}, wantErr: "CANALE_LOG_FORMAT"},
		{name: "BadExternalURL", env: map[string]string{"CANALE_EXTERNAL_URL": "iptv.example.com"}, wantErr: "CANALE_EXTERNAL_URL"},
		{name: "BadTTL", env: map[string]string{"CANALE_ADMIN_TOKEN_TTL": "5s"}, wantErr: "CANALE_ADMIN_TOKEN_TTL"},
		{name: "ListenURLWithoutDatabaseURL", env: map[string]string{"CANALE_LISTEN_DATABASE_URL": "postgres://db/canale"}, wantErr: "CANALE_LISTEN_DATABASE_URL"},
		{name: "ListenURL", env: map[string]string{"CANALE_DATABASE_URL": "postgres://pgbouncer:6432/canale", "CANALE_LISTEN_DATABASE_URL": "postgres://db:5432/canale"},
			check: func(c Config) string {
				if c.ListenDatabaseURL != "postgres://db:5432/canale" {
					return "got " + c.ListenDatabaseURL
				}
				return ""
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("serve", tt.args, env(tt.env), io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if msg := tt.check(c); msg != "" {
				t.Error(msg)
			}
		})
	}
}
