// @ts-check
/**
 * The collector's own routes, written as any added route is (see `Route` in server.mjs):
 * POST /collect stores a batch, GET /events lists what was stored (read key), GET /health says the server is up.
 */
import { batchProblem } from './validate.mjs';
import { listEventsJson } from './db.mjs';

/** Body types the SDK sends: sendBeacon's string default (`text/plain;charset=UTF-8`), fetch's JSON, or none. */
const BODY_TYPES = /^(|text\/plain|application\/json|application\/[\w.-]+\+json)$/;

/** Most rows GET /events returns at once. */
export const MAX_LIST = 100_000;

/** @type {import('./server.mjs').Route[]} */
export const apiRoutes = [
  { method: 'POST', path: '/collect', handler: collect },
  { method: 'GET', path: '/events', read: true, handler: listEvents },
  { method: 'GET', path: '/health', handler: (req, res, ctx) => ctx.sendJson(200, { ok: true }) },
];

/** @type {import('./server.mjs').Route['handler']} */
async function collect(req, res, ctx) {
  const type = (req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
  if (!BODY_TYPES.test(type)) return ctx.sendJson(415, { error: `content-type ${type.slice(0, 80)} is not JSON or text` });
  const encoding = req.headers['content-encoding'];
  if (encoding && encoding !== 'identity') return ctx.sendJson(415, { error: 'compressed bodies are not accepted' });
  const text = await ctx.readBody();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return ctx.sendJson(400, { error: 'body is not valid JSON' });
  }
  const problem = batchProblem(body);
  if (problem) return ctx.sendJson(400, { error: problem });
  // Answered only after the transaction committed: a 200 means every event of the batch is on disk (WAL).
  const { stored, duplicates } = await ctx.insert(body.site, body.events);
  ctx.log(`POST /collect ${body.events.length} events: ${stored} stored, ${duplicates} duplicates`);
  ctx.sendJson(200, { ok: true, stored, duplicates });
}

/** @type {import('./server.mjs').Route['handler']} */
function listEvents(req, res, ctx) {
  const query = ctx.url.searchParams;
  const limitText = query.get('limit') ?? '10000';
  const limit = /^\d{1,6}$/.test(limitText) ? Number(limitText) : 0;
  if (limit < 1 || limit > MAX_LIST) return ctx.sendJson(400, { error: `limit must be an integer of 1..${MAX_LIST}` });
  const param = (/** @type {string} */ name) => query.get(name) ?? undefined;
  ctx.sendJson(200, listEventsJson(ctx.db, { site: param('site'), type: param('type'), session: param('session'), limit }));
}
