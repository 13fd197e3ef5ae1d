package ui

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"canale/shared/api"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// backupPanel is the Backups part of the Config screen: the schedule and
// retention settings, the last backup (time, size, ok or failed), and "Back
// up now" with its progress. It follows backup events, and change events for
// backups made elsewhere (`canale backup`, another instance).
type backupPanel struct {
	w    *Window
	save func(u api.SettingsUpdate, outcome *widget.Label, ok string) // the Config screen's

	interval *widget.Entry
	keep     *widget.Entry
	last     *widget.Label
	progress *widget.ProgressBar
	outcome  *widget.Label
}

func newBackupPanel(w *Window, save func(api.SettingsUpdate, *widget.Label, string)) *backupPanel {
	return &backupPanel{w: w, save: save, interval: &widget.Entry{PlaceHolder: "e.g. 24"}, keep: &widget.Entry{PlaceHolder: "e.g. 7"},
		last: &widget.Label{Text: "No backup yet.", Wrapping: fyne.TextWrapWord}, progress: &widget.ProgressBar{Max: 1},
		outcome: statusLabel()}
}

func (p *backupPanel) buildUI() fyne.CanvasObject {
	p.progress.Hide()
	form := &widget.Form{Items: []*widget.FormItem{
		{Text: "Every (hours, 0 = off)", Widget: p.interval},
		{Text: "Keep (scheduled files)", Widget: p.keep},
		{Text: "Last backup", Widget: p.last},
	}}
	return container.NewVBox(&widget.Label{Text: "Backups", TextStyle: fyne.TextStyle{Bold: true}}, form,
		toolbar(p.w.editButton("Save backup schedule", theme.DocumentSaveIcon(), p.onSave),
			p.w.editButton("Back up now", theme.DownloadIcon(), p.onBackUpNow)),
		p.progress, p.outcome)
}

// showSettings fills the schedule from the settings the screen loaded.
func (p *backupPanel) showSettings(st api.Settings) {
	p.interval.SetText(strconv.Itoa(st.BackupIntervalHours))
	p.keep.SetText(strconv.Itoa(st.BackupKeep))
}

// load reads the last backup.
func (p *backupPanel) load() {
	p.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		c := p.w.sess.API()
		if c == nil {
			return func() {}
		}
		list, err := c.Backups(ctx)
		return func() {
			switch {
			case err != nil:
				p.last.SetText(errorText(err))
			case len(list) > 0:
				p.showLast(list[0])
			}
		}
	})
}

// showLast says when the backup ran, how big it is and whether it worked.
func (p *backupPanel) showLast(b api.Backup) {
	at := b.StartedAt.Local().Format("2006-01-02 15:04")
	switch b.Result {
	case api.BackupResultOK:
		p.last.Importance = widget.SuccessImportance
		p.last.SetText(fmt.Sprintf("%s, %s, ok (%s, %s)", at, formatSize(b.SizeBytes), b.Trigger, b.File))
	case api.BackupResultError:
		p.last.Importance = widget.DangerImportance
		p.last.SetText(fmt.Sprintf("%s, failed (%s): %s", at, b.Trigger, b.Error))
	default:
		p.last.Importance = widget.MediumImportance
		p.last.SetText(fmt.Sprintf("%s, running (%s)", at, b.Trigger))
	}
}

func formatSize(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

func (p *backupPanel) onSave() {
	interval, err1 := strconv.Atoi(strings.TrimSpace(p.interval.Text))
	keep, err2 := strconv.Atoi(strings.TrimSpace(p.keep.Text))
	if err1 != nil || err2 != nil {
		showOutcome(p.outcome, "", fmt.Errorf("hours and files must be whole numbers"))
		return
	}
	p.save(api.SettingsUpdate{BackupIntervalHours: &interval, BackupKeep: &keep}, p.outcome, "Backup schedule saved.")
}

func (p *backupPanel) onBackUpNow() {
	p.outcome.Importance = widget.MediumImportance
	p.outcome.SetText("Starting a backup…")
	p.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		b, err := p.w.sess.API().StartBackup(ctx)
		return func() {
			if err != nil {
				showOutcome(p.outcome, "", err)
				return
			}
			p.showLast(b)
			p.outcome.SetText("Backing up to " + b.File + "…")
		}
	})
}

// onEvent moves the progress bar, shows the outcome, and reloads when a
// backup made elsewhere is recorded.
func (p *backupPanel) onEvent(e api.Event) {
	switch e.Type {
	case api.EventBackupProgress:
		var pr api.BackupProgress
		if json.Unmarshal(e.Data, &pr) != nil || pr.TablesTotal == 0 {
			return
		}
		p.progress.Show()
		p.progress.SetValue(float64(pr.TablesDone) / float64(pr.TablesTotal))
		p.outcome.Importance = widget.MediumImportance
		p.outcome.SetText(fmt.Sprintf("Backing up: %d of %d tables, %s %s", pr.TablesDone, pr.TablesTotal,
			formatSize(pr.Bytes), pr.Table))
	case api.EventBackupDone:
		var b api.Backup
		if json.Unmarshal(e.Data, &b) != nil {
			return
		}
		p.progress.Hide()
		p.showLast(b)
		if b.Result == api.BackupResultOK {
			showOutcome(p.outcome, "Backup written: "+b.File, nil)
		} else {
			showOutcome(p.outcome, "", fmt.Errorf("backup failed: %s", b.Error))
		}
	default:
		if changed(e, api.EntityBackup) {
			p.load()
		}
	}
}
