package ui

import "canale/shared/client"

// onResetTuner gives the subscriber's HDHomeRun tuner a new URL after a
// confirmation: media servers that added the old one lose the tuner, the
// subscriber's players keep working.
func (f *subscriberForm) onResetTuner() {
	f.confirmReset("Reset tuner", "Give "+f.sub.Login+"'s HDHomeRun tuner a new address? Media servers using the current one lose it; playlists keep working.",
		"Reset tuner", "New tuner address issued; the subscriber adds it to their media server again.",
		(*client.Client).ResetSubscriberTuner)
}
