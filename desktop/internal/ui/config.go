package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"canale/shared/api"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// letsEncryptTimeout bounds a certificate request: the CA validates the
// domain over the network before answering.
const letsEncryptTimeout = 3 * time.Minute

// configScreen shows and changes the installation's settings: the external
// URL (with the server's warnings about it), the streamer URLs operators
// paste into Flussonic, the streamer secret, HTTPS with Let's Encrypt, and
// backups.
type configScreen struct {
	w        *Window
	settings api.Settings
	backups  *backupPanel

	externalURL *widget.Entry
	urlSource   *widget.Label // where the external URL came from
	warnings    *widget.Label
	authURL     *widget.Label
	configURL   *widget.Label
	tlsState    *widget.Label
	domain      *widget.Entry
	email       *widget.Entry
	outcome     *widget.Label
}

func newConfigScreen(w *Window) *configScreen {
	s := &configScreen{w: w, externalURL: &widget.Entry{PlaceHolder: "e.g. https://iptv.example.com"},
		urlSource: &widget.Label{Wrapping: fyne.TextWrapWord},
		warnings:  &widget.Label{Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord},
		authURL:   &widget.Label{}, configURL: &widget.Label{}, tlsState: &widget.Label{Wrapping: fyne.TextWrapWord},
		domain: &widget.Entry{PlaceHolder: "e.g. iptv.example.com"}, email: &widget.Entry{PlaceHolder: "e.g. noc@example.com"},
		outcome: statusLabel()}
	s.backups = newBackupPanel(w, s.saveSettings)
	s.load()
	return s
}

func (s *configScreen) buildUI() fyne.CanvasObject {
	bold := fyne.TextStyle{Bold: true}
	settings := &widget.Form{Items: []*widget.FormItem{
		{Text: "External URL", Widget: s.externalURL},
		{Text: "", Widget: s.urlSource},
		{Text: "", Widget: s.warnings},
		{Text: "Streamer auth URL", Widget: s.w.copyRow(s.authURL)},
		{Text: "config_external URL", Widget: s.w.copyRow(s.configURL)},
	}}
	tls := &widget.Form{Items: []*widget.FormItem{
		{Text: "Certificate", Widget: s.tlsState},
		{Text: "Domain", Widget: s.domain}, {Text: "E-mail", Widget: s.email},
	}}
	auditLink := &widget.Button{Text: "Open the audit log", Icon: theme.HistoryIcon(), OnTapped: s.onAudit}
	return container.NewVScroll(container.NewVBox(
		&widget.Label{Text: "Settings", TextStyle: bold}, settings,
		toolbar(&widget.Button{Text: "Refresh", Icon: theme.ViewRefreshIcon(), OnTapped: s.load},
			s.w.editButton("Save external URL", theme.DocumentSaveIcon(), s.onSave),
			s.w.editButton("Rotate streamer secret", theme.ViewRefreshIcon(), s.onRotate)),
		&widget.Label{Text: "HTTPS (Let's Encrypt)", TextStyle: bold}, tls,
		toolbar(s.w.editButton("Get certificate from Let's Encrypt", theme.ConfirmIcon(), s.onLetsEncrypt)),
		s.outcome, widget.NewSeparator(), s.backups.buildUI(), widget.NewSeparator(), toolbar(auditLink)))
}

// load reads the settings and the TLS state.
func (s *configScreen) load() {
	s.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		c := s.w.sess.API()
		if c == nil {
			return func() {}
		}
		st, err := c.Settings(ctx)
		tls, tlsErr := c.TLS(ctx)
		s.backups.load()
		return func() {
			if err != nil {
				showOutcome(s.outcome, "", err)
				return
			}
			s.showSettings(st)
			s.showTLS(tls, tlsErr)
		}
	})
}

func (s *configScreen) showSettings(st api.Settings) {
	s.settings = st
	s.backups.showSettings(st)
	s.externalURL.SetText(st.ExternalURL)
	s.urlSource.SetText(urlSourceText(st.ExternalURLSource))
	s.warnings.SetText(strings.Join(st.Warnings, "\n"))
	if len(st.Warnings) == 0 {
		s.warnings.Hide()
	} else {
		s.warnings.Show()
	}
	s.authURL.SetText(st.AuthURL)
	s.configURL.SetText(st.ConfigExternalURL)
}

