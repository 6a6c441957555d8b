/**
 * Ratings from links in the shop's emails: one link per star to any shop page, with `?parcours_rating=4&parcours_q=delivery`.
 */
import type { Part } from '../tracker';
import { FEEDBACK_EVENT, rating } from './rating';

/** The two query parameters of a rating link. */
export const RATING_PARAM = 'parcours_rating';
export const QUESTION_PARAM = 'parcours_q';

const OURS = /^parcours_(rating|q)=/;

/**
 * On a page opened from a rating link: removes the two parameters from the address bar (`history.replaceState`,
 * other parameters and the fragment kept as they were spelled), then records `feedback_given`
 * `{ score, question, via: 'email' }` on the `email` touchpoint, once per tab for a rating, question and path (a
 * link opened again, or a page restored with its old address, is not counted twice). An invalid rating is ignored
 * with one diagnostic.
 */
export const ratingLinks = (): Part => (api) => {
  const params = new URLSearchParams(location.search);
  const score = params.get(RATING_PARAM);
  if (score == null) return;
  const rest = location.search.slice(1).split('&').filter((p) => !OURS.test(p)).join('&');
  // Before anything is recorded: page views and a reload see the clean address.
  history.replaceState(history.state, '', location.pathname + (rest && '?' + rest) + location.hash);
  const props = rating(+score, { question: params.get(QUESTION_PARAM) || '' }, api.log);
  const key = 'parcours:rated:' + score + ':' + props?.question + ':' + location.pathname;
  if (!props || api.session.get(key)) return;
  api.session.set(key, '1');
  api.track(FEEDBACK_EVENT, { ...props, via: 'email', touchpoint: 'email' });
};
