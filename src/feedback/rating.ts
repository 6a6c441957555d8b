/** Ratings from the shopper: what `feedback(score, { question, comment })` accepts and sends. */
import type { Log } from '../lib/log';

/** The event a rating becomes. */
export const FEEDBACK_EVENT = 'feedback_given';
/** A question's name: lower-case letters, digits, `_` and `-`, 1 to 32 of them (`checkout`, `delivery`, `product`, `support`). */
export const QUESTION = /^[a-z][a-z0-9_-]{0,31}$/;
/** Characters of a comment kept (when comments are allowed at all); it is redacted like every other string. */
export const MAX_COMMENT = 500;

/** What `feedback()` takes besides the score. */
export interface FeedbackOptions {
  /** What is rated, a short name: `checkout`, `delivery`, `product`, `support`, … */
  question: string;
  /** Free text, kept only with the `feedbackComments` option (off by default), then redacted. */
  comment?: string;
}

/**
 * The `feedback_given` properties `{ score, question, comment? }` for a valid rating (an integer score 1–5, a
 * question name matching `QUESTION`), else undefined after one diagnostic. The comment is dropped unless
 * `comments` allows it.
 */
export const rating = (score: unknown, options: FeedbackOptions | undefined, log: Log, comments?: boolean) => {
  const question = options?.question;
  if (![1, 2, 3, 4, 5].includes(score as number) || typeof question != 'string' || !QUESTION.test(question))
    return log('feedback: needs a score 1 to 5 and a question such as "checkout"; ignored');
  const comment = options!.comment;
  return { score: score as number, question, ...(comments && typeof comment == 'string' && comment.trim() && { comment: comment.trim().slice(0, MAX_COMMENT) }) };
};
