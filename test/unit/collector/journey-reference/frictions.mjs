// @ts-check
/**
 * THE ORACLE of the figures added after the per-session tables (issue 17), for journey-rollup.test.ts: the sessions
 * with each friction and their orders, the sessions and orders per stage reached, and the answers per question,
 * computed in SQL straight from the stored events, with the sessions of a filter taken from this folder's
 * per-session tables (schema.mjs). Nothing here is shared with the collector's fold.
 */
import { sessionsOf } from './queries.mjs';
import { refreshJourney } from './schema.mjs';
import { BIT, FUNNEL, STAGES, VITALS } from '../../../../examples/collector/journey/vocabulary.mjs';

/** @typedef {import('../../../../examples/collector/db.mjs').DB} DB */

/**
 * @param {DB} db
 * @param {import('./queries.mjs').JourneyFilter} filter
 * @returns {{ frictions: Record<string, number[]>, stages: Record<string, { sessions: number, orders: number }>, questions: Record<string, number[]> }}
 */
export function referenceFrictions(db, filter = {}) {
  refreshJourney(db);
  const { where, params } = sessionsOf(filter);
  const cte = `WITH s AS (SELECT s.*, (s.steps & ${BIT.order}) > 0 AS ordered FROM journey_sessions s WHERE ${where.join(' AND ')})`;
  const all = (/** @type {string} */ sql) => /** @type {any[]} */ (db.prepare(cte + ' ' + sql).all(params));

  /** @type {Record<string, number[]>} */
  const frictions = {};
  const perSession = all(`SELECT kind, place, subject, count(*) AS sessions, sum(ordered) AS orders, sum(n) AS events FROM (
      SELECT CASE e.type WHEN 'form_error' THEN 'field_errors' WHEN 'dead_click' THEN 'dead_clicks' ELSE 'js_errors' END AS kind,
             CASE WHEN e.page_type = 'checkout' OR e.touchpoint IN ('checkout', 'payment') THEN 'checkout' ELSE coalesce(e.stage, '') END AS place,
             substr(CAST(json_extract(e.properties, CASE e.type WHEN 'form_error' THEN '$.field' WHEN 'dead_click' THEN '$.selector' ELSE '$.message' END) AS TEXT), 1, 100) AS subject,
             s.ordered, count(*) AS n
      FROM events e JOIN s ON s.site = coalesce(e.site, '') AND s.session_id = e.session_id
      WHERE e.type IN ('form_error', 'dead_click') OR (e.type = 'js_error' AND (e.page_type = 'checkout' OR e.touchpoint IN ('checkout', 'payment')))
      GROUP BY 1, 2, 3, s.site, s.session_id)
    WHERE subject IS NOT NULL AND subject != '' GROUP BY 1, 2, 3`);
  const speed = all(`SELECT CASE WHEN worst > ${VITALS.LCP.good} THEN 'slow_lcp' ELSE 'fast_lcp' END AS kind, '' AS place, page_type AS subject,
      count(*) AS sessions, sum(ordered) AS orders, sum(n) AS events FROM (
      SELECT v.page_type, max(v.value) AS worst, count(*) AS n, s.ordered
      FROM journey_vitals v JOIN s ON s.site = v.site AND s.session_id = v.session_id
      WHERE v.name = 'LCP' GROUP BY s.site, s.session_id, v.page_type)
    GROUP BY 1, 3`);
  for (const r of [...perSession, ...speed]) frictions[[r.kind, r.place, r.subject].join('\t')] = [r.sessions, r.orders, r.events];

  const reached = all(`SELECT ${STAGES.map((st) => `coalesce(sum(t_${st} IS NOT NULL), 0) AS ${st}, coalesce(sum(t_${st} IS NOT NULL AND ordered), 0) AS ${st}_orders`).join(', ')} FROM s`)[0];
  const started = 1 << FUNNEL.findIndex((f) => f.key == 'checkout_started');
  const checkout = all(`SELECT coalesce(sum(steps >= ${started}), 0) AS sessions, coalesce(sum(ordered), 0) AS orders FROM s`)[0];
  const stages = { ...Object.fromEntries(STAGES.map((st) => [st, { sessions: reached[st], orders: reached[st + '_orders'] }])), checkout };

  /** @type {Record<string, number[]>} */
  const questions = {};
  const answers = all(`SELECT question,
      ${[1, 2, 3, 4, 5].map((k) => `coalesce(sum(valid AND score = ${k}), 0) AS s${k}`).join(', ')},
      coalesce(sum(type = 'prompt_shown'), 0) AS shown, coalesce(sum(valid AND type = 'feedback_given' AND via IS 'prompt'), 0) AS prompted,
      coalesce(sum(type = 'prompt_dismissed'), 0) AS dismissed
    FROM (SELECT e.type,
             CASE WHEN e.type = 'review_submitted' THEN 'product' ELSE substr(CAST(json_extract(e.properties, '$.question') AS TEXT), 1, 32) END AS question,
             CASE e.type WHEN 'feedback_given' THEN json_extract(e.properties, '$.score') WHEN 'review_submitted' THEN json_extract(e.properties, '$.rating') END AS score,
             json_extract(e.properties, '$.via') AS via,
             typeof(CASE e.type WHEN 'feedback_given' THEN json_extract(e.properties, '$.score') WHEN 'review_submitted' THEN json_extract(e.properties, '$.rating') END) = 'integer'
               AND CASE e.type WHEN 'feedback_given' THEN json_extract(e.properties, '$.score') ELSE json_extract(e.properties, '$.rating') END BETWEEN 1 AND 5 AS valid
          FROM events e JOIN s ON s.site = coalesce(e.site, '') AND s.session_id = e.session_id
          WHERE e.type IN ('feedback_given', 'review_submitted', 'prompt_shown', 'prompt_dismissed'))
    WHERE question IS NOT NULL GROUP BY question`);
  for (const r of answers) questions[r.question] = [r.s1, r.s2, r.s3, r.s4, r.s5, r.shown, r.prompted, r.dismissed];
  return { frictions, stages, questions };
}
