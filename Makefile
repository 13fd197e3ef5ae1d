# Canale — run `make` for the list of targets.

# Versions come from git tags vX.Y.Z; packaging/version.sh says how builds
# between tags are named. VERSION=… overrides it (e.g. for a source tarball).
VERSION     ?= $(shell packaging/version.sh semver)
DEB_VERSION := $(shell VERSION=$(VERSION) packaging/version.sh deb)
COMMIT      := $(shell packaging/version.sh commit)
ARCH        := $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
GO        ?= go
BIN       := bin
DATA_DIR  ?= $(CURDIR)/.canale
HTTP_ADDR ?= 127.0.0.1:8080
LDFLAGS   := -s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT)
DESKTOP_TAGS := migrated_fynedo
DIST      := dist
# Position-independent executables, as Debian builds its own (lintian checks).
# The packaging tests build with the same flags, so they share the build cache.
BUILDMODE := -buildmode=pie

# Debian packages the build and the tests need: PostgreSQL (embedded default
# and test clusters), the C toolchain and X11/GL headers (Fyne, -race), and the
# real parts the end-to-end tests run (nginx+rtmp+ffmpeg edge, Chromium,
# pebble for ACME, MariaDB for the XC import, Xvfb for the desktop window),
# and what the packages need: dpkg-dev (dpkg-shlibdeps), lintian, the mingw-w64
# cross compiler for the Windows build, zip, systemd (systemd-analyze checks
# the unit; nothing starts it here), nodejs for the third-party npm XC
# client the xtream tests drive (npm comes with it, or from Debian's npm),
# wget, which the Enigma2 install script the xtream tests run calls, and the
# highly available PostgreSQL the failover suite runs (Patroni, etcd, haproxy).
APT_PACKAGES := postgresql gcc libc6-dev pkg-config git ca-certificates \
	libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev \
	nginx libnginx-mod-rtmp ffmpeg chromium mariadb-server pebble wrk xvfb xauth imagemagick xdotool \
	dpkg-dev lintian gcc-mingw-w64-x86-64 zip systemd nodejs wget hdhomerun-config \
	patroni etcd-server haproxy kodi kodi-pvr-stalker kodi-pvr-iptvsimple
# npm projects the tests run, installed from their lock files.
NPM_TEST_DIRS := server/internal/xtream/testdata/npmclient

.DEFAULT_GOAL := help
.PHONY: help deps build server desktop windows run run-desktop desktop-shot portal-shot test test-fast fuzz lint bench deb desktop-deb dist version clean

help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

deps: ## Install the Debian packages the build and tests need (as root), or say which are missing
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then echo "deps: all Debian packages present"; \
	elif [ "$$(id -u)" = 0 ]; then echo "deps: installing $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else echo "deps: missing Debian packages; run as root: apt-get install $$missing"; fi
	@command -v $(GO) >/dev/null || { echo "deps: Go 1.26 is required (https://go.dev/dl/)"; exit 1; }
	@if ! command -v npm >/dev/null && [ "$$(id -u)" = 0 ]; then echo "deps: installing npm"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null; fi
	@if command -v npm >/dev/null; then for d in $(NPM_TEST_DIRS); do [ $$d/node_modules/.package-lock.json -nt $$d/package-lock.json ] || \
		(cd $$d && npm ci --no-audit --no-fund --silent) || exit 1; done; \
	else echo "deps: npm missing; the third-party XC client tests will fail under CI=true"; fi

build: server desktop ## Build bin/canale and bin/canale-admin

server: ## Build the server, bin/canale (no cgo)
	CGO_ENABLED=0 $(GO) build -trimpath $(BUILDMODE) -ldflags "$(LDFLAGS)" -o $(BIN)/canale ./server

desktop: deps ## Build the desktop app, bin/canale-admin (needs cgo and the X11/GL headers)
	CGO_ENABLED=1 $(GO) build -trimpath $(BUILDMODE) -tags $(DESKTOP_TAGS) -ldflags "$(LDFLAGS)" -o $(BIN)/canale-admin ./desktop

windows: deps ## Cross-compile the desktop app for Windows, bin/windows/canale-admin.exe (mingw-w64)
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc $(GO) build -trimpath -tags $(DESKTOP_TAGS) \
		-ldflags "-H=windowsgui $(LDFLAGS)" -o $(BIN)/windows/canale-admin.exe ./desktop

version: ## Print the version, the Debian version and the commit this tree builds
	@echo "version $(VERSION)"; echo "debian  $(DEB_VERSION)"; echo "commit  $(COMMIT)"

run: deps server ## Start the server on the embedded PostgreSQL at http://127.0.0.1:8080 and print the admin login
	@echo "== creating or re-keying the administrator (data in $(DATA_DIR))"
	@$(BIN)/canale setup init --data-dir $(DATA_DIR) --log-level warn
	@echo "== next: sign in with the desktop app (make run-desktop) or curl the API; Ctrl-C stops the server"
	$(BIN)/canale serve --data-dir $(DATA_DIR) --http-addr $(HTTP_ADDR) --external-url http://$(HTTP_ADDR)

