-- Series (series → seasons → episodes), the metadata XC apps show for movies
-- and series, series categories, and packages holding series as XC bouquets
-- do (specs/xtream-series-vod.md).

ALTER TABLE categories DROP CONSTRAINT categories_kind_check;
ALTER TABLE categories ADD CONSTRAINT categories_kind_check CHECK (kind IN ('live', 'vod', 'series'));

-- The metadata columns are the same on movies, series and episodes. Dates
-- are NULL when unknown (XC apps break on ""), backdrops are URLs in order,
-- trailer is a YouTube video id, tmdb_id digits.
ALTER TABLE vod
    ADD COLUMN original_title text NOT NULL DEFAULT '',
    ADD COLUMN cast_names     text NOT NULL DEFAULT '',
    ADD COLUMN director       text NOT NULL DEFAULT '',
    ADD COLUMN genre          text NOT NULL DEFAULT '',
    ADD COLUMN release_date   date,
    ADD COLUMN backdrop_urls  text[] NOT NULL DEFAULT '{}',
    ADD COLUMN trailer        text NOT NULL DEFAULT '',
    ADD COLUMN tmdb_id        text NOT NULL DEFAULT '' CHECK (tmdb_id ~ '^[0-9]*$');

CREATE TABLE series (
    id               bigserial PRIMARY KEY,
    title            text NOT NULL,
    category_id      bigint REFERENCES categories (id) ON DELETE SET NULL,
    cover_url        text NOT NULL DEFAULT '',
    plot             text NOT NULL DEFAULT '',
    cast_names       text NOT NULL DEFAULT '',
    director         text NOT NULL DEFAULT '',
    genre            text NOT NULL DEFAULT '',
    release_date     date,
    rating           numeric(4,2) NOT NULL DEFAULT 0,
    backdrop_urls    text[] NOT NULL DEFAULT '{}',
    trailer          text NOT NULL DEFAULT '',
    tmdb_id          text NOT NULL DEFAULT '' CHECK (tmdb_id ~ '^[0-9]*$'),
    episode_run_time integer NOT NULL DEFAULT 0 CHECK (episode_run_time >= 0), -- minutes
    enabled          boolean NOT NULL DEFAULT true,
    attributes       jsonb NOT NULL DEFAULT '{}',
    version          integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX series_title_idx ON series (lower(title) text_pattern_ops);
CREATE INDEX series_category_idx ON series (category_id);

-- Deleting a series deletes its seasons and their episodes (recorded as the
-- series' delete in the audit log).
CREATE TABLE series_seasons (
    id            bigserial PRIMARY KEY,
    series_id     bigint NOT NULL REFERENCES series (id) ON DELETE CASCADE,
    season_number integer NOT NULL CHECK (season_number >= 0), -- 0: specials
    name          text NOT NULL DEFAULT '',
    overview      text NOT NULL DEFAULT '',
    cover_url     text NOT NULL DEFAULT '',
    air_date      date,
    version       integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (series_id, season_number)
);

-- Episodes draw their ids from the movies' sequence: XC apps address both
-- by one stream id (/movie/U/P/<id>, /series/U/P/<id>), so a movie and an
-- episode never share one.
CREATE TABLE series_episodes (
    id             bigint PRIMARY KEY DEFAULT nextval('vod_id_seq'),
    season_id      bigint NOT NULL REFERENCES series_seasons (id) ON DELETE CASCADE,
    episode_num    integer NOT NULL CHECK (episode_num >= 0),
    title          text NOT NULL DEFAULT '',
    stream_name    text NOT NULL DEFAULT '',
    source_url     text NOT NULL DEFAULT '',
    container      text NOT NULL DEFAULT 'mp4',
    plot           text NOT NULL DEFAULT '',
    duration_s     integer NOT NULL DEFAULT 0 CHECK (duration_s >= 0),
    rating         numeric(4,2) NOT NULL DEFAULT 0,
    release_date   date,
    image_url      text NOT NULL DEFAULT '',
    tmdb_id        text NOT NULL DEFAULT '' CHECK (tmdb_id ~ '^[0-9]*$'),
    enabled        boolean NOT NULL DEFAULT true,
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (season_id, episode_num)
);

CREATE TABLE package_series (
    package_id bigint NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    series_id  bigint NOT NULL REFERENCES series (id) ON DELETE CASCADE,
    position   integer NOT NULL DEFAULT 0,
    PRIMARY KEY (package_id, series_id)
);
CREATE INDEX package_series_series_idx ON package_series (series_id);
