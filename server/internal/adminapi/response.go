package adminapi

import (
	"errors"
	"net/http"
	"strconv"

	"canale/server/internal/httpserver"
	"canale/server/internal/signin"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// statusFor is the one mapping from error codes to HTTP statuses.
func statusFor(code api.Code) int {
	switch code {
	case api.CodeInvalid:
		return http.StatusBadRequest
	case api.CodeUnauthorized:
		return http.StatusUnauthorized
	case api.CodeForbidden:
		return http.StatusForbidden
	case api.CodeNotFound:
		return http.StatusNotFound
	case api.CodeConflict:
		return http.StatusConflict
	case api.CodeRateLimited:
		return http.StatusTooManyRequests
	case api.CodeUnavailable:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

type errorBody struct {
	Error *api.Error `json:"error"`
}

// writeError renders err as {"error":{code,message,fields}} with the status of
// its code. Internal errors are logged with the request ID and answered with
// a generic message, so no detail of the failure leaks to the caller.
func (a *API) writeError(c *gin.Context, err error) {
	code := api.ErrorCode(err)
	body := &api.Error{Code: code, Message: api.ErrorMessage(err)}
	var e *api.Error
	if errors.As(err, &e) { // store errors arrive wrapped with what was being done
		body.Fields = e.Fields
	}
	if secs, ok := signin.RetryAfter(err); ok {
		c.Header("Retry-After", strconv.Itoa(secs))
	}
	if code == api.CodeInternal || code == api.CodeUnavailable {
		a.Logger.ErrorContext(c.Request.Context(), "admin api request failed",
			"error", err, "request_id", httpserver.RequestID(c), "route", c.FullPath())
	}
	c.AbortWithStatusJSON(statusFor(code), errorBody{Error: body})
}

// MaxJSONBytes bounds a JSON request body once signed in. The largest the
// API takes (a package listing thousands of channels) is far below it; the
// sign-in route, open to anyone, keeps the engine's much smaller default.
const MaxJSONBytes = 4 << 20

// bindJSON decodes the body into v, answering a CodeInvalid error that says
// what was wrong with the JSON.
func (a *API) bindJSON(c *gin.Context, v any) bool {
	if err := c.ShouldBindJSON(v); err != nil {
		if tooBig := bodyTooLarge(err); tooBig != nil {
			a.writeError(c, tooBig)
			return false
		}
		if typed := jsonFieldError(err); typed != nil {
			a.writeError(c, typed)
			return false
		}
		a.writeError(c, api.Errorf(api.CodeInvalid, "invalid JSON body: %v", err))
		return false
	}
	return true
}

// bodyTooLarge is the CodeInvalid error, naming the limit, for a body the
// engine cut at its route's limit (httpserver.BodyLimit); nil for any
// other error.
func bodyTooLarge(err error) error {
	var mbe *http.MaxBytesError
	if !errors.As(err, &mbe) {
		return nil
	}
	return &api.Error{Code: api.CodeInvalid, Message: "request body larger than " + byteSize(mbe.Limit),
		Fields: map[string]string{"body": "must be at most " + byteSize(mbe.Limit)}}
}

// byteSize writes n as whole MiB or KiB, as the limits are.
func byteSize(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MiB"
	}
	return strconv.FormatInt(n>>10, 10) + " KiB"
}
