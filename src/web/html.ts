/** Server-side HTML: escaping and the page frame shared by every page (no JavaScript needed to use them). */

/** Escapes text for HTML content and attribute values. @example esc('<b>') // '&lt;b&gt;' */
export const esc = (v: unknown): string =>
  String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface PageMeta {
  title: string;
  description?: string;
  /** Absolute URL of the page (og:url). */
  url?: string;
  /** Absolute URL of the preview picture (og:image). */
  image?: string;
  /** Who is logged in, for the header. */
  user?: { name: string } | null;
  /** Where "Log in" returns to. */
  loginNext?: string;
  /** Extra scripts (paths under /static/). */
  scripts?: string[];
}

/** A whole page: head with Open Graph tags, header with login state, the body, and the scripts. */
export function page(meta: PageMeta, body: string): string {
  const og = [
    `<meta property="og:type" content="music.song">`,
    `<meta property="og:title" content="${esc(meta.title)}">`,
    meta.description ? `<meta property="og:description" content="${esc(meta.description)}">` : '',
    meta.url ? `<meta property="og:url" content="${esc(meta.url)}">` : '',
    meta.image ? `<meta property="og:image" content="${esc(meta.image)}">\n<meta property="og:image:width" content="1200">\n<meta property="og:image:height" content="500">\n<meta name="twitter:card" content="summary_large_image">` : '',
    `<meta property="og:site_name" content="Mixtape">`,
  ].filter(Boolean).join('\n');
  const who = meta.user
    ? `<span>Logged in as <strong>${esc(meta.user.name)}</strong></span> <form method="post" action="/logout" class="inline"><button type="submit">Log out</button></form>`
    : `<a class="button" href="/login?next=${encodeURIComponent(meta.loginNext ?? '/')}">Log in with Discord</a>`;
  const scripts = [...(meta.scripts ?? []), '/static/app.js'].map((s) => `<script src="${esc(s)}" defer></script>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(meta.title)} · Mixtape</title>
${meta.description ? `<meta name="description" content="${esc(meta.description)}">` : ''}
${og}
<link rel="stylesheet" href="/static/style.css">
${scripts}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><a href="/" class="brand">♪ Mixtape</a><nav aria-label="Account">${who}</nav></header>
<main id="main">
${body}
</main>
<footer>Music composed by LSTM networks · <a href="/">Mixtape</a></footer>
</body>
</html>
`;
}

/** A short page for errors and refusals (status set by the caller). */
export function messagePage(title: string, text: string, meta: Partial<PageMeta> = {}, action = ''): string {
  return page({ ...meta, title }, `<h1>${esc(title)}</h1>\n<p>${esc(text)}</p>\n${action}`);
}

/** "3 minutes ago"-free date: the day, readable everywhere. @example day(new Date(0)) // '1970-01-01' */
export const day = (d: Date): string => d.toISOString().slice(0, 10);
