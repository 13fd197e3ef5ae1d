package cli_test

import (
	"context"
	"regexp"
	"testing"

	"canale/shared/client"
)

var adminPasswordLine = regexp.MustCompile(`(?m)^password: (\S+)$`)

// demoAdmin signs in as the printed admin.
func demoAdmin(t *testing.T, base, out string) *client.Client {
	t.Helper()
	m := adminPasswordLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no admin password line:\n%s", out)
	}
	c := client.New(base, nil)
	if _, err := c.Login(context.Background(), "admin", m[1]); err != nil {
		t.Fatalf("sign in as the demo admin: %v", err)
	}
	return c
}

// checkDemoQuiet: a demo that just started has raised no alert; its
// streamers answered from the first poll, so nobody sees "stopped
// answering" followed by "answering again".
func checkDemoQuiet(t *testing.T, c *client.Client) {
	t.Helper()
	alerts, err := c.Alerts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range alerts {
		t.Errorf("alert at demo start: %s %s: %s", a.Severity, a.Kind, a.Message)
	}
}
