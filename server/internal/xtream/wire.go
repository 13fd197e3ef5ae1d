package xtream

// The wire types below follow specs/xtream.md §1.4 field by field, in the
// order real panels send them. Types are the conventional ones: quoted where
// panels quote (category_id, exp_date, added), bare where they do not. A
// quoted number is never "" (strict clients parse it as an integer and fail
// the whole answer): an absent one is "0", an unlimited exp_date is null.

// failedLogin is the whole answer to bad credentials.
var failedLogin = []byte(`{"user_info":{"auth":0}}`)

type accountInfo struct {
	UserInfo   userInfo   `json:"user_info"`
	ServerInfo serverInfo `json:"server_info"`
}

type userInfo struct {
	Username             string   `json:"username"`
	Password             string   `json:"password"`
	Message              string   `json:"message"`
	Auth                 int      `json:"auth"`
	Status               string   `json:"status"`
	ExpDate              *string  `json:"exp_date"`
	IsTrial              string   `json:"is_trial"`
	ActiveCons           string   `json:"active_cons"`
	CreatedAt            string   `json:"created_at"`
	MaxConnections       string   `json:"max_connections"`
	AllowedOutputFormats []string `json:"allowed_output_formats"`
}

type serverInfo struct {
	URL            string `json:"url"`
	Port           string `json:"port"`
	HTTPSPort      string `json:"https_port"`
	ServerProtocol string `json:"server_protocol"`
	RTMPPort       string `json:"rtmp_port"`
	Timezone       string `json:"timezone"`
	TimestampNow   int64  `json:"timestamp_now"`
	TimeNow        string `json:"time_now"`
	Process        bool   `json:"process"`
}

type category struct {
	CategoryID   string `json:"category_id"`
	CategoryName string `json:"category_name"`
	ParentID     int    `json:"parent_id"`
}

type liveStream struct {
	Num               int     `json:"num"`
	Name              string  `json:"name"`
	StreamType        string  `json:"stream_type"`
	StreamID          int64   `json:"stream_id"`
	StreamIcon        string  `json:"stream_icon"`
	EPGChannelID      string  `json:"epg_channel_id"`
	Added             string  `json:"added"`
	IsAdult           int     `json:"is_adult"`
	CategoryID        string  `json:"category_id"`
	CategoryIDs       []int64 `json:"category_ids"`
	CustomSID         string  `json:"custom_sid"`
	TVArchive         int     `json:"tv_archive"`
	DirectSource      string  `json:"direct_source"`
	TVArchiveDuration int     `json:"tv_archive_duration"`
}

type vodStream struct {
	Num                int     `json:"num"`
	Name               string  `json:"name"`
	StreamType         string  `json:"stream_type"`
	StreamID           int64   `json:"stream_id"`
	StreamIcon         string  `json:"stream_icon"`
	Rating             string  `json:"rating"`
	Rating5Based       float64 `json:"rating_5based"`
	Added              string  `json:"added"`
	IsAdult            int     `json:"is_adult"`
	CategoryID         string  `json:"category_id"`
	CategoryIDs        []int64 `json:"category_ids"`
	ContainerExtension string  `json:"container_extension"`
	CustomSID          string  `json:"custom_sid"`
	DirectSource       string  `json:"direct_source"`
	Year               string  `json:"year"`
	Plot               string  `json:"plot"`
	// The metadata newer apps show in their lists (xtream-series-vod.md §3).
	Title          string `json:"title"`
	TMDBID         string `json:"tmdb_id"`
	Cast           string `json:"cast"`
	Director       string `json:"director"`
	Genre          string `json:"genre"`
	ReleaseDate    string `json:"release_date"`
	YoutubeTrailer string `json:"youtube_trailer"`
	EpisodeRunTime string `json:"episode_run_time"`
}

type epgListings struct {
	EPGListings []epgListing `json:"epg_listings"`
}

type epgListing struct {
	ID             string `json:"id"`
	EPGID          string `json:"epg_id"`
	Title          string `json:"title"` // base64
	Lang           string `json:"lang"`
	Start          string `json:"start"`
	End            string `json:"end"`
	Description    string `json:"description"` // base64
	ChannelID      string `json:"channel_id"`
	StartTimestamp string `json:"start_timestamp"`
	StopTimestamp  string `json:"stop_timestamp"`
	StreamID       string `json:"stream_id"`
	NowPlaying     *int   `json:"now_playing,omitempty"` // get_simple_data_table only
	HasArchive     int    `json:"has_archive"`
}
