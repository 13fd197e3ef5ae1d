package api

import "time"

// Limits of the backup settings (a month between backups, a thousand files).
const (
	MaxBackupIntervalHours = 744
	MaxBackupKeep          = 1000
)

// Backup triggers: who started a backup.
const (
	BackupScheduled = "scheduled" // the server's schedule (settings.backup_interval_hours)
	BackupManual    = "manual"    // POST /api/v1/backups ("Back up now" in the desktop)
	BackupCommand   = "command"   // `canale backup`
)

// Backup results; empty while the backup runs.
const (
	BackupResultOK    = "ok"
	BackupResultError = "error"
)

// Backup is one backup run: the answer of GET /api/v1/backups (newest first)
// and of POST /api/v1/backups, and the payload of EventBackupDone. File is
// the path on the machine that made it.
type Backup struct {
	ID         int64      `json:"id"`
	Trigger    string     `json:"trigger"`
	File       string     `json:"file"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at,omitempty"` // nil while running
	Result     string     `json:"result"`                // BackupResultOK, BackupResultError, or "" while running
	Error      string     `json:"error,omitempty"`
	SizeBytes  int64      `json:"size_bytes"`
}

// BackupProgress is how far a running backup or restore has got: the
// payload of EventBackupProgress and what the command line prints.
type BackupProgress struct {
	BackupID    int64  `json:"backup_id,omitempty"`
	Table       string `json:"table"`        // the table being copied
	TablesDone  int    `json:"tables_done"`  // tables whose rows are already copied
	TablesTotal int    `json:"tables_total"` // tables with rows to copy
	Bytes       int64  `json:"bytes"`        // written so far (backup) or read (restore)
}

// Backup event types.
const (
	EventBackupProgress = "backup_progress"
	EventBackupDone     = "backup_done"
)
