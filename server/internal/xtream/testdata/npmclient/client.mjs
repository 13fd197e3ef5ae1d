// Drives @iptv/xtream-api, a third-party Xtream Codes client, against the
// server at argv[2] with the credentials argv[3] and argv[4], and prints
// what the library made of each answer as one JSON object. A call the
// library rejects is recorded as {"error": message}, so the Go test can say
// which one failed. Usage: node client.mjs URL USERNAME PASSWORD
import { Xtream } from '@iptv/xtream-api';
import { standardizedSerializer } from '@iptv/xtream-api/standardized';

const [url, username, password] = process.argv.slice(2);
const xc = new Xtream({ url, username, password, serializer: standardizedSerializer });
const out = {};

async function step(name, fn) {
  try {
    out[name] = await fn();
  } catch (e) {
    out[name] = { error: String(e?.message ?? e) };
  }
}

// fetchURL asks for a URL the library built, without following redirects.
async function fetchURL(u) {
  const res = await fetch(u, { redirect: 'manual' });
  return { url: u, status: res.status, location: res.headers.get('location') };
}

await step('profile', () => xc.getProfile());
await step('serverInfo', () => xc.getServerInfo());
await step('channelCategories', () => xc.getChannelCategories());
await step('movieCategories', () => xc.getMovieCategories());
await step('channels', () => xc.getChannels());
await step('channelsInCategory', () => xc.getChannels({ categoryId: 2 }));
await step('channelsPage', () => xc.getChannels({ page: 2, limit: 2 }));
await step('movies', () => xc.getMovies());
await step('movie', () => xc.getMovie({ movieId: 1 }));
await step('missingMovie', () => xc.getMovie({ movieId: 99 }));
await step('shortEPG', () => xc.getShortEPG({ channelId: 1, limit: 2 }));
await step('fullEPG', () => xc.getFullEPG({ channelId: 1 }));
await step('showCategories', () => xc.getShowCategories());
await step('shows', () => xc.getShows());
await step('showsInCategory', () => xc.getShows({ categoryId: 21 }));
await step('show', () => xc.getShow({ showId: 301 }));
await step('missingShow', () => xc.getShow({ showId: 999 }));

// Play URLs exactly as the library builds them.
await step('playLive', () => fetchURL(xc.generateStreamUrl({ type: 'channel', streamId: 1, extension: 'ts' })));
await step('playMovie', async () => {
  const [m] = await xc.getMovies();
  return fetchURL(m.url);
});
await step('playEpisode', () => fetchURL(xc.generateStreamUrl({ type: 'episode', streamId: 7001, extension: 'mp4' })));
await step('playCatchup', () => fetchURL(xc.generateStreamUrl({ type: 'channel', streamId: 1, extension: 'ts',
  timeshift: { start: new Date(Date.UTC(2025, 2, 1, 10, 0)), duration: 60 } })));
await step('playCatchupTooOld', () => fetchURL(xc.generateStreamUrl({ type: 'channel', streamId: 1, extension: 'ts',
  timeshift: { start: new Date(Date.UTC(2025, 0, 1, 10, 0)), duration: 60 } })));

const bad = new Xtream({ url, username, password: 'wrong', serializer: standardizedSerializer });
await step('badLogin', () => bad.getProfile());

process.stdout.write(JSON.stringify(out));
