// @ts-check
/**
 * The journey page's sign-in: a form that POSTs the read key to `/sign-in`, which answers with the signed cookie
 * (auth.mjs) and sends the browser back to the map. The key travels in a POST body only, never in a URL, so it
 * reaches no log, history or Referer. `/sign-out` clears the cookie.
 */
import { createHash } from 'node:crypto';

/** Longest sign-in form body read. */
const FORM_LIMIT = 4096;

const CSS = `body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;background:#151a2d;color:#fff;display:grid;place-items:center;min-height:100vh}
form{background:#222842;padding:24px 28px;border-radius:14px;display:grid;gap:12px;width:min(360px,90vw)}
h1{font-size:20px;margin:0}p{margin:0;color:#b8c0d9;font-size:13.5px}
input{font:inherit;padding:8px 10px;border-radius:8px;border:1px solid #39415e;background:#151a2d;color:#fff}
button{font:inherit;font-weight:600;padding:8px 16px;border-radius:8px;border:0;background:#6d7ff0;color:#fff;cursor:pointer}
.bad{color:#ffb4ab}`;

/** Headers of the sign-in page: nothing but its own style, posts to this origin only, never framed or cached. */
const HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy':
    `default-src 'none'; style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'; ` +
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  // Not no-referrer: with it Chromium posts the form with `Origin: null`, which the origin check refuses.
  'Referrer-Policy': 'same-origin',
};

const esc = (/** @type {string} */ s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The sign-in page. `back` is the journey query to return to after signing in.
 * @param {import('node:http').ServerResponse} res @param {number} status @param {string} back @param {string} [problem]
 */
export function sendSignIn(res, status, back, problem = '') {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Sign in · parcours</title><style>${CSS}</style></head><body>
<form method="post" action="/sign-in"><h1>Journey map</h1><p>Enter a read key of this collector.</p>
${problem ? `<p class="bad" role="alert">${esc(problem)}</p>` : ''}<input type="password" name="key" aria-label="Read key" autocomplete="current-password" required autofocus>
<input type="hidden" name="back" value="${esc(back)}"><button>Sign in</button></form></body></html>`;
  res.writeHead(status, { ...HEADERS, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(html), 'X-Content-Type-Options': 'nosniff' });
  res.end(html);
}

/** A journey query string from a form field, re-encoded so nothing but a query can come out of it. @param {string | null} text */
const journeyQuery = (text) => {
  const query = new URLSearchParams(text ?? '').toString();
  return '/journey' + (query ? '?' + query : '');
};

/**
 * `/sign-in` and `/sign-out` for a collector's read access.
 * @param {import('./auth.mjs').ReadAccess} access
 * @returns {import('./server.mjs').Route[]}
 */
export const signInRoutes = (access) => [
  {
    method: 'POST',
    path: '/sign-in',
    handler: async (req, res, ctx) => {
      const form = new URLSearchParams(await ctx.readBody(FORM_LIMIT));
      const back = new URLSearchParams(form.get('back') ?? '').toString();
      const cookie = access.keyed ? access.signIn(form.get('key') ?? '') : undefined;
      if (!cookie) return sendSignIn(res, 401, back, access.keyed ? 'That is not a read key.' : 'This collector has no read key.');
      res.writeHead(303, { Location: journeyQuery(back), 'Set-Cookie': cookie, 'Cache-Control': 'no-store', 'Content-Length': 0 });
      res.end();
    },
  },
  {
    method: 'POST',
    path: '/sign-out',
    handler: (req, res) => {
      res.writeHead(303, { Location: '/journey', 'Set-Cookie': access.signOut(), 'Cache-Control': 'no-store', 'Content-Length': 0 });
      res.end();
    },
  },
];
