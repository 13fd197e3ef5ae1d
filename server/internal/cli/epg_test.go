package cli_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"canale/server/internal/cli"
	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
	"canale/shared/api"
)

func TestEPGImportCommand(t *testing.T) {
	t.Parallel()
	dsn := storetest.DSN(t)
	s, err := store.Open(context.Background(), dsn, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	t0 := time.Now().UTC().Truncate(time.Hour).Add(time.Hour)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<?xml version="1.0"?><tv><channel id="a"><display-name>A</display-name></channel>
<programme start="%s" stop="%s" channel="a"><title>News</title></programme></tv>`,
			t0.Format("20060102150405 -0700"), t0.Add(time.Hour).Format("20060102150405 -0700"))
	}))
	defer ts.Close()
	src, err := s.CreateEPGSource(context.Background(), api.SystemActor("test"), api.EPGSource{Name: "main", URL: ts.URL,
		AllowPrivateNetwork: true}) // the guide server is on loopback
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut syncBuffer
	code := cli.Main(context.Background(), testBuild,
		[]string{"epg", "import", "--source", strconv.FormatInt(src.ID, 10), "--database-url", dsn},
		cli.IO{In: strings.NewReader(""), Out: &out, Err: &errOut, Getenv: noEnv})
	if code != 0 || !strings.Contains(out.String(), "1 programmes, 1 channels") {
		t.Errorf("got exit %d, out %q, err %q; want 0 and the counts", code, out.String(), errOut.String())
	}
	if !strings.Contains(errOut.String(), "downloading:") {
		t.Errorf("got stderr %q, want a progress line", errOut.String())
	}
	got, _ := s.FindEPGSourceByID(context.Background(), src.ID)
	if got.LastResult != api.EPGResultOK || got.ProgrammeCount != 1 {
		t.Errorf("source after the command: got %q with %d programmes, want ok with 1", got.LastResult, got.ProgrammeCount)
	}
	if code := cli.Main(context.Background(), testBuild, []string{"epg", "import", "--database-url", dsn},
		cli.IO{In: strings.NewReader(""), Out: &out, Err: &errOut, Getenv: noEnv}); code == 0 {
		t.Error("epg import without --source succeeded")
	}
}
