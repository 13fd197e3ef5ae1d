#!/bin/sh
# Regenerates the simulator's test media: three 2-second MPEG-TS segments
# of H.264 (320x180 test pattern) and AAC (a 440 Hz tone), about 120 KB in
# all, which the simulator loops as every live, catch-up and MPEG-TS answer.
# Run through `go generate ./server/internal/flussonic/simulator/`.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ffmpeg -hide_banner -loglevel error -y \
	-f lavfi -i testsrc=size=320x180:rate=25 \
	-f lavfi -i sine=frequency=440:sample_rate=44100 -t 6 \
	-c:v libx264 -profile:v baseline -preset veryfast -pix_fmt yuv420p \
	-g 50 -keyint_min 50 -sc_threshold 0 -b:v 120k -maxrate 150k -bufsize 300k \
	-c:a aac -b:a 48k -ac 1 \
	-f hls -hls_time 2 -hls_list_size 0 -hls_flags independent_segments \
	-hls_segment_filename 'seg%d.ts' "$tmp/index.m3u8"
# The file every movie and episode of a VOD location plays: six seconds of
# another test pattern and tone, MP4 with the index first (progressive play).
ffmpeg -hide_banner -loglevel error -y \
	-f lavfi -i testsrc2=size=320x180:rate=25 \
	-f lavfi -i sine=frequency=660:sample_rate=44100 -t 6 \
	-c:v libx264 -profile:v baseline -preset veryfast -pix_fmt yuv420p \
	-g 50 -b:v 80k -maxrate 100k -bufsize 200k -c:a aac -b:a 48k -ac 1 \
	-movflags +faststart movie.mp4
