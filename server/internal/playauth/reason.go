package playauth

// Reason is the code of a decision, sent as the code of a 403's error and
// used as a metric label.
type Reason string

// Reasons. ReasonOK is the reason of every allowed request.
const (
	ReasonOK                  Reason = "ok"
	ReasonUnknownToken        Reason = "unknown_token"
	ReasonExpired             Reason = "expired"
	ReasonDisabled            Reason = "disabled"
	ReasonBanned              Reason = "banned"
	ReasonResellerDisabled    Reason = "reseller_disabled"
	ReasonUnknownChannel      Reason = "unknown_channel"
	ReasonChannelDisabled     Reason = "channel_disabled"
	ReasonNotInPackage        Reason = "not_in_package"
	ReasonIPNotAllowed        Reason = "ip_not_allowed"
	ReasonUserAgentNotAllowed Reason = "user_agent_not_allowed"
	ReasonDVRNotAllowed       Reason = "dvr_not_allowed"
	ReasonTooManySessions     Reason = "too_many_sessions"
	ReasonSessionKilled       Reason = "session_killed"
	ReasonPublishNotAllowed   Reason = "publish_not_allowed"
	ReasonMissingStreamName   Reason = "missing_name"
	ReasonBadRequest          Reason = "bad_request"
	ReasonDeviceNotAllowed    Reason = "device_not_allowed"
)

// titles are the human-readable titles of the reasons.
var titles = map[Reason]string{
	ReasonUnknownToken:        "unknown or missing token",
	ReasonExpired:             "subscription expired",
	ReasonDisabled:            "subscriber disabled",
	ReasonBanned:              "subscriber banned",
	ReasonResellerDisabled:    "reseller disabled",
	ReasonUnknownChannel:      "unknown channel",
	ReasonChannelDisabled:     "channel disabled",
	ReasonNotInPackage:        "channel not in the subscriber's packages",
	ReasonIPNotAllowed:        "client address not allowed",
	ReasonUserAgentNotAllowed: "user agent not allowed",
	ReasonDVRNotAllowed:       "no archive for this channel",
	ReasonTooManySessions:     "too many simultaneous sessions",
	ReasonSessionKilled:       "session ended by an administrator or by the session limit",
	ReasonPublishNotAllowed:   "publishing not allowed",
	ReasonMissingStreamName:   "missing stream name",
	ReasonBadRequest:          "malformed request",
	ReasonDeviceNotAllowed:    "MAG line outside its portal",
}

// Title is a short description of the reason.
func (r Reason) Title() string {
	if t, ok := titles[r]; ok {
		return t
	}
	return string(r)
}