// urlSourceText says where the external URL came from, so an operator knows
// whether the server's flag or the settings hold it.
func urlSourceText(source string) string {
	switch source {
	case api.ExternalURLFromFlag:
		return "From the server's --external-url (CANALE_EXTERNAL_URL); saving here makes it a setting, which wins over the flag."
	case api.ExternalURLFromSettings:
		return "Set in the settings (wins over the server's --external-url)."
	}
	return "Not set."
}

// showTLS says whether HTTPS is on, until when the certificate is valid and
// what went wrong last.
func (s *configScreen) showTLS(t api.TLSStatus, err error) {
	if err != nil {
		s.tlsState.SetText(errorText(err))
		return
	}
	text := "HTTPS is off."
	if t.Enabled {
		text = fmt.Sprintf("HTTPS on for %s", t.Domain)
		if !t.NotAfter.IsZero() {
			text += fmt.Sprintf(", certificate from %s valid until %s", t.Issuer, t.NotAfter.Local().Format("2006-01-02 15:04"))
		}
		if t.HTTPSAddr != "" {
			text += " (" + t.HTTPSAddr + ")"
		}
	}
	if t.LastError != "" {
		text += "\nLast error: " + t.LastError
	}
	s.tlsState.SetText(text)
	if s.domain.Text == "" {
		s.domain.SetText(t.Domain)
	}
	if s.email.Text == "" {
		s.email.SetText(t.Email)
	}
}

func (s *configScreen) onSave() {
	url := strings.TrimSpace(s.externalURL.Text)
	s.saveSettings(api.SettingsUpdate{ExternalURL: &url}, s.outcome, "Saved.")
}

// saveSettings applies u to the settings as last read, reporting in outcome;
// the backups panel saves its schedule through it too.
func (s *configScreen) saveSettings(u api.SettingsUpdate, outcome *widget.Label, ok string) {
	u.Version = s.settings.Version
	s.w.async(func() func() {
		ctx, cancel := callCtx()
		defer cancel()
		st, err := s.w.sess.API().UpdateSettings(ctx, u)
		return func() {
			if isStale(err) {
				err = fmt.Errorf("CONFLICT: the settings changed since you opened them; press Refresh and redo your change")
			}
			if err == nil {
				s.showSettings(st)
			}
			showOutcome(outcome, ok, err)
		}
	})
}

func (s *configScreen) onRotate() {
	s.w.confirm("Rotate streamer secret", "Replace the streamer secret? Every streamer must then be given the new auth and "+
		"config_external URLs, or it will refuse all viewers.", "Rotate", func() {
		version := s.settings.Version
		s.w.async(func() func() {
			ctx, cancel := callCtx()
			defer cancel()
			st, err := s.w.sess.API().RotateStreamerSecret(ctx, version)
			return func() {
				if err == nil {
					s.showSettings(st)
				}
				showOutcome(s.outcome, "New secret: copy the new URLs to every streamer.", err)
			}
		})
	})
}

func (s *configScreen) onLetsEncrypt() {
	req := api.LetsEncryptRequest{Domain: strings.TrimSpace(s.domain.Text), Email: strings.TrimSpace(s.email.Text)}
	s.outcome.Importance = widget.MediumImportance
	s.outcome.SetText("Asking Let's Encrypt for a certificate for " + req.Domain + "…")
	s.w.async(func() func() {
		ctx, cancel := context.WithTimeout(context.Background(), letsEncryptTimeout)
		defer cancel()
		t, err := s.w.sess.API().LetsEncrypt(ctx, req)
		return func() {
			if err == nil {
				s.showTLS(t, nil)
			}
			showOutcome(s.outcome, "Certificate issued; HTTPS is on.", err)
		}
	})
}

// onAudit switches to the audit log tab, which already pages the log.
func (s *configScreen) onAudit() {
	if s.w.tabs == nil {
		return
	}
	for i, it := range s.w.tabs.Items {
		if it.Text == "Audit log" {
			s.w.tabs.SelectIndex(i)
		}
	}
}

// onEvent re-reads the settings when they change elsewhere, and passes
// backup events to the backups panel.
func (s *configScreen) onEvent(e api.Event) {
	s.backups.onEvent(e)
	if changed(e, api.EntitySettings, api.EntityTLS) {
		s.load()
	}
}
