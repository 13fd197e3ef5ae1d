package backup_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"canale/server/internal/backup"
	"canale/server/internal/store/storetest"
	"canale/shared/api"

	"github.com/google/go-cmp/cmp"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// TestScheduledBackupKeepsTheNewest lets the schedule find a backup due
// (the clock jumps two hours ahead, past a one-hour interval), and checks
// the backup it runs: recorded as scheduled and ok, announced with its
// progress, and the oldest files beyond backup_keep deleted.
func TestScheduledBackupKeepsTheNewest(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	st, err := s.FindSettings(ctx, api.SystemActor("test"))
	if err != nil {
		t.Fatal(err)
	}
	one, two := 1, 2
	if _, err := s.UpdateSettings(ctx, api.SystemActor("test"), api.SettingsUpdate{
		BackupIntervalHours: &one, BackupKeep: &two, Version: st.Version}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	old := []string{"canale-20200101-000000.000.dump", "canale-20200102-000000.000.dump", "canale-20200103-000000.000.dump"}
	for _, name := range old {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	var ahead atomic.Bool // the clock jumps two hours ahead until the backup is done
	now := func() time.Time {
		if ahead.Load() {
			return time.Now().Add(2 * time.Hour)
		}
		return time.Now()
	}
	var progressed atomic.Int32
	done := make(chan api.Backup, 1)
	svc := backup.NewService(backup.ServiceConfig{Store: s, Dir: dir, Logger: slog.New(slog.DiscardHandler),
		Schedule: true, Now: now, Every: 10 * time.Millisecond, Publish: func(e api.Event) {
			switch e.Type {
			case api.EventBackupProgress:
				progressed.Add(1)
			case api.EventBackupDone:
				ahead.Store(false)
				var b api.Backup
				_ = json.Unmarshal(e.Data, &b)
				done <- b
			}
		}})
	ahead.Store(true) // after NewService noted its start
	runCtx, stop := context.WithCancel(ctx)
	finished := make(chan struct{})
	go func() { svc.Run(runCtx); close(finished) }()
	defer func() { stop(); <-finished }()

	var b api.Backup
	select {
	case b = <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("no scheduled backup within 60s")
	}
	if b.Result != api.BackupResultOK || b.Trigger != api.BackupScheduled || b.SizeBytes == 0 || b.FinishedAt == nil {
		t.Fatalf("backup: got %+v, want a finished scheduled backup with a size", b)
	}
	if progressed.Load() == 0 {
		t.Error("no progress event")
	}
	if fi, err := os.Stat(b.File); err != nil || fi.Size() != b.SizeBytes {
		t.Errorf("backup file %s: %v, %v; want %d bytes", b.File, fi, err, b.SizeBytes)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	want := []string{filepath.Join(dir, old[2]), b.File}
	if diff := cmp.Diff(want, files); diff != "" {
		t.Errorf("files kept with backup_keep 2 (-want +got):\n%s", diff)
	}
	list, err := svc.FindBackups(ctx, 10)
	if err != nil || len(list) != 1 || list[0].ID != b.ID {
		t.Errorf("recorded backups: got %+v, %v; want the one scheduled", list, err)
	}
}
