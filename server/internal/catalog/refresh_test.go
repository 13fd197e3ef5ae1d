package catalog_test

import (
	"context"
	"log/slog"
	"testing"

	"canale/server/internal/catalog"
	"canale/server/internal/store"
	"canale/server/internal/store/storetest"
)

// heldSource is the real store whose next FindReadSubscriber, once armed,
// reads and then waits for release before returning: a refresh that read
// before an edit and reaches the model after the edit's own refresh.
type heldSource struct {
	*store.Store
	armed   bool
	read    chan struct{} // closed once the held call has read
	release chan struct{}
}

func (h *heldSource) FindReadSubscriber(ctx context.Context, id int64) (store.ReadSubscriber, error) {
	r, err := h.Store.FindReadSubscriber(ctx, id)
	if h.armed {
		h.armed = false
		close(h.read)
		<-h.release
	}
	return r, err
}

// TestStaleRefreshDoesNotUndoANewerOne overlaps two refreshes of one
// subscriber as the change listener and a token reset do: the listener's
// read comes from before the reset but reaches the model after the
// reset's own refresh. The model must keep the new token; putting the
// older record last let the old token play again (seen once in CI as
// TestAdminWritesApplyHereAtOnce's "reset 19, old token: 200").
func TestStaleRefreshDoesNotUndoANewerOne(t *testing.T) {
	dsn := storetest.DSN(t)
	storetest.SeedSubscribers(t, dsn, 10)
	src := &heldSource{Store: storetest.Open(t, dsn), read: make(chan struct{}), release: make(chan struct{})}
	c := catalog.New(src, slog.New(slog.DiscardHandler), catalog.Options{})
	ctx := context.Background()
	if err := c.Load(ctx); err != nil {
		t.Fatal(err)
	}
	before, _ := c.SubscriberByID(1)

	src.armed = true
	stale := make(chan error, 1)
	go func() { stale <- c.RefreshSubscriber(ctx, 1) }()
	<-src.read
	storetest.Exec(t, dsn, `UPDATE subscribers SET token = 'tok-after-reset' WHERE id = 1`)
	if err := c.RefreshSubscriber(ctx, 1); err != nil {
		t.Fatal(err)
	}
	close(src.release)
	if err := <-stale; err != nil {
		t.Fatal(err)
	}

	if s, ok := c.SubscriberByToken("tok-after-reset"); !ok || s.ID != 1 {
		t.Errorf("the new token is gone from the model (%v, %v)", s, ok)
	}
	if _, ok := c.SubscriberByToken(before.Token); ok {
		t.Errorf("the old token %q is back in the model", before.Token)
	}
}
