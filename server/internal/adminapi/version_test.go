package adminapi_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"canale/server/internal/testserver"
	"canale/shared/api"
)

// TestUpdateWithoutVersion checks that an update naming no version is the caller's invalid
// field, not "changed by someone else", on every kind of versioned update path of the store.
func TestUpdateWithoutVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := testserver.Start(t)
	c := srv.Admin
	sub, err := c.CreateSubscriber(ctx, api.Subscriber{Login: "nover", Password: "pw-nover", Name: "No Version"})
	if err != nil {
		t.Fatal(err)
	}
	ch, err := c.CreateChannel(ctx, api.ChannelCreate{Name: "nover", Title: "No Version"})
	if err != nil {
		t.Fatal(err)
	}
	src, err := c.CreateEPGSource(ctx, api.EPGSource{Name: "nover", URL: "http://127.0.0.1/nover.xml"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		update func() error
	}{
		{"Subscriber", func() error {
			_, err := c.UpdateSubscriber(ctx, sub.ID, api.SubscriberUpdate{Name: ptr("x")})
			return err
		}},
		{"Channel", func() error {
			_, err := c.UpdateChannel(ctx, ch.ID, api.ChannelUpdate{Title: ptr("x")})
			return err
		}},
		{"EPGSource", func() error {
			_, err := c.UpdateEPGSource(ctx, src.ID, api.EPGSourceUpdate{Enabled: ptr(false)})
			return err
		}},
		{"Settings", func() error {
			_, err := c.UpdateSettings(ctx, api.SettingsUpdate{BackupKeep: ptr(3)})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.update()
			var e *api.Error
			if !errors.As(err, &e) || e.Code != api.CodeInvalid || e.Fields["version"] != "required: the version you read" {
				t.Errorf("got %v, want invalid naming version as required", err)
			}
		})
	}
	t.Run("Status", func(t *testing.T) {
		if got := status(t, http.MethodPatch, srv.URL+"/api/v1/subscribers/"+itoa(sub.ID), c.Token()); got != http.StatusBadRequest {
			t.Errorf("PATCH {}: got status %d, want 400", got)
		}
	})
}
