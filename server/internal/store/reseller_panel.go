package store

import (
	"context"
	"fmt"

	"canale/shared/api"
)

// ResellerDashboard counts reseller id's lines by state and its customers'
// live connections, in one statement over the (reseller_id, id) index.
func (s *Store) ResellerDashboard(ctx context.Context, id int64) (api.ResellerDashboard, error) {
	var d api.ResellerDashboard
	err := s.pool.QueryRow(ctx, `SELECT (r.credits * 100)::bigint,
			count(s.id) FILTER (WHERE s.status = 'active' AND (s.expires_at IS NULL OR s.expires_at > now())),
			count(s.id) FILTER (WHERE s.status = 'active' AND s.expires_at > now() AND s.expires_at <= now() + interval '7 days'),
			count(s.id) FILTER (WHERE s.expires_at <= now()),
			count(s.id) FILTER (WHERE s.trial AND s.expires_at > now()),
			(SELECT count(*) FROM play_sessions ps JOIN subscribers s2 ON s2.id = ps.subscriber_id
				WHERE s2.reseller_id = r.id AND ps.closed_at IS NULL AND ps.expires_at > now())
		FROM resellers r LEFT JOIN subscribers s ON s.reseller_id = r.id
		WHERE r.id = $1 GROUP BY r.id`, id).Scan(&d.CreditsMinor, &d.Active, &d.ExpiringIn7Days, &d.Expired, &d.Trials, &d.LiveConnections)
	if err != nil {
		return d, fmt.Errorf("reseller %d dashboard: %w", id, interpretError(err))
	}
	return d, nil
}
