package importxc

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"time"

	"canale/server/internal/store"
	"canale/shared/api"
)

// Options tune an import.
type Options struct {
	// DryRun reads and converts everything and loads it into the catalog
	// inside the transaction, so every constraint is checked, then rolls
	// back. Line passwords are not hashed in a dry run (the slow part).
	DryRun bool
	// Replace empties the catalog first (in the same transaction); without
	// it a catalog that has rows is refused.
	Replace bool
	// Workers hash passwords in parallel; 0 means one per CPU.
	Workers int
	// Progress receives progress lines (phases, hashing rate); nil discards.
	Progress io.Writer
	// OnPhase, when set, is called as each phase starts, with its name
	// ("streamers", "categories", "streams", "series", "packages", "resellers",
	// "subscribers", "devices", "commit").
	OnPhase func(phase string)
	Logger  *slog.Logger
	// VODPaths map directories of the XC servers to VOD storage prefixes,
	// for movies and episodes whose source is a file there (--vod-path).
	VODPaths []VODPath
}

// Run imports the XC database db into the catalog of st in one PostgreSQL
// transaction: on any error nothing is written. The report is valid (up to
// the failure) even when err is not nil.
func Run(ctx context.Context, db *sql.DB, st *store.Store, opts Options) (*Report, error) {
	start := time.Now()
	if opts.Progress == nil {
		opts.Progress = io.Discard
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	rep := newReport()
	rep.DryRun = opts.DryRun
	defer func() { rep.Duration = time.Since(start) }()

	src, err := openSource(ctx, db, rep)
	if err != nil {
		return rep, err
	}
	defer src.close()
	rep.Dialect = src.dialect
	opts.Logger.Info("XC import: source detected", "dialect", src.dialect, "lines", src.names.lines,
		"panel_users", src.names.panelUsers, "categories", src.names.categories)

	ci, err := st.BeginCatalogImport(ctx, opts.Replace)
	if err != nil {
		return rep, fmt.Errorf("start import: %w", err)
	}
	defer ci.Rollback(ctx)

	im := &importer{src: src, ci: ci, rep: rep, opts: opts}
	err = im.run(ctx)
	rep.countTables(src.order, src.rowsRead, src.lookup)
	for _, t := range src.order {
		if n := src.repaired[t]; n > 0 {
			rep.note("%s: %d text values were UTF-8 stored twice over (latin1 mojibake, \"Ã©\" for \"é\") and were repaired", t, n)
		}
	}
	if err != nil {
		return rep, err
	}
	if opts.DryRun {
		return rep, nil // the deferred Rollback undoes everything
	}
	im.phase("commit")
	rep.Duration = time.Since(start)
	if err := ci.Commit(ctx, api.SystemActor("import xc"), rep); err != nil {
		return rep, fmt.Errorf("commit import: %w", err)
	}
	return rep, nil
}

// importer carries the state of one import between phases: which XC ids
// became which Canale rows.
type importer struct {
	src  *source
	ci   *store.CatalogImport
	rep  *Report
	opts Options

	categories map[int64]string // id → kind
	channels   map[int64]bool
	vod        map[int64]bool
	series     map[int64]bool
	packages   map[int64]bool
	resellers  map[int64]bool
	// bouquets are the imported bouquets' contents and packageNames the
	// package names taken, for the sale packages made from them.
	bouquets     map[int64]store.ImportPackage
	packageNames labels
	// groups are the member groups by id and resellerRows the imported
	// panel users' rows, for their rules and what they sell.
	groups       map[int64]row
	resellerRows map[int64]row
	// offerPackages maps each imported sale package to its package, for
	// the lines sold with it (lines.package_id); unknownOffers counts the
	// lines naming one that was not imported.
	offerPackages map[int64]int64
	unknownOffers int
	// subscribers are the imported lines, whose MAG boxes become devices.
	subscribers map[int64]bool
	renamed     int // channels whose name was taken
	// channelEPG is each channel's XC EPG source (streams.epg_id).
	channelEPG map[int64]int64
	// storages map movie and episode files on XC servers to VOD paths.
	storages vodStorages

	expiredAtZero int     // lines whose exp_date was 0: expired
	lockedOut     []int64 // lines whose every allowed_ips host failed to resolve

	// episodeStreams are the type-5 streams, by id, waiting for the
	// episode rows that place them in a series.
	episodeStreams map[int64]row
}

func (im *importer) phase(name string) {
	fmt.Fprintf(im.opts.Progress, "%s...\n", name)
	if im.opts.OnPhase != nil {
		im.opts.OnPhase(name)
	}
}

// run follows the import order of the spec (§2.3): servers, categories,
// streams, series and episodes, bouquets, packages, groups and panel
// users, lines, then the lines' MAG boxes.
func (im *importer) run(ctx context.Context) error {
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"streamers", im.importServers},
		{"categories", im.importCategories},
		{"streams", im.importStreams},
		{"series", im.importSeries},
		{"packages", im.importBouquets},
		{"resellers", im.importPanelUsers},
		{"offers", im.importOffers},
		{"subscribers", im.importLines},
		{"devices", im.importDevices},
		{"epg", im.importEPGSources},
	}
	if err := im.loadVODStorages(ctx); err != nil {
		return err
	}
	for _, s := range steps {
		im.phase(s.name)
		if err := s.fn(ctx); err != nil {
			return fmt.Errorf("import %s: %w", s.name, err)
		}
	}
	return im.noteUnimported(ctx)
}

// noteUnimported counts XC data Canale does not take (yet), so the operator
// knows what stays behind.
func (im *importer) noteUnimported(ctx context.Context) error {
	for _, t := range []struct{ table, what string }{
		{"enigma2_actions", "commands queued for XC's Enigma2 plugin: Canale runs no commands on customer boxes"},
		{"subreseller_setup", "the member group each group's sub-resellers join: Canale has no member groups; create_sub_resellers became each reseller's may_create_resellers"},
		{"credits_log", "reseller credit history: balances are imported, their history is not"},
		{"users_credits_logs", "reseller credit history: balances are imported, their history is not"},
	} {
		n, err := im.src.count(ctx, t.table)
		if err != nil {
			return err
		}
		if n > 0 {
			im.rep.skipTable(t.table, n, t.what)
		}
	}
	return nil
}
