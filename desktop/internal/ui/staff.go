package ui

import (
	"context"

	"canale/shared/api"
	"canale/shared/client"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

var staffColumns = []textColumn[api.Admin]{
	{"Login", 160, func(a api.Admin) string { return a.Login }},
	{"Role", 90, func(a api.Admin) string { return string(a.Role) }},
	{"Status", 90, func(a api.Admin) string { return map[bool]string{true: "disabled", false: "active"}[a.Disabled] }},
	{"Two-factor", 170, secondFactorText},
}

// secondFactorText says in a word or three where an account stands with TOTP.
func secondFactorText(a api.Admin) string {
	switch {
	case a.TOTPEnabled && a.TOTPRequired:
		return "on (required)"
	case a.TOTPEnabled:
		return "on"
	case a.TOTPRequired:
		return "required, not set up"
	}
	return "off"
}

// staffScreen lists the staff accounts; admins create, disable, enable,
// delete and re-role them and decide who must use TOTP. Every account
// changes its own password and sets up its own authenticator here.
type staffScreen struct {
	w        *Window
	staff    []api.Admin
	selected api.Admin

	table                  *fitTable
	selectedLabel, outcome *widget.Label
	login, password        *widget.Entry
	role                   *widget.Select
	requireTOTP            *widget.Check
	current, next          *widget.Entry
	mine                   *widget.Label
}

func newStaffScreen(w *Window) *staffScreen {
	s := &staffScreen{w: w, selectedLabel: &widget.Label{Text: "Select an account in the list."}, outcome: statusLabel(),
		login: &widget.Entry{PlaceHolder: "login"}, password: widget.NewPasswordEntry(),
		role:        &widget.Select{Options: []string{string(api.RoleOperator), string(api.RoleAdmin)}, Selected: string(api.RoleOperator)},
		requireTOTP: &widget.Check{Text: "Require an authenticator code at sign-in"},
		current:     widget.NewPasswordEntry(), next: widget.NewPasswordEntry(), mine: statusLabel()}
	s.password.PlaceHolder = "at least 10 characters"
	s.current.PlaceHolder, s.next.PlaceHolder = "current password", "new password (at least 10 characters)"
	s.table = newTextTable(staffColumns, func() []api.Admin { return s.staff }, s.onSelect)
	if me := w.sess.Me().Admin; me.TOTPRequired && !me.TOTPEnabled {
		s.mine.Importance = widget.WarningImportance
		s.mine.SetText("An admin requires two-factor sign-in for your account: set it up below before anything else.")
	}
	s.load()
	return s
}

func (s *staffScreen) buildUI() fyne.CanvasObject {
	bold := func(t string) *widget.Label { return &widget.Label{Text: t, TextStyle: fyne.TextStyle{Bold: true}} }
	bar := toolbar(&widget.Button{Text: "Refresh", Icon: theme.ViewRefreshIcon(), OnTapped: s.load})
	right := container.NewVBox(bold("Selected account"), s.selectedLabel,
		toolbar(s.w.editButton("Disable", theme.CancelIcon(), func() { s.onAccount("disable") }),
			s.w.editButton("Enable", theme.ConfirmIcon(), func() { s.onAccount("enable") }),
			s.w.editButton("Make admin", theme.AccountIcon(), func() { s.onAccount("make admin") }),
			s.w.editButton("Make operator", theme.AccountIcon(), func() { s.onAccount("make operator") })),
		toolbar(s.w.editButton("Require TOTP", theme.WarningIcon(), func() { s.onAccount("require totp") }),
			s.w.editButton("Do not require", theme.ContentClearIcon(), func() { s.onAccount("allow no totp") }),
			s.w.editButton("Reset TOTP", theme.ContentUndoIcon(), func() { s.onAccount("reset totp") }),
			s.w.editButton("Delete", theme.DeleteIcon(), s.onDelete)),
		s.outcome)
	if s.w.canWrite() {
		right.Add(widget.NewSeparator())
		right.Add(bold("New staff account"))
		right.Add(&widget.Form{Items: []*widget.FormItem{{Text: "Login", Widget: s.login}, {Text: "Password", Widget: s.password},
			{Text: "Role", Widget: s.role}, {Text: "", Widget: s.requireTOTP}}})
		right.Add(toolbar(&widget.Button{Text: "Create", Icon: theme.ContentAddIcon(), OnTapped: s.onCreate}))
	}
	right.Add(widget.NewSeparator())
	right.Add(bold("My account (" + s.w.sess.Me().Admin.Login + ")"))
	right.Add(&widget.Form{Items: []*widget.FormItem{{Text: "Current", Widget: s.current}, {Text: "New", Widget: s.next}}})
	right.Add(toolbar(&widget.Button{Text: "Change my password", Icon: theme.DocumentSaveIcon(), OnTapped: s.onPassword},
		&widget.Button{Text: "Set up two-factor sign-in", Icon: theme.VisibilityIcon(), OnTapped: s.onEnrol},
		&widget.Button{Text: "Remove it", Icon: theme.VisibilityOffIcon(), OnTapped: s.onRemoveTOTP}))
	right.Add(s.mine)
	split := container.NewHSplit(container.NewBorder(bar, nil, nil, nil, s.table), container.NewVScroll(right))
	split.Offset = 0.5
	return split
}

func (s *staffScreen) load() {
	s.w.fetch(func(ctx context.Context, c *client.Client) func() {
		staff, err := c.Admins(ctx)
		return func() {
			if err != nil {
				showOutcome(s.outcome, "", err)
				return
			}
			s.staff = staff
			s.table.Refresh()
		}
	}, func() {})
}

func (s *staffScreen) onSelect(a api.Admin) {
	s.selected = a
	s.selectedLabel.SetText(a.Login + " — " + string(a.Role) + ", " + staffColumns[2].value(a) + ", two-factor " + secondFactorText(a))
	s.outcome.SetText("")
}

// onAccount applies one change to the selected account and reloads the list.
func (s *staffScreen) onAccount(action string) {
	id := s.selected.ID
	if id == 0 {
		showOutcome(s.outcome, "", errSelectFirst)
		return
	}
	s.w.fetch(func(ctx context.Context, c *client.Client) func() {
		var err error
		switch action {
		case "disable":
			_, err = c.DisableAdmin(ctx, id)
		case "enable":
			_, err = c.EnableAdmin(ctx, id)
		case "make admin", "make operator":
			role := api.RoleAdmin
			if action == "make operator" {
				role = api.RoleOperator
			}
			_, err = c.UpdateAdmin(ctx, id, api.AdminUpdate{Role: &role})
		case "require totp", "allow no totp":
			required := action == "require totp"
			_, err = c.UpdateAdmin(ctx, id, api.AdminUpdate{TOTPRequired: &required})
		case "reset totp":
			_, err = c.ResetAdminTOTP(ctx, id)
		}
		return func() { s.done(action+": done.", err) }
	}, func() {})
}

func (s *staffScreen) done(ok string, err error) {
	showOutcome(s.outcome, ok, err)
	if err == nil {
		s.load()
	}
}

func (s *staffScreen) onDelete() {
	a := s.selected
	if a.ID == 0 {
		showOutcome(s.outcome, "", errSelectFirst)
		return
	}
	s.w.confirm("Delete staff account", "Delete "+a.Login+"? Its sessions end at once.", "Delete", func() {
		s.w.fetch(func(ctx context.Context, c *client.Client) func() {
			err := c.DeleteAdmin(ctx, a.ID)
			return func() {
				if err == nil {
					s.selected = api.Admin{}
					s.selectedLabel.SetText("Select an account in the list.")
				}
				s.done("Deleted "+a.Login+".", err)
			}
		}, func() {})
	})
}

func (s *staffScreen) onCreate() {
	in := api.AdminCreate{Login: s.login.Text, Password: s.password.Text, Role: api.Role(s.role.Selected), TOTPRequired: s.requireTOTP.Checked}
	if err := in.Validate(); err != nil {
		showOutcome(s.outcome, "", err)
		return
	}
	s.w.fetch(func(ctx context.Context, c *client.Client) func() {
		a, err := c.CreateAdmin(ctx, in)
		return func() {
			if err == nil {
				s.login.SetText("")
				s.password.SetText("")
			}
			s.done("Created "+a.Login+" ("+string(a.Role)+").", err)
		}
	}, func() {})
}

func (s *staffScreen) onPassword() {
	change := api.PasswordChange{Password: s.current.Text, NewPassword: s.next.Text}
	if err := change.Validate(); err != nil {
		showOutcome(s.mine, "", err)
		return
	}
	s.w.fetch(func(ctx context.Context, c *client.Client) func() {
		err := c.ChangePassword(ctx, change.Password, change.NewPassword)
		return func() {
			if err == nil {
				s.current.SetText("")
				s.next.SetText("")
			}
			showOutcome(s.mine, "Password changed; your other sessions were signed out.", err)
		}
	}, func() {})
}

// onEnrol starts enrolment and shows the QR code; the dialog's code confirms
// it, and the recovery codes are shown once.
func (s *staffScreen) onEnrol() {
	s.w.fetch(func(ctx context.Context, c *client.Client) func() {
		e, err := c.BeginTOTP(ctx)
		return func() {
			if err != nil {
				showOutcome(s.mine, "", err)
				return
			}
			newTOTPDialog(s.w.win, e, s.onConfirmTOTP).Show()
		}
	}, func() {})
}

func (s *staffScreen) onConfirmTOTP(code string) {
	s.w.fetch(func(ctx context.Context, c *client.Client) func() {
		codes, err := c.ConfirmTOTP(ctx, code)
		return func() {
			showOutcome(s.mine, "Two-factor sign-in is on. Reload the other screens if they showed errors.", err)
			if err == nil {
				newRecoveryCodesDialog(s.w.win, codes).Show()
				s.load()
			}
		}
	}, func() {})
}

func (s *staffScreen) onRemoveTOTP() {
	s.w.confirm("Remove two-factor sign-in", "Sign in with your password alone from now on?", "Remove", func() {
		s.w.fetch(func(ctx context.Context, c *client.Client) func() {
			_, err := c.RemoveTOTP(ctx)
			return func() {
				showOutcome(s.mine, "Two-factor sign-in removed.", err)
				s.load()
			}
		}, func() {})
	})
}
