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
	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
	"canale/shared/api"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// updateSettings applies u to the current settings.
func updateSettings(t *testing.T, s *store.Store, u api.SettingsUpdate) {
	t.Helper()
	ctx := context.Background()
	st, err := s.FindSettings(ctx, api.SystemActor("test"))
	if err != nil {
		t.Fatal(err)
	}
	u.Version = st.Version
	if _, err := s.UpdateSettings(ctx, api.SystemActor("test"), u); err != nil {
		t.Fatal(err)
	}
}

// TestScheduledBackupKeepsTheNewest lets the schedule find a backup due
// (the clock jumps two hours ahead, past a one-hour interval), and checks
// the backup it runs: recorded as scheduled and ok, announced with its
// progress, and the oldest files beyond backup_keep deleted.
func TestScheduledBackupKeepsTheNewest(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	one, two := 1, 2
	updateSettings(t, s, api.SettingsUpdate{BackupIntervalHours: &one, BackupKeep: &two})
	dir := t.TempDir()
	old := []string{"canale-scheduled-20200101-000000.000.dump", "canale-scheduled-20200102-000000.000.dump",
		"canale-scheduled-20200103-000000.000.dump"}
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

// TestPruneKeepsManualBackups: `canale backup` and "Back up now" write into
// the directory the schedule prunes, but retention is the schedule's own.
// After more than backup_keep scheduled runs both manual files are still
// there, beside the newest backup_keep scheduled ones.
func TestPruneKeepsManualBackups(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	keep := 2
	updateSettings(t, s, api.SettingsUpdate{BackupKeep: &keep})
	dir := t.TempDir()
	done := make(chan api.Backup, 1)
	svc := backup.NewService(backup.ServiceConfig{Store: s, Dir: dir, Logger: slog.New(slog.DiscardHandler),
		Publish: func(e api.Event) {
			if e.Type == api.EventBackupDone {
				var b api.Backup
				_ = json.Unmarshal(e.Data, &b)
				done <- b
			}
		}})
	// The name `canale backup` gives its file, an hour before the rest.
	command := backup.FileName(dir, time.Now().Add(-time.Hour))
	if _, err := backup.Dump(ctx, s, command, nil); err != nil {
		t.Fatal(err)
	}
	run := func(trigger string) api.Backup {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			_, err := svc.Start(ctx, api.SystemActor("test"), trigger)
			if err == nil {
				break
			}
			// The previous run announces its end just before it lets go.
			if api.ErrorCode(err) != api.CodeConflict || time.Now().After(deadline) {
				t.Fatal(err)
			}
			time.Sleep(10 * time.Millisecond)
		}
		select {
		case b := <-done:
			if b.Result != api.BackupResultOK {
				t.Fatalf("%s backup: %+v", trigger, b)
			}
			return b
		case <-time.After(60 * time.Second):
			t.Fatalf("%s backup not done within 60s", trigger)
		}
		return api.Backup{}
	}
	manual := run(api.BackupManual)
	var scheduled []string
	for range keep + 2 {
		scheduled = append(scheduled, run(api.BackupScheduled).File)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	want := append([]string{command, manual.File}, scheduled[len(scheduled)-keep:]...)
	if diff := cmp.Diff(want, files, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("files after %d scheduled runs with backup_keep %d (-want +got):\n%s", len(scheduled), keep, diff)
	}
}
