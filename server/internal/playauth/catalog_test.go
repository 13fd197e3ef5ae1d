package playauth_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

// eventually polls cond for up to 10 s: change events travel through
// PostgreSQL NOTIFY, so their effect is awaited, not timed.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not seen within 10 s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestChangesReachEveryInstance resets a token and changes a channel with
// the NOTIFY the admin API sends, and checks both instances follow.
func TestChangesReachEveryInstance(t *testing.T) {
	a := startSeeded(t)
	b := startInstance(t, a.dsn)
	a.exec(t, `UPDATE subscribers SET token = 'tok-new' WHERE id = 1;
		SELECT pg_notify('canale_changes', '{"entity":"subscriber","id":"1","op":"update"}')`)
	for _, in := range []*instance{a, b} {
		eventually(t, "token reset on "+in.url, func() bool {
			_, old := in.app.Catalog().SubscriberByToken("tok-good")
			s, ok := in.app.Catalog().SubscriberByToken("tok-new")
			return !old && ok && s.ID == 1
		})
		if resp := play(t, in.url, url.Values{"token": {"tok-good"}, "session_id": {"old-" + in.url}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("old token: status %d, want 403", resp.StatusCode)
		}
		if resp := play(t, in.url, url.Values{"token": {"tok-new"}, "session_id": {"new-" + in.url}}); resp.StatusCode != http.StatusOK {
			t.Errorf("new token: status %d, want 200", resp.StatusCode)
		}
	}
	a.exec(t, `INSERT INTO package_channels (package_id, channel_id) VALUES (1, 2);
		SELECT pg_notify('canale_changes', '{"entity":"package","id":"1","op":"update"}')`)
	for _, in := range []*instance{a, b} {
		eventually(t, "package change on "+in.url, func() bool {
			p, ok := in.app.Catalog().Package(1)
			return ok && p.HasChannel(2)
		})
	}
	a.exec(t, `DELETE FROM subscriber_packages WHERE subscriber_id = 2; DELETE FROM subscribers WHERE id = 2;
		SELECT pg_notify('canale_changes', '{"entity":"subscriber","id":"2","op":"delete"}')`)
	eventually(t, "deleted subscriber", func() bool {
		_, byID := b.app.Catalog().SubscriberByID(2)
		_, byLogin := b.app.Catalog().SubscriberByLogin("EXPIRED")
		return !byID && !byLogin
	})
	if s, ok := b.app.Catalog().SubscriberByLogin("GOOD"); !ok || s.ID != 1 {
		t.Errorf("login lookup is not case-insensitive: %v %v", s, ok)
	}
}
