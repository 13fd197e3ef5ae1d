package playlist

// AssignNumbers returns the channel number of each channel as the M3U
// writer numbers them (tvg-chno), so other surfaces that show numbers (the
// HDHomeRun tuner's GuideNumber) agree with every playlist.
func AssignNumbers(channels []Channel) []int { return assignNumbers(channels) }
