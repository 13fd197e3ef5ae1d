package adminapi_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"canale/server/internal/testserver"
	"canale/shared/api"
)

// TestBackUpNow is the desktop's "Back up now": an admin starts a backup
// through the API while the server serves, follows it through events, and
// finds it as the last backup with its size; an operator may not start one.
func TestBackUpNow(t *testing.T) {
	srv := testserver.Start(t)
	ctx := context.Background()
	events := make(chan api.Event, 100)
	srv.App.SetEventSink(func(e api.Event) {
		if e.Type == api.EventBackupProgress || e.Type == api.EventBackupDone {
			events <- e
		}
	})
	testserver.CreateAdmin(t, srv.Store, "noc", api.RoleOperator, "operator-password")
	if _, err := srv.SignIn(t, "noc", "operator-password").StartBackup(ctx); api.ErrorCode(err) != api.CodeForbidden {
		t.Errorf("operator starts a backup: got %v, want forbidden", err)
	}

	started, err := srv.Admin.StartBackup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if started.Trigger != api.BackupManual || started.Result != "" || filepath.Dir(started.File) != filepath.Join(srv.Config.DataDir, "backups") {
		t.Errorf("started: got %+v, want a running manual backup in the data directory", started)
	}
	progressed := 0
	var done api.Backup
	for done.ID == 0 {
		select {
		case e := <-events:
			if e.Type == api.EventBackupProgress {
				progressed++
			} else if err := json.Unmarshal(e.Data, &done); err != nil {
				t.Fatal(err)
			}
		case <-time.After(60 * time.Second):
			t.Fatal("no backup_done event within 60s")
		}
	}
	if progressed == 0 || done.ID != started.ID || done.Result != api.BackupResultOK {
		t.Fatalf("done: got %+v after %d progress events; want backup %d ok, with progress", done, progressed, started.ID)
	}
	list, err := srv.Admin.Backups(ctx)
	if err != nil || len(list) == 0 || list[0].ID != done.ID || list[0].SizeBytes != done.SizeBytes {
		t.Fatalf("GET /backups: got %+v, %v; want backup %d first", list, err, done.ID)
	}
	if fi, err := os.Stat(done.File); err != nil || fi.Size() != done.SizeBytes || done.SizeBytes == 0 {
		t.Errorf("backup file: %v, %v; want %d bytes", fi, err, done.SizeBytes)
	}
}
