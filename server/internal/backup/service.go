package backup

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"canale/shared/api"
)

// ServiceStore is what the server's backups need of the store.
type ServiceStore interface {
	Database
	FindSettings(ctx context.Context, actor api.Actor) (api.Settings, error)
	CreateBackup(ctx context.Context, actor api.Actor, trigger, file string) (api.Backup, error)
	FinishBackup(ctx context.Context, id, size int64, failure error) (api.Backup, error)
	FindBackups(ctx context.Context, limit int) ([]api.Backup, error)
}

// ServiceConfig are the dependencies of a Service.
type ServiceConfig struct {
	Store   ServiceStore
	Dir     string // where backups are written and pruned
	Logger  *slog.Logger
	Publish func(api.Event) // progress and outcome, to desktop apps
	// Schedule turns on the scheduled backups: for the embedded cluster,
	// which nobody else backs up. Several instances on one external database
	// would each run the schedule.
	Schedule bool
	Now      func() time.Time // time.Now unless a test sets it
	Every    time.Duration    // how often the schedule is checked; a minute unless a test sets it
}

// firstDelay bounds the wait for the first scheduled backup of an
// installation that has none: a server restarted more often than the
// interval would otherwise never make one.
const firstDelay = time.Hour

// Service runs the server's backups: on request ("Back up now") and on the
// schedule in the settings, one at a time, keeping the newest BackupKeep
// scheduled files of its directory and every other.
type Service struct {
	cfg     ServiceConfig
	started time.Time

	mu      sync.Mutex
	base    context.Context // Run's: a backup outlives the request that started it
	running bool
	wg      sync.WaitGroup
}

// NewService returns a Service; call Run to start the schedule.
func NewService(cfg ServiceConfig) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Every == 0 {
		cfg.Every = time.Minute
	}
	return &Service{cfg: cfg, started: cfg.Now(), base: context.Background()}
}

// Run checks the schedule until ctx is done, then waits for a backup under way
// (which ctx's end interrupts, leaving no file behind).
func (s *Service) Run(ctx context.Context) {
	s.mu.Lock()
	s.base = ctx
	s.mu.Unlock()
	defer s.wg.Wait()
	if !s.cfg.Schedule {
		<-ctx.Done()
		return
	}
	t := time.NewTicker(s.cfg.Every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if s.due(ctx) {
				if _, err := s.Start(ctx, api.SystemActor("backup schedule"), api.BackupScheduled); err != nil &&
					api.ErrorCode(err) != api.CodeConflict {
					s.cfg.Logger.Error("start scheduled backup", "error", err)
				}
			}
		}
	}
}

// due reports whether the interval has passed since the last backup of any
// kind (or since the start, for an installation with none).
func (s *Service) due(ctx context.Context) bool {
	st, err := s.cfg.Store.FindSettings(ctx, api.SystemActor("backup schedule"))
	if err != nil || st.BackupIntervalHours == 0 {
		return false
	}
	interval := time.Duration(st.BackupIntervalHours) * time.Hour
	last, err := s.cfg.Store.FindBackups(ctx, 1)
	if err != nil {
		s.cfg.Logger.Warn("read the last backup", "error", err)
		return false
	}
	next := s.started.Add(min(interval, firstDelay))
	if len(last) > 0 {
		next = last[0].StartedAt.Add(interval)
	}
	return !s.cfg.Now().Before(next)
}

// StartBackup starts a backup for actor ("Back up now").
func (s *Service) StartBackup(ctx context.Context, actor api.Actor) (api.Backup, error) {
	return s.Start(ctx, actor, api.BackupManual)
}

// FindBackups returns the last limit backups, newest first.
func (s *Service) FindBackups(ctx context.Context, limit int) ([]api.Backup, error) {
	return s.cfg.Store.FindBackups(ctx, limit)
}

// Start records a backup and runs it in the background; progress and the
// outcome are published as events. It returns CodeConflict while another
// backup of this instance runs.
func (s *Service) Start(ctx context.Context, actor api.Actor, trigger string) (api.Backup, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running {
		return api.Backup{}, api.Errorf(api.CodeConflict, "a backup is already running")
	}
	now := s.cfg.Now()
	file := FileName(s.cfg.Dir, now)
	if trigger == api.BackupScheduled {
		file = scheduledFileName(s.cfg.Dir, now)
	}
	b, err := s.cfg.Store.CreateBackup(ctx, actor, trigger, file)
	if err != nil {
		return b, err
	}
	s.running = true
	s.wg.Add(1)
	go func(ctx context.Context) {
		defer s.wg.Done()
		s.run(ctx, b)
		s.mu.Lock()
		s.running = false
		s.mu.Unlock()
	}(s.base)
	return b, nil
}

func (s *Service) run(ctx context.Context, b api.Backup) {
	log := s.cfg.Logger.With("backup_id", b.ID, "file", b.File)
	size, err := Dump(ctx, s.cfg.Store, b.File, func(p api.BackupProgress) {
		p.BackupID = b.ID
		s.publish(api.EventBackupProgress, p)
	})
	if err != nil {
		log.Error("backup failed", "error", err)
	} else {
		log.Info("backup written", "size_bytes", size)
		if b.Trigger == api.BackupScheduled {
			s.prune(ctx)
		}
	}
	done, ferr := s.cfg.Store.FinishBackup(context.WithoutCancel(ctx), b.ID, size, err)
	if ferr != nil {
		log.Error("record the backup's outcome", "error", ferr)
		return
	}
	s.publish(api.EventBackupDone, done)
}

// prune deletes the oldest scheduled backup files beyond the settings'
// backup_keep. Files that `canale backup` or "Back up now" wrote are the
// operator's to delete.
func (s *Service) prune(ctx context.Context) {
	st, err := s.cfg.Store.FindSettings(ctx, api.SystemActor("backup schedule"))
	if err != nil {
		s.cfg.Logger.Warn("read backup_keep; kept every backup", "error", err)
		return
	}
	files, _ := filepath.Glob(filepath.Join(s.cfg.Dir, scheduledPattern))
	sort.Strings(files) // the names hold the time
	for len(files) > st.BackupKeep {
		if err := os.Remove(files[0]); err != nil {
			s.cfg.Logger.Warn("delete an old backup", "file", files[0], "error", err)
		}
		files = files[1:]
	}
}

func (s *Service) publish(typ string, data any) {
	if s.cfg.Publish == nil {
		return
	}
	e, err := api.NewEvent(typ, data)
	if err != nil {
		s.cfg.Logger.Error("wrap backup event", "error", err)
		return
	}
	s.cfg.Publish(e)
}
