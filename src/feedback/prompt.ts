/**
 * The optional one-question prompt ("How was your checkout?", 1 to 5): a small fixed panel in a corner, so the page
 * does not move. Keyboard and screen-reader accessible: a non-modal dialog named by its question, focused when it
 * opens, Tab through five labelled buttons and a close button, Esc closes; focus goes back where it was. Themable
 * with CSS custom properties on the page (see README "Satisfaction"). Opt-in: `prompt()` for npm,
 * `data-auto="all prompt"` for the script tag, which loads this code only when the prompt shows.
 */
import type { Part, PartApi } from '../tracker';
import { guard } from '../lib/guard';
import { FEEDBACK_EVENT } from './rating';
import { promptTrigger } from './promptTrigger';

/** The prompt's words, for a shop in another language (the script tag's `data-prompt-*` attributes). */
export interface PromptText {
  /** The question, also the dialog's accessible name. Default "How was your checkout?". */
  question?: string;
  /** The five scores in words, worst first; a button's accessible name is "3: okay". */
  scores?: string[];
  /** Shown (and read out) after an answer. Default "Thank you!". */
  thanks?: string;
  /** The close button's accessible name. Default "Close". */
  close?: string;
}

/** The words of each score, in order, by default. */
export const SCORE_WORDS = ['very poor', 'poor', 'okay', 'good', 'excellent'];
/**
 * Sent when the prompt shows and when it is closed unanswered (× or Esc), `{ question }`: with the answers they give
 * the map its response rate. A shopper who leaves the page with the prompt open sends neither a dismissal nor an answer.
 */
export const PROMPT_SHOWN = 'prompt_shown';
export const PROMPT_DISMISSED = 'prompt_dismissed';
/** The thanks stays up this long after an answer, then the panel goes. */
export const THANKS_MS = 3000;

const v = (name: string, fallback: string) => `var(--parcours-prompt-${name},${fallback})`;

/**
 * Shows the prompt now and tracks `prompt_shown`; the answer is tracked as `feedback_given` `{ score, question:
 * 'checkout', via: 'prompt' }`, a close without answer as `prompt_dismissed`.
 */
export const showPrompt = (api: PartApi, words: PromptText = {}) => {
  const question = 'checkout';
  const scores = words.scores?.length == 5 ? words.scores : SCORE_WORDS;
  const make = <K extends keyof HTMLElementTagNameMap>(tag: K, parent: Node, style: Partial<CSSStyleDeclaration> = {}, content = '') => {
    const el = document.createElement(tag);
    Object.assign(el.style, style); // CSSOM, not a style attribute: allowed under a strict Content-Security-Policy
    el.textContent = content;
    parent.appendChild(el);
    return el;
  };
  const before = document.activeElement as HTMLElement | null;
  const host = make('div', document.body, { position: 'fixed', right: '16px', bottom: '16px', zIndex: '2147483000', maxWidth: 'calc(100vw - 32px)' });
  host.setAttribute('data-parcours-prompt', '');
  // A shadow root keeps the theme's button and paragraph styles out; custom properties still come in.
  const root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
  const box = make('div', root, {
    background: v('bg', '#fff'),
    color: v('fg', '#1d1d1f'),
    font: v('font', '15px/1.4 system-ui,sans-serif'),
    border: v('border', '1px solid #d0d0d5'),
    borderRadius: v('radius', '10px'),
    boxShadow: v('shadow', '0 4px 24px rgba(0,0,0,.15)'),
    padding: '16px',
    outlineOffset: '2px',
  });
  box.setAttribute('role', 'dialog');
  box.setAttribute('aria-labelledby', 'q');
  box.tabIndex = -1;
  const title = make('p', box, { margin: '0 32px 12px 0', fontWeight: '600' }, words.question || 'How was your checkout?');
  title.id = 'q';
  const row = make('div', box, { display: 'flex', gap: '8px' });
  row.setAttribute('role', 'group');
  row.setAttribute('aria-label', `1 (${scores[0]}) – 5 (${scores[4]})`);
  const status = make('p', box, { margin: '0' });
  status.setAttribute('role', 'status');
  const close = guard((answered?: boolean) => {
    removeEventListener('keydown', onKey, true);
    if (!answered) api.track(PROMPT_DISMISSED, { question });
    if (answered) setTimeout(() => host.remove(), THANKS_MS);
    else host.remove();
    if (before?.isConnected) before.focus();
  }, api.log);
  // Esc closes it while focus is in it or nowhere in particular, not when the shopper is in the page's own dialog.
  const onKey = guard((e: KeyboardEvent) => e.key == 'Escape' && host.isConnected && [host, document.body].includes(document.activeElement as HTMLElement) && close(), api.log);
  scores.forEach((word, i) => {
    const b = make('button', row, {
      minWidth: '44px',
      minHeight: '44px', // WCAG 2.5.5 target size
      font: 'inherit',
      cursor: 'pointer',
      color: v('accent-fg', '#fff'),
      background: v('accent', '#1d1d1f'),
      border: '0',
      borderRadius: v('radius', '10px'),
    }, String(i + 1));
    b.type = 'button';
    b.setAttribute('aria-label', i + 1 + ': ' + word);
    b.onclick = guard(() => {
      api.track(FEEDBACK_EVENT, { score: i + 1, question, via: 'prompt' });
      row.remove();
      x.remove();
      status.textContent = words.thanks || 'Thank you!';
      close(true);
    }, api.log);
  });
  const x = make('button', box, { position: 'absolute', top: '8px', right: '8px', minWidth: '32px', minHeight: '32px', font: 'inherit', color: 'inherit', background: 'none', border: '0', cursor: 'pointer' }, '×');
  x.type = 'button';
  x.setAttribute('aria-label', words.close || 'Close');
  x.onclick = () => close();
  box.style.position = 'relative';
  addEventListener('keydown', onKey, true);
  box.focus({ preventScroll: true });
  api.track(PROMPT_SHOWN, { question });
};

/**
 * The prompt as one part (npm): shown once per tab session on the order confirmation, or after a checkout step
 * was left following a form error. Never part of `signals()` or the script tag's default parts.
 */
export const prompt = (words?: PromptText): Part => promptTrigger((api) => setTimeout(guard(() => showPrompt(api, words), api.log), 0));
