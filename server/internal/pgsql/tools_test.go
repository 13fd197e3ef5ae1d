package pgsql

import (
	"context"
	"os"
	"strings"
	"testing"
)

func TestFindTool(t *testing.T) {
	ctx := context.Background()
	found, err := FindTool(ctx, "pg_dump", 0)
	if err != nil {
		if os.Getenv("CI") != "true" {
			t.Skip("no PostgreSQL client programs:", err)
		}
		t.Fatal(err)
	}
	if found.Major < 10 || !isExecutable(found.Path) {
		t.Errorf("got %+v, want an executable pg_dump of a real version", found)
	}
	if same, err := FindTool(ctx, "pg_dump", found.Major); err != nil || same.Major != found.Major {
		t.Errorf("pg_dump for server %d: got %+v, %v; want that version", found.Major, same, err)
	}
	if _, err := FindTool(ctx, "pg_dump", 999); err == nil || !strings.Contains(err.Error(), "pg_dump 999 or newer not found") {
		t.Errorf("pg_dump for a server newer than any installed: got %v, want an error naming the version", err)
	}
}
