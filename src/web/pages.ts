/** The pages: a server's mixtape, a track, a member's profile. Pure functions from data to HTML. */
import type { LeaderboardEntry, ModelRecord, TrackRecord, TrackSummary, UserProfile, VoteTally } from '../storage/types.ts';
import { day, esc, page } from './html.ts';

export type Period = 'week' | 'month' | 'all';
export const PERIOD_LABELS: Record<Period, string> = { week: 'This week', month: 'This month', all: 'All time' };

interface Viewer {
  user: { name: string } | null;
  /** The viewer may vote here (logged in and a member of the track's server). */
  canVote?: boolean;
}

const scoreText = (score: number) => `${score > 0 ? '+' : ''}${score}`;

/** A vote form (works without JavaScript; app.js sends it in the background). */
function voteForms(trackId: string, t: VoteTally, canVote: boolean, back: string): string {
  const counts = `<span class="votes" data-votes="${esc(trackId)}" aria-label="Score ${esc(scoreText(t.score))}, ${t.up} up, ${t.down} down">${esc(scoreText(t.score))} <span aria-hidden="true">(▲ ${t.up} · ▼ ${t.down})</span></span>`;
  if (!canVote) return counts;
  const form = (value: number, label: string, text: string) =>
    `<form method="post" action="/t/${esc(trackId)}/vote" class="inline vote"><input type="hidden" name="value" value="${value}"><input type="hidden" name="back" value="${esc(back)}"><button type="submit" aria-label="${esc(label)}">${text}</button></form>`;
  return `${counts} ${form(1, 'Vote up', '▲ Up')}${form(-1, 'Vote down', '▼ Down')}`;
}

const player = (trackId: string, title: string, preload: 'none' | 'metadata') =>
  `<audio controls preload="${preload}" aria-label="Play ${esc(title)}" data-track="${esc(trackId)}"><source src="/t/${esc(trackId)}/audio.ogg" type="audio/ogg"><source src="/t/${esc(trackId)}/audio.mp3" type="audio/mpeg"><a href="/t/${esc(trackId)}/audio.mp3">Download the audio</a></audio>`;

/** A server's mixtape: period and genre filters, the ranked list with players, and "play all". */
export function mixtapePage(o: Viewer & {
  guildId: string;
  period: Period;
  genre?: string;
  genres: string[];
  entries: LeaderboardEntry[];
  names: Map<string, string>;
  url: string;
}): string {
  const base = `/g/${o.guildId}`;
  const q = (period: Period, genre?: string) => `${base}?period=${period}${genre ? `&genre=${encodeURIComponent(genre)}` : ''}`;
  const tabs = (Object.keys(PERIOD_LABELS) as Period[])
    .map((p) => `<a href="${esc(q(p, o.genre))}"${p === o.period ? ' aria-current="page" class="current"' : ''}>${PERIOD_LABELS[p]}</a>`)
    .join(' ');
  const genreOptions = ['', ...o.genres].map((g) => `<option value="${esc(g)}"${g === (o.genre ?? '') ? ' selected' : ''}>${g ? esc(g) : 'All genres'}</option>`).join('');
  const rows = o.entries
    .map((e) => `<li class="entry" data-track="${esc(e.trackId)}">
<span class="rank" aria-label="Rank ${e.rank}">${e.rank}</span>
<div class="what"><a class="title" href="/t/${esc(e.trackId)}">${esc(e.title)}</a>
<span class="meta">by <a href="/u/${esc(o.guildId)}/${esc(e.authorId)}">${esc(o.names.get(e.authorId) ?? 'a member')}</a> · ${esc(e.genre)} · ${day(e.createdAt)}</span>
${player(e.trackId, e.title, 'none')}</div>
<span class="score">${voteForms(e.trackId, { up: e.up, down: e.down, score: e.score }, Boolean(o.canVote), q(o.period, o.genre))}</span>
</li>`)
    .join('\n');
  const body = `<h1>The mixtape</h1>
<nav class="tabs" aria-label="Period">${tabs}</nav>
<form method="get" action="${esc(base)}" class="filters"><input type="hidden" name="period" value="${o.period}">
<label for="genre">Genre</label> <select id="genre" name="genre">${genreOptions}</select> <button type="submit">Show</button></form>
${o.entries.length ? `<p><button type="button" id="play-all" class="primary">▶ Play all</button> <span id="now-playing" aria-live="polite"></span></p>
<ol class="board" id="board">\n${rows}\n</ol>` : `<p class="empty">No votes ${o.period === 'all' ? 'yet' : PERIOD_LABELS[o.period].toLowerCase()}${o.genre ? ` for ${esc(o.genre)}` : ''}. Vote with 👍 under the pieces you like in Discord${o.canVote ? ' or here' : ''}.</p>`}`;
  return page({ title: `Mixtape · ${PERIOD_LABELS[o.period]}`, description: 'The best-voted pieces of this server', url: o.url, user: o.user, loginNext: q(o.period, o.genre) }, body);
}

