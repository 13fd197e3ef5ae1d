// Package config turns command-line flags and CANALE_* environment variables
// into one typed Config, validated once at start. A flag beats its variable,
// which beats the default.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"time"
)

// Config is everything `canale serve` and `canale setup` need to start.
type Config struct {
	HTTPAddr      string        // CANALE_HTTP_ADDR: plain HTTP listener
	HTTPSAddr     string        // CANALE_HTTPS_ADDR: TLS listener, used once a certificate exists
	DataDir       string        // CANALE_DATA_DIR: embedded PostgreSQL, certificates, uploads
	DatabaseURL   string        // CANALE_DATABASE_URL: external PostgreSQL; empty means embedded
	ExternalURL   string        // CANALE_EXTERNAL_URL: how subscribers and streamers reach us
	LogLevel      slog.Level    // CANALE_LOG_LEVEL: debug, info, warn, error
	LogFormat     string        // CANALE_LOG_FORMAT: text or json
	AdminTokenTTL time.Duration // CANALE_ADMIN_TOKEN_TTL: lifetime of an admin API token
	ACMEDirectory string        // CANALE_ACME_DIRECTORY_URL: ACME directory; empty means Let's Encrypt
	ACMECAFile    string        // CANALE_ACME_CA_FILE: extra root (PEM) to trust for a private ACME CA
	// TrustedProxies (CANALE_TRUSTED_PROXIES) are the reverse proxies whose
	// X-Forwarded-For and X-Forwarded-Proto are believed; empty
	// believes nobody, so a client cannot pick its own address.
	TrustedProxies []netip.Prefix
	MetricsAddr    string // CANALE_METRICS_ADDR: own listener for /metrics; empty serves it on the main one to staff tokens
	// ListenDatabaseURL (CANALE_LISTEN_DATABASE_URL) is where the LISTEN
	// for other instances' changes connects when CANALE_DATABASE_URL goes
	// through a transaction-pooling PgBouncer, which cannot carry a LISTEN;
	// empty uses CANALE_DATABASE_URL.
	ListenDatabaseURL string
	// TunerDiscoveryLogin (CANALE_TUNER_DISCOVERY_LOGIN) is the subscriber
	// whose HDHomeRun tuner answers discovery on TunerDiscoveryAddr
	// (CANALE_TUNER_DISCOVERY_ADDR, UDP); empty turns discovery off.
	TunerDiscoveryLogin string
	TunerDiscoveryAddr  string
}

// Var describes one setting for the README and for --help.
type Var struct {
	Env, Flag, Default, Usage string
}

// Vars lists every setting in the order --help shows them.
var Vars = []Var{
	{"CANALE_HTTP_ADDR", "http-addr", ":80", "address of the plain HTTP listener"},
	{"CANALE_HTTPS_ADDR", "https-addr", ":443", "address of the HTTPS listener, used once a certificate exists"},
	{"CANALE_DATA_DIR", "data-dir", "/var/lib/canale", "data directory: the embedded PostgreSQL cluster, certificates, logos"},
	{"CANALE_DATABASE_URL", "database-url", "", "PostgreSQL URL; empty runs the embedded cluster in the data directory"},
	{"CANALE_EXTERNAL_URL", "external-url", "", "public base URL of this installation, e.g. https://iptv.example.com"},
	{"CANALE_LOG_LEVEL", "log-level", "info", "debug, info, warn or error"},
	{"CANALE_LOG_FORMAT", "log-format", "text", "text or json"},
	{"CANALE_ADMIN_TOKEN_TTL", "admin-token-ttl", "12h", "lifetime of an admin API token"},
	{"CANALE_ACME_DIRECTORY_URL", "acme-directory-url", "", "ACME directory URL; empty means Let's Encrypt production"},
	{"CANALE_ACME_CA_FILE", "acme-ca-file", "", "PEM file of a root to trust when talking to a private ACME CA"},
	{"CANALE_TRUSTED_PROXIES", "trusted-proxies", "", "comma-separated CIDRs (or addresses) of reverse proxies whose X-Forwarded-* headers are believed; empty trusts none"},
	{"CANALE_METRICS_ADDR", "metrics-addr", "", "address of a separate listener for /metrics; empty serves /metrics on the main listener to staff bearer tokens"},
	{"CANALE_LISTEN_DATABASE_URL", "listen-database-url", "", "PostgreSQL URL for the LISTEN connection when CANALE_DATABASE_URL is a transaction-pooling PgBouncer; empty uses CANALE_DATABASE_URL"},
	{"CANALE_TUNER_DISCOVERY_LOGIN", "tuner-discovery-login", "", "login of the subscriber whose HDHomeRun tuner answers LAN discovery (UDP); empty turns discovery off"},
	{"CANALE_TUNER_DISCOVERY_ADDR", "tuner-discovery-addr", ":65001", "UDP address of HDHomeRun discovery, used when CANALE_TUNER_DISCOVERY_LOGIN is set"},
}

// Parse reads flags from args, falling back to getenv and then the defaults,
// and validates the result. Errors name the setting at fault.
func Parse(name string, args []string, getenv func(string) string, out io.Writer) (Config, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	return ParseFlags(fs, args, getenv)
}

