package flussonic

import "encoding/base64"

// basicToken is base64(login:password), the credential of both the Basic
// and the Bearer scheme on a streamer.
func basicToken(login, password string) string {
	return base64.StdEncoding.EncodeToString([]byte(login + ":" + password))
}
