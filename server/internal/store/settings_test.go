package store_test

import (
	"context"
	"testing"

	"canale/server/internal/store/storetest"
	"canale/shared/api"
)

func TestSeedExternalURL(t *testing.T) {
	t.Parallel()
	s := storetest.New(t)
	ctx := context.Background()
	actor := api.SystemActor("test")
	if _, err := s.SeedExternalURL(ctx, actor, "https://tv.example.com/?x=1"); api.ErrorCode(err) != api.CodeInvalid {
		t.Errorf("a URL with a query: got %v, want invalid", err)
	}
	st, err := s.SeedExternalURL(ctx, actor, "https://tv.example.com")
	if err != nil || st.ExternalURL != "https://tv.example.com" || st.ExternalURLSource != api.ExternalURLFromFlag {
		t.Fatalf("seed an empty setting: got %q from %q, %v; want the flag's URL from the flag", st.ExternalURL, st.ExternalURLSource, err)
	}
	again, err := s.SeedExternalURL(ctx, actor, "https://tv.example.com")
	if err != nil || again.Version != st.Version {
		t.Errorf("the same flag again: version %d, %v; want no change from %d", again.Version, err, st.Version)
	}
	if st, err = s.SeedExternalURL(ctx, actor, ""); err != nil || st.ExternalURL != "https://tv.example.com" {
		t.Errorf("no flag: got %q, %v; want the seeded URL kept", st.ExternalURL, err)
	}
}