/** A track: player, piano roll, notation, downloads, how to reproduce it, its parent and votes. */
export function trackPage(o: Viewer & {
  track: TrackRecord;
  tally: VoteTally;
  authorName: string;
  parent: { id: string; title: string } | null;
  abc: string;
  url: string;
  imageUrl: string;
  /** Guild pages are visible to the viewer (link to the mixtape and profile). */
  guildVisible: boolean;
}): string {
  const t = o.track;
  const id = esc(t.id);
  const duration = typeof t.params.durationSeconds === 'number' ? ` · ${Math.round(t.params.durationSeconds)} s` : '';
  const author = o.guildVisible ? `<a href="/u/${esc(t.guildId)}/${esc(t.authorId)}">${esc(o.authorName)}</a>` : esc(o.authorName);
  const settings: [string, string][] = [
    ['Genre', t.genre], ['Bars', String(t.bars)], ['Tempo', `${Math.round(t.tempo)} bpm`], ['Seed', String(t.seed)],
    ['Temperature', t.temperature.toFixed(2)], ['Instrument', t.instrument],
    ...(typeof t.params.topP === 'number' ? [['Top-p', String(t.params.topP)] as [string, string]] : []),
    ...(t.modelId ? [['Model', 'a personal model'] as [string, string]] : []),
  ];
  const reproduce = `npx mixtape compose --genre ${t.genre} --bars ${t.bars} --seed ${t.seed} --temperature ${t.temperature} --tempo ${Math.round(t.tempo)}`;
  const body = `<article class="track">
<h1>${esc(t.title)}</h1>
<p class="meta">by ${author} · ${esc(t.genre)} · ${day(t.createdAt)}${duration}</p>
${o.parent ? `<p>${t.params.continued ? 'Extends' : 'A variation of'} <a href="/t/${esc(o.parent.id)}" rel="up">${esc(o.parent.title)}</a></p>` : ''}
<section aria-labelledby="listen"><h2 id="listen">Listen</h2>
${player(t.id, t.title, 'metadata')}
<p class="score">Score: ${voteForms(t.id, o.tally, Boolean(o.canVote), `/t/${t.id}`)}${!o.user ? ` · <a href="/login?next=${encodeURIComponent(`/t/${t.id}`)}">Log in</a> to vote` : ''}</p></section>
<section aria-labelledby="roll"><h2 id="roll">Piano roll</h2>
<img class="roll" src="/t/${id}/roll.png" width="1200" height="500" alt="Piano roll of ${esc(t.title)}: notes by pitch over time, with bar numbers"></section>
<section aria-labelledby="notation-h"><h2 id="notation-h">Notation</h2>
<div id="notation" class="notation" role="img" aria-label="Staff notation of ${esc(t.title)}"></div>
<details><summary>ABC text</summary><pre id="abc-text">${esc(o.abc)}</pre></details></section>
<section aria-labelledby="dl"><h2 id="dl">Download</h2>
<ul class="downloads">
<li><a href="/t/${id}/track.mid" download>MIDI</a></li><li><a href="/t/${id}/audio.ogg" download>Ogg</a></li><li><a href="/t/${id}/audio.mp3" download>MP3</a></li>
<li><a href="/t/${id}/track.abc" download>ABC</a></li><li><a href="/t/${id}/track.musicxml" download>MusicXML</a></li></ul></section>
<section aria-labelledby="how"><h2 id="how">Settings</h2>
<dl class="settings">${settings.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>
<p>Reproduce it: <code>${esc(reproduce)}</code></p></section>
${o.guildVisible ? `<p><a href="/g/${esc(t.guildId)}">← The server's mixtape</a></p>` : ''}
</article>`;
  return page(
    {
      title: t.title,
      description: `${t.genre} · ${t.bars} bars · ${Math.round(t.tempo)} bpm — composed by Mixtape for ${o.authorName}`,
      url: o.url,
      image: o.imageUrl,
      user: o.user,
      loginNext: `/t/${t.id}`,
      scripts: ['/static/abcjs-basic-min.js'],
    },
    body,
  );
}

/** A member's profile in a server: numbers, recent tracks and shared models. */
export function profilePage(o: Viewer & {
  guildId: string;
  name: string;
  profile: UserProfile;
  tracks: TrackSummary[];
  models: ModelRecord[];
  url: string;
}): string {
  const tracks = o.tracks.length
    ? `<ul class="tracks">${o.tracks.map((t) => `<li><a href="/t/${esc(t.id)}">${esc(t.title)}</a> · ${esc(t.genre)} · ${day(t.createdAt)} · ${esc(scoreText(t.score))}</li>`).join('')}</ul>`
    : '<p class="empty">No pieces yet.</p>';
  const models = o.models.length
    ? `<ul class="models">${o.models.map((m) => `<li><strong>${esc(m.name)}</strong> · ${esc(m.kind)} from ${esc(m.baseGenre)} · ${day(m.createdAt)}</li>`).join('')}</ul>`
    : '<p class="empty">No shared models.</p>';
  const body = `<h1>${esc(o.name)}</h1>
<p class="stats"><strong>${o.profile.tracks}</strong> pieces · <strong>${o.profile.votesReceived.up}</strong> 👍 and <strong>${o.profile.votesReceived.down}</strong> 👎 from others · <strong>${o.profile.models}</strong> models</p>
<h2>Recent pieces</h2>${tracks}
<h2>Models shared with the server</h2>${models}
<p><a href="/g/${esc(o.guildId)}">← The server's mixtape</a></p>`;
  return page({ title: `${o.name} on Mixtape`, description: `${o.profile.tracks} pieces composed with Mixtape`, url: o.url, user: o.user, loginNext: new URL(o.url).pathname }, body);
}

/** The home page: what this is and how to reach a server's mixtape. */
export function homePage(o: Viewer): string {
  return page({ title: 'Mixtape', description: 'Music composed by LSTM networks, voted by your server', user: o.user }, `<h1>Mixtape</h1>
<p>Pieces composed by LSTM networks in Discord, ranked by your server's votes. Open a track link to listen, read its notation and download it.</p>
<p>To open your server's mixtape here, type <code>/mixtape top</code> in the server and click the leaderboard's title${o.user ? '' : ', then log in with Discord'}.</p>`);
}
