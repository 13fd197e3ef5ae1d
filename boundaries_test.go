// Package canale holds only this test: the import boundaries of STYLE.md §4, checked over the
// whole module so a stray import fails `make test` instead of waiting for a review.
package canale

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// ginSurfaces are the packages allowed to import Gin: the HTTP surfaces, the engine that mounts
// them, and the few that build or start that engine.
var ginSurfaces = map[string]string{
	"canale/server/internal/adminapi":      "admin REST API surface",
	"canale/server/internal/balancer":      "redirect handlers to the edges",
	"canale/server/internal/configext":     "config_external surface for streamers",
	"canale/server/internal/playauth":      "Flussonic and nginx auth surfaces",
	"canale/server/internal/portal":        "customer portal surface",
	"canale/server/internal/subscriberapi": "per-subscriber M3U and XMLTV surface",
	"canale/server/internal/xtream":        "Xtream-Codes player API surface",
	"canale/server/internal/stalker":       "Stalker/MAG portal API surface",
	"canale/server/internal/httpserver":    "the engine: middleware and mounting of every surface",
	"canale/server/internal/app":           "wires the surfaces into the engine it hands out",
	"canale/server/internal/cli":           "sets Gin's release mode before serve and demo build the engine",
	"canale/server/internal/testserver":    "test harness: sets Gin's test mode for a whole server",
	"canale/server/servertest":             "test harness for the desktop's tests: Gin's test mode",
	"canale/server/internal/resellerpanel": "reseller panel surface",
	"canale/server/internal/hdhomerun":     "HDHomeRun tuner surface for media servers",
}

// listedPackage is the part of `go list -json` the boundaries need.
type listedPackage struct {
	ImportPath string
	Standard   bool
	Imports    []string
	Deps       []string
}

func TestImportBoundaries(t *testing.T) {
	pkgs, standard := listModule(t)

	t.Run("PgxOnlyInStore", func(t *testing.T) {
		allowed := []string{"canale/server/internal/store", "canale/server/internal/store/storetest"}
		checkImporters(t, pkgs, "github.com/jackc/pgx", allowed, "only store and storetest may")
	})
	t.Run("GinOnlyInHTTPSurfaces", func(t *testing.T) {
		allowed := make([]string, 0, len(ginSurfaces))
		for p := range ginSurfaces {
			allowed = append(allowed, p)
		}
		checkImporters(t, pkgs, "github.com/gin-gonic/gin", allowed, "only the HTTP surfaces listed in ginSurfaces may")
	})
	t.Run("FyneAppOnlyInDesktopMain", func(t *testing.T) {
		checkImporters(t, pkgs, "fyne.io/fyne/v2/app", []string{"canale/desktop"}, "only desktop/main.go may")
	})
	t.Run("NoFyneUnderServer", func(t *testing.T) {
		for _, p := range pkgs {
			if !under(p.ImportPath, "canale/server") {
				continue
			}
			for _, d := range p.Deps {
				if under(d, "fyne.io/fyne") {
					t.Errorf("%s depends on %s; nothing under server/ may use Fyne", p.ImportPath, d)
					break
				}
			}
		}
	})
	t.Run("SharedAPIStandardLibraryOnly", func(t *testing.T) {
		p, ok := pkgs["canale/shared/api"]
		if !ok {
			t.Fatal("canale/shared/api not in go list output")
		}
		for _, d := range p.Deps {
			if !standard[d] {
				t.Errorf("canale/shared/api depends on %s; it may use only the standard library", d)
			}
		}
	})
}

// listModule runs `go list -deps -json ./...` on the module and returns its own packages by
// import path and the set of standard-library packages. -e keeps a cgo-less run working: the
// desktop main package cannot build without cgo, but its imports are still listed.
func listModule(t *testing.T) (map[string]listedPackage, map[string]bool) {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command("go", "list", "-e", "-deps", "-json", "./...")
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.Bytes())
	}
	pkgs := map[string]listedPackage{}
	standard := map[string]bool{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("decoding go list output: %v", err)
		}
		if p.Standard {
			standard[p.ImportPath] = true
		}
		if under(p.ImportPath, "canale") {
			pkgs[p.ImportPath] = p
		}
	}
	// A parse that found nothing would pass every check; the known importers prove it did not.
	for _, want := range [][2]string{
		{"canale/server/internal/store", "github.com/jackc/pgx/v5"},
		{"canale/desktop", "fyne.io/fyne/v2/app"},
	} {
		if !slices.Contains(pkgs[want[0]].Imports, want[1]) {
			t.Fatalf("go list output shows no %s importing %s; the listing is not what the checks expect", want[0], want[1])
		}
	}
	return pkgs, standard
}

// checkImporters fails for every package of the module outside allowed that imports prefix or a
// package under it, saying rule.
func checkImporters(t *testing.T, pkgs map[string]listedPackage, prefix string, allowed []string, rule string) {
	t.Helper()
	for _, p := range pkgs {
		if slices.Contains(allowed, p.ImportPath) {
			continue
		}
		for _, imp := range p.Imports {
			if under(imp, prefix) {
				t.Errorf("%s imports %s; %s", p.ImportPath, imp, rule)
			}
		}
	}
}

// under reports whether path is prefix or a package below it ("github.com/jackc/pgx" covers
// "github.com/jackc/pgx/v5/pgconn").
func under(path, prefix string) bool {
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}