run-desktop: desktop ## Start the desktop app against the server of `make run`
	CANALE_ADMIN_SERVER=http://$(HTTP_ADDR) $(BIN)/canale-admin

desktop-shot: server desktop ## Screenshot the desktop app against `canale demo` under Xvfb into bin/shots/
	BIN=$(BIN) packaging/desktop-shot.sh

portal-shot: server ## Screenshot every portal page in headless Chromium against `canale demo` into bin/portal-shots/
	BIN=$(BIN) GO=$(GO) packaging/portal-shot.sh

test: deps ## Run every test (race detector, real PostgreSQL and the real parts)
	$(GO) vet ./...
	@test -z "$$(gofmt -l . | tee /dev/stderr)" || { echo "gofmt: the files above need formatting"; exit 1; }
	$(GO) test -race -count=1 -timeout 20m ./...

test-fast: ## Quick inner loop: no race detector, no cgo
	CGO_ENABLED=0 $(GO) test -count=1 ./shared/... ./server/...

FUZZTIME ?= 30s

fuzz: ## Run every fuzz target for FUZZTIME each (default 30s); a crash lands in the package's testdata/fuzz
	@set -e; for f in $$(grep -rl --include='*_test.go' '^func Fuzz' server shared | sort); do \
		pkg=./$$(dirname $$f); \
		for t in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$f); do \
			echo "== $$pkg $$t ($(FUZZTIME))"; \
			$(GO) test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done

lint: ## gofmt, go vet, go mod tidy and staticcheck
	@test -z "$$(gofmt -l . | tee /dev/stderr)" || { echo "gofmt: the files above need formatting"; exit 1; }
	$(GO) vet ./...
	$(GO) mod tidy -diff
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

bench: deps ## Run the benchmarks and the wrk load harness the issues name; prints each figure as a ratio to a baseline of the same run
	@mkdir -p $(BIN)
	@echo "== Go benchmarks (scale down with CANALE_BENCH_SUBSCRIBERS, CANALE_BENCH_STREAMERS, CANALE_BENCH_STREAMS)"
	$(GO) test -run '^$$' -bench . -benchmem -count=1 -timeout 30m ./server/... | tee $(BIN)/bench.txt
	@echo "== wrk load harness (scale down with CANALE_LOAD_SUBSCRIBERS, CANALE_LOAD_STREAMERS, CANALE_LOAD_STREAMS,"
	@echo "   CANALE_LOAD_POLL_SECONDS, CANALE_LOAD_WRK_SECONDS, CANALE_LOAD_ROUNDS)"
	CI=true $(GO) test -tags loadtest -run TestLoad -count=1 -v -timeout 30m ./server/internal/loadtest | tee $(BIN)/load.txt
	@echo "== failover suite (Patroni + etcd + haproxy, two instances behind nginx; about 90 s)"
	CI=true $(GO) test -run 'TestFailover$$' -count=1 -v -timeout 10m ./server/internal/failover | tee $(BIN)/failover.txt
	@$(GO) run ./bench < $(BIN)/bench.txt
	@echo "\n== Load harness (wrk on loopback against a real server; ratios against /healthz of the same run)"
	@grep '^load: ' $(BIN)/load.txt | sed 's/^load: /  /'
	@echo "\n== Failover (play checks during each outage, admin writes lost, seconds until writable, until a change reaches both instances)"
	@grep '^failover: ' $(BIN)/failover.txt | sed 's/^failover: /  /'

deb: server ## Build the server's Debian package into dist/
	packaging/build-deb.sh $(BIN)/canale $(DEB_VERSION) $(DIST)

desktop-deb: desktop ## Build the desktop app's Debian package into dist/
	packaging/build-desktop-deb.sh $(BIN)/canale-admin $(DEB_VERSION) $(DIST)

dist: deb desktop-deb windows ## Build both .debs, the Windows zip and SHA256SUMS into dist/
	rm -f $(DIST)/canale-admin_*_windows-amd64.zip $(DIST)/SHA256SUMS
	zip -q -j -X $(DIST)/canale-admin_$(VERSION)_windows-amd64.zip $(BIN)/windows/canale-admin.exe CHANGELOG.md
	cd $(DIST) && sha256sum canale_$(DEB_VERSION)_$(ARCH).deb canale-admin_$(DEB_VERSION)_$(ARCH).deb \
		canale-admin_$(VERSION)_windows-amd64.zip > SHA256SUMS
	@cat $(DIST)/SHA256SUMS

clean: ## Remove build outputs (not the data of make run)
	rm -rf $(BIN) dist

.PHONY: bench-poll
bench-poll: ## Measure the poller alone (200 x 500 simulated streams in their own process): CPU s and allocations per 5 s cycle; CANALE_LOAD_PROFILE_DIR keeps poll.pprof
	@mkdir -p $(BIN)
	@CI=true CANALE_LOAD_WRK_SECONDS=1 CANALE_LOAD_ROUNDS=1 $(GO) test -tags loadtest -run 'TestLoad/Balancer' -count=1 -v \
		-timeout 20m ./server/internal/loadtest > $(BIN)/poll.txt; status=$$?; grep '^load: poll' $(BIN)/poll.txt; \
		[ $$status = 0 ] || tail -30 $(BIN)/poll.txt; exit $$status
