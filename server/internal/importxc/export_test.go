package importxc

import "context"

// StubLookupHost makes allowed_ips host names resolve from hosts, without
// DNS, until the returned function restores the resolver.
func StubLookupHost(hosts map[string][]string) (restore func()) {
	saved := lookupHost
	lookupHost = func(_ context.Context, host string) ([]string, error) {
		if addrs, ok := hosts[host]; ok {
			return addrs, nil
		}
		return nil, context.DeadlineExceeded
	}
	return func() { lookupHost = saved }
}
