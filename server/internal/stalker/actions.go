package stalker

import (
	"strconv"
	"strings"
)

// actions are the calls of a box with a session, by "type/action".
var actions = map[string]handler{
	"stb/get_modules":                     (*API).getModules,
	"stb/get_preload_images":              emptyList,
	"stb/get_settings_profile":            emptyObject,
	"stb/get_locales":                     getLocales,
	"stb/log":                             ack,
	"stb/set_stream_error":                ack,
	"account_info/get_main_info":          (*API).getMainInfo,
	"itv/get_genres":                      (*API).getGenres,
	"itv/get_all_channels":                (*API).getAllChannels,
	"itv/get_ordered_list":                (*API).getOrderedList,
	"itv/get_all_fav_channels":            (*API).getAllFavChannels,
	"itv/set_fav":                         (*API).setFav,
	"itv/get_fav_ids":                     (*API).getFavIDs,
	"itv/set_last_id":                     (*API).setLastID,
	"itv/set_claim":                       (*API).setClaim,
	"itv/create_link":                     (*API).createLink,
	"itv/get_short_epg":                   (*API).getShortEPG,
	"itv/get_epg_info":                    (*API).getEPGInfo,
	"epg/get_week":                        (*API).getWeek,
	"epg/get_simple_data_table":           (*API).getSimpleDataTable,
	"epg/get_all_program_for_ch":          (*API).getAllProgramForCh,
	"tv_archive/create_link":              (*API).archiveLink,
	"tv_archive/get_next_part_url":        func(*API, *request, *session) (any, error) { return false, nil },
	"watchdog/get_events":                 watchdogEvents,
	"watchdog/confirm_event":              func(*API, *request, *session) (any, error) { return map[string]string{"data": "ok"}, nil },
	"remote_pvr/get_active_recordings":    emptyList,
	"media_favorites/get_all":             func(*API, *request, *session) (any, error) { return "", nil },
	"weatherco/get_current":               func(*API, *request, *session) (any, error) { return false, nil },
	"vod/get_categories":                  (*API).vodCategories,
	"vod/get_genres_by_category_alias":    vodGenres,
	"vod/get_years":                       vodYears,
	"vod/get_abc":                         vodABC,
	"vod/get_ordered_list":                (*API).vodList,
	"vod/create_link":                     (*API).vodLink,
	"series/get_categories":               (*API).seriesCategories,
	"series/get_genres_by_category_alias": vodGenres,
	"series/get_years":                    vodYears,
	"series/get_abc":                      vodABC,
	"series/get_ordered_list":             (*API).seriesList,
	"series/create_link":                  (*API).vodLink,
}

// unknownAction answers anything else: acknowledgements (set_*, log, …) with
// true, the rest with an empty list, never an error page (§10).
func unknownAction(_ *API, q *request, _ *session) (any, error) {
	if a := strings.ToLower(q.param("action")); strings.HasPrefix(a, "set_") || strings.HasPrefix(a, "del_") ||
		a == "log" || strings.HasPrefix(a, "update_") || strings.HasPrefix(a, "start_") || strings.HasPrefix(a, "stop_") {
		return true, nil
	}
	return []any{}, nil
}

func ack(*API, *request, *session) (any, error)         { return true, nil }
func emptyList(*API, *request, *session) (any, error)   { return []any{}, nil }
func emptyObject(*API, *request, *session) (any, error) { return map[string]any{}, nil }

func getLocales(*API, *request, *session) (any, error) {
	return []map[string]any{{"label": "English", "value": "en_GB.utf8", "selected": 1}}, nil
}

// getLocalization is the flat map of UI strings (§2.4); "phone" is relabelled
// as XC does, because apps show the expiry in that field.
func (a *API) getLocalization(*request, *session) (any, error) {
	return map[string]string{"phone": "Subscription Expire Date", "cut_off_msg": genericBlock}, nil
}

// modules lists what the MAG UI shows: TV, its EPG and catch-up, the video
// club (movies and series), account.
var modules = []string{"tv", "epg", "epg.simple", "tv_archive", "time_shift", "vclub", "account", "settings", "logout"}

func (a *API) getModules(*request, *session) (any, error) {
	return map[string]any{"all_modules": modules, "switchable_modules": []string{}, "disabled_modules": []string{},
		"restricted_modules": []string{}, "template": "default"}, nil
}

// getMainInfo is the account page; apps read phone as the expiry (§8).
func (a *API) getMainInfo(q *request, s *session) (any, error) {
	expiry, end := "Unlimited", "Unlimited"
	if !s.sub.ExpiresAt.IsZero() {
		expiry = s.sub.ExpiresAt.UTC().Format("January 2, 2006")
		days := int(s.sub.ExpiresAt.Sub(q.now).Hours() / 24)
		end = s.sub.ExpiresAt.UTC().Format("2006-01-02") + " (" + strconv.Itoa(days) + " days)"
	}
	return map[string]any{"mac": s.dev.MAC, "phone": expiry, "end_date": end, "fname": s.sub.Name,
		"ls": strconv.FormatInt(s.sub.ID, 10), "message": a.deps.Message}, nil
}

// watchdogEvents is the keep-alive (§9): the session check already slid the
// session and recorded the box as seen; no events are queued yet.
func watchdogEvents(*API, *request, *session) (any, error) {
	return map[string]any{"data": map[string]any{"msgs": 0, "additional_services_on": 1}}, nil
}
