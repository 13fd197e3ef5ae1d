package importxc

import (
	"context"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// expiredWithoutDate reports an expiry XC reads as already over though it
// names no real moment: 0, a negative number, or a zero date. XC tests
// `exp_date` for NULL only, so 0 is "expired since 1970", not "never".
// NULL and an empty text never expire.
func expiredWithoutDate(r row, col string) bool {
	v, ok := r[col]
	if !ok || v == nil {
		return false
	}
	if t, ok := v.(time.Time); ok {
		return t.IsZero() || t.Year() <= 1970
	}
	s := r.str(col)
	if strings.HasPrefix(s, "0000-00-00") {
		return true
	}
	f, err := strconv.ParseFloat(strings.Trim(s, `"`), 64)
	return err == nil && f <= 0
}

// exactUserAgents turns XC's allowed_ua list into Canale's exact-match
// rules: XC compares the whole user agent (in_array), where a bare Canale
// rule is a substring. An "=" in front says "exactly this".
func exactUserAgents(uas []string) []string {
	out := make([]string, 0, len(uas))
	for _, ua := range uas {
		if ua != "" {
			out = append(out, "="+ua)
		}
	}
	return out
}

// lookupHost resolves a host name in allowed_ips; a variable so tests need
// no DNS.
var lookupHost = func(ctx context.Context, host string) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return net.DefaultResolver.LookupHost(ctx, host)
}

// allowedIPs reads a line's allowed_ips. XC accepts host names there (it
// resolves them as it checks); Canale's decision takes addresses and
// prefixes, so a host is resolved now, its addresses kept, and the report
// says so. A host that does not resolve is reported and left out.
func (im *importer) allowedIPs(r row, id int64) []string {
	var out []string
	for _, v := range r.strs("allowed_ips") {
		if _, err := netip.ParsePrefix(v); err == nil {
			out = append(out, v)
			continue
		}
		if _, err := netip.ParseAddr(v); err == nil {
			out = append(out, v)
			continue
		}
		addrs, err := lookupHost(context.Background(), v)
		if err != nil || len(addrs) == 0 {
			im.rep.note("line %d: allowed_ips host %q does not resolve; left out of its rules", id, v)
			continue
		}
		im.rep.note("line %d: allowed_ips host %q resolved at import to %s; Canale keeps the addresses, not the name",
			id, v, strings.Join(addrs, ", "))
		out = append(out, addrs...)
	}
	return out
}

// noteLineRules reports the lines whose rules changed in meaning.
func (im *importer) noteLineRules() {
	if im.expiredAtZero > 0 {
		im.rep.note("%d lines had exp_date 0 or a zero date, which XC treats as expired: imported expired (1970-01-01)", im.expiredAtZero)
	}
	if len(im.lockedOut) > 0 {
		var ids []string
		for _, id := range im.lockedOut[:min(len(im.lockedOut), maxListedIDs)] {
			ids = append(ids, strconv.FormatInt(id, 10))
		}
		im.rep.note("%d lines allowed only hosts that do not resolve; imported disabled rather than open to every address (lines %s)",
			len(im.lockedOut), strings.Join(ids, ", "))
	}
}
