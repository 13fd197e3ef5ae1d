// Parses the M3U playlist on standard input with iptv-playlist-parser
// (iptv-org, npm), a playlist reader written outside this project, and
// prints what it understood as JSON for xtream's Go tests.
import parser from 'iptv-playlist-parser';

let text = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) text += chunk;
const result = parser.parse(text);
process.stdout.write(JSON.stringify({
  header: result.header.attrs,
  items: result.items.map((i) => ({
    name: i.name, tvgID: i.tvg.id, tvgName: i.tvg.name, logo: i.tvg.logo, group: i.group.title, url: i.url,
  })),
}));
