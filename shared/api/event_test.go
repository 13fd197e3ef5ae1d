package api

import "testing"

// TestOpWireStrings pins the audit actions' values: they are stored in audit
// rows and filtered on by name, so a renamed constant must not change them.
func TestOpWireStrings(t *testing.T) {
	for op, want := range map[Op]string{
		OpResetToken: "reset_token", OpEnable: "enable", OpDisable: "disable", OpBan: "ban",
		OpExtend: "extend", OpResetTuner: "reset_tuner", OpChangePassword: "change_password",
		OpGenerateStreamerSecret: "generate_streamer_secret", OpImport: "import", OpSeed: "seed",
		OpKill: "kill", OpAcknowledge: "acknowledge", OpReset: "reset", OpDeviceResetLock: "reset_lock",
	} {
		if string(op) != want {
			t.Errorf("op %q, want %q", op, want)
		}
	}
	if EntityAll != "*" {
		t.Errorf("EntityAll = %q, want *", EntityAll)
	}
}
