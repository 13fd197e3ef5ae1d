package cli

import (
	"context"

	"canale/server/internal/store"
	"canale/shared/api"
)

// demoMAC is the demo subscriber's MAG box, fixed so that an emulator set
// up once keeps working across demo runs.
const demoMAC = "00:1A:79:DE:40:01"

// seedDemoDevice gives the demo subscriber a MAG device; a run on the same
// database finds it already there.
func seedDemoDevice(ctx context.Context, s *store.Store) (string, error) {
	sub, err := s.FindSubscriberByLogin(ctx, "demo")
	if err != nil {
		return "", err
	}
	_, err = s.CreateDevice(ctx, api.SystemActor("demo"), api.Device{SubscriberID: sub.Subscriber.ID, MAC: demoMAC})
	if api.ErrorCode(err) == api.CodeConflict {
		err = nil
	}
	return demoMAC, err
}
