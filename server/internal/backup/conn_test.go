package backup

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestConnArgs(t *testing.T) {
	for _, tc := range []struct {
		name, dsn, conninfo string
		env                 []string
	}{
		{"URLWithPassword", "postgres://canale:s3cr%40t@db.example.com:5432/canale?sslmode=require&pool_max_conns=20",
			"postgres://canale@db.example.com:5432/canale?sslmode=require", []string{"PGPASSWORD=s3cr@t"}},
		{"URLWithoutPassword", "postgresql://canale@db/canale", "postgresql://canale@db/canale", nil},
		{"Keywords", "host=/run/pg port=5432 user=postgres dbname=postgres sslmode=disable",
			"host=/run/pg port=5432 user=postgres dbname=postgres sslmode=disable", nil},
		{"KeywordsQuotedPassword", `host=db user=canale password='a \'quoted\' pass' dbname=canale pool_min_conns=2`,
			"host=db user=canale dbname=canale", []string{"PGPASSWORD=a 'quoted' pass"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conninfo, env := connArgs(tc.dsn)
			if conninfo != tc.conninfo {
				t.Errorf("conninfo: got %q, want %q", conninfo, tc.conninfo)
			}
			if diff := cmp.Diff(tc.env, env); diff != "" {
				t.Errorf("env (-want +got):\n%s", diff)
			}
		})
	}
}
