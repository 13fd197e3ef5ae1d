package packaging

import (
	"debug/pe"
	"testing"
)

// TestWindowsBuild cross-compiles canale-admin.exe with Debian's mingw-w64
// toolchain, as `make windows` does, and checks it is a 64-bit GUI program
// (a console one would open a terminal beside the window). Running it needs
// Windows 10 or later; bookworm's Wine cannot start Go 1.26 programs.
func TestWindowsBuild(t *testing.T) {
	need(t, "x86_64-w64-mingw32-gcc", "gcc-mingw-w64-x86-64")
	exe := goBuild(t, []string{"CGO_ENABLED=1", "GOOS=windows", "GOARCH=amd64", "CC=x86_64-w64-mingw32-gcc"},
		"canale-admin.exe", "./desktop", "-H=windowsgui", "-tags", "migrated_fynedo")
	f, err := pe.Open(exe)
	if err != nil {
		t.Fatalf("open %s: %v", exe, err)
	}
	defer f.Close()
	if f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		t.Errorf("got machine %#x, want AMD64", f.Machine)
	}
	oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	if !ok {
		t.Fatalf("got optional header %T, want PE32+", f.OptionalHeader)
	}
	if oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		t.Errorf("got subsystem %d, want %d (GUI)", oh.Subsystem, pe.IMAGE_SUBSYSTEM_WINDOWS_GUI)
	}
}
