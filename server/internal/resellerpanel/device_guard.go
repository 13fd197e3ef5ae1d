package resellerpanel

import (
	"net/http"
	"strconv"
	"time"

	"canale/server/internal/ratelimit"
	"canale/shared/api"

	"github.com/gin-gonic/gin"
)

// A MAC is unique across the installation, so adding a box whose MAC is
// taken answers "taken": a reseller adding MACs in bulk would learn which
// ones other resellers' customers' boxes have, and an unlocked box signs
// in to the Stalker portal by its MAC alone. The Stalker portal limits
// such probing per address (its scan guard); the panel, the one place a
// reseller adds boxes, limits it per reseller: after takenMACMax taken
// MACs in takenMACWindow, adding boxes waits. A reseller retyping a MAC
// now and then is far below it.
const (
	takenMACMax    = 10
	takenMACWindow = time.Hour
)

func newTakenMACs() *ratelimit.Failures {
	return &ratelimit.Failures{Max: takenMACMax, Window: takenMACWindow}
}

// mayAddDevice refuses the call when the reseller has met too many taken
// MACs lately, answering it.
func (p *Panel) mayAddDevice(c *gin.Context) bool {
	ok, retry := p.takenMACs.Check(resellerKey(c))
	if !ok {
		c.Header("Retry-After", strconv.Itoa(int(retry.Seconds())+1))
		p.problem(c, http.StatusTooManyRequests, "Too many taken MACs",
			"Several of the MACs you added belong to other boxes. Check the MAC on the box's label and try again later.")
	}
	return ok
}

// noteDeviceAdd counts an add refused because the MAC is taken.
func (p *Panel) noteDeviceAdd(c *gin.Context, err error) {
	if api.ErrorCode(err) == api.CodeConflict {
		p.takenMACs.Fail(resellerKey(c))
	}
}

func resellerKey(c *gin.Context) string { return strconv.FormatInt(current(c).reseller.ID, 10) }