// ParseFlags is Parse on a flag set the caller made, so a subcommand can add
// flags of its own (setup init's --login) next to the common ones.
func ParseFlags(fs *flag.FlagSet, args []string, getenv func(string) string) (Config, error) {
	vals := make(map[string]*string, len(Vars))
	for _, v := range Vars {
		def := v.Default
		if e := getenv(v.Env); e != "" {
			def = e
		}
		vals[v.Flag] = fs.String(v.Flag, def, v.Usage+" ("+v.Env+")")
	}
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return build(func(flag string) string { return strings.TrimSpace(*vals[flag]) })
}

func build(get func(string) string) (Config, error) {
	c := Config{
		HTTPAddr: get("http-addr"), HTTPSAddr: get("https-addr"), DataDir: get("data-dir"),
		DatabaseURL: get("database-url"), ExternalURL: strings.TrimRight(get("external-url"), "/"),
		LogFormat: get("log-format"), ACMEDirectory: get("acme-directory-url"), ACMECAFile: get("acme-ca-file"),
		MetricsAddr: get("metrics-addr"), ListenDatabaseURL: get("listen-database-url"),
		TunerDiscoveryLogin: get("tuner-discovery-login"), TunerDiscoveryAddr: get("tuner-discovery-addr"),
	}
	var errs []error
	proxies, err := parsePrefixes(get("trusted-proxies"))
	if err != nil {
		errs = append(errs, fmt.Errorf("CANALE_TRUSTED_PROXIES: %w", err))
	}
	c.TrustedProxies = proxies
	if err := c.LogLevel.UnmarshalText([]byte(get("log-level"))); err != nil {
		errs = append(errs, fmt.Errorf("CANALE_LOG_LEVEL: %q is not debug, info, warn or error", get("log-level")))
	}
	ttl, err := time.ParseDuration(get("admin-token-ttl"))
	if err != nil || ttl < time.Minute {
		errs = append(errs, fmt.Errorf("CANALE_ADMIN_TOKEN_TTL: %q is not a duration of at least 1m", get("admin-token-ttl")))
	}
	c.AdminTokenTTL = ttl
	errs = append(errs, c.validate()...)
	return c, errors.Join(errs...)
}

func (c Config) validate() []error {
	var errs []error
	for _, a := range []struct{ env, v string }{{"CANALE_HTTP_ADDR", c.HTTPAddr}, {"CANALE_HTTPS_ADDR", c.HTTPSAddr},
		{"CANALE_METRICS_ADDR", c.MetricsAddr}} {
		if _, _, err := net.SplitHostPort(a.v); a.v != "" && err != nil {
			errs = append(errs, fmt.Errorf("%s: %q is not host:port", a.env, a.v))
		}
	}
	if _, _, err := net.SplitHostPort(c.TunerDiscoveryAddr); c.TunerDiscoveryLogin != "" && err != nil {
		errs = append(errs, fmt.Errorf("CANALE_TUNER_DISCOVERY_ADDR: %q is not host:port", c.TunerDiscoveryAddr))
	}
	if c.DataDir == "" {
		errs = append(errs, errors.New("CANALE_DATA_DIR: required"))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("CANALE_LOG_FORMAT: %q is not text or json", c.LogFormat))
	}
	if c.ExternalURL != "" {
		u, err := url.Parse(c.ExternalURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("CANALE_EXTERNAL_URL: %q is not an absolute http(s) URL", c.ExternalURL))
		}
	}
	if c.ACMEDirectory != "" {
		if u, err := url.Parse(c.ACMEDirectory); err != nil || u.Scheme != "https" {
			errs = append(errs, fmt.Errorf("CANALE_ACME_DIRECTORY_URL: %q is not an https URL", c.ACMEDirectory))
		}
	}
	if c.ACMECAFile != "" {
		if _, err := os.Stat(c.ACMECAFile); err != nil {
			errs = append(errs, fmt.Errorf("CANALE_ACME_CA_FILE: %v", err))
		}
	}
	if c.DatabaseURL != "" {
		if _, err := url.Parse(c.DatabaseURL); err != nil {
			errs = append(errs, errors.New("CANALE_DATABASE_URL: not a valid URL"))
		}
	}
	if c.ListenDatabaseURL != "" {
		if c.DatabaseURL == "" {
			errs = append(errs, errors.New("CANALE_LISTEN_DATABASE_URL: needs CANALE_DATABASE_URL (the embedded cluster is reached directly)"))
		} else if _, err := url.Parse(c.ListenDatabaseURL); err != nil {
			errs = append(errs, errors.New("CANALE_LISTEN_DATABASE_URL: not a valid URL"))
		}
	}
	return errs
}

// parsePrefixes reads a comma-separated list of CIDRs; a bare address means
// that one address. A prefix that covers everything is refused: it would
// let any client forge its address, the very thing the setting guards.
func parsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		p, err := netip.ParsePrefix(item)
		if err != nil {
			a, aerr := netip.ParseAddr(item)
			if aerr != nil {
				return nil, fmt.Errorf("%q is not a CIDR or an IP address", item)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		if p.Bits() == 0 {
			return nil, fmt.Errorf("%q trusts every address; name the proxies' own networks", item)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// Logger builds the process logger from the configured level and format.
func (c Config) Logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// Getenv is os.Getenv, named so callers can pass it where tests pass a map.
func Getenv(key string) string { return os.Getenv(key) }
