/**
 * dist/parcours-prompt.min.js: the one-question prompt, loaded by parcours.min.js only at the moment it shows
 * (`data-auto` naming `prompt`, then an order completed or a checkout step left after a form error).
 */
import type { PartApi } from '../tracker';
import { showPrompt } from '../feedback/prompt';

try {
  // The words, from the tag's data-prompt-question, -scores (five, separated by |), -thanks and -close.
  const tag = document.querySelector('script[data-endpoint][src*="parcours"]');
  const attr = (name: string) => tag?.getAttribute('data-prompt-' + name) || undefined;
  const words = { question: attr('question'), scores: attr('scores')?.split('|'), thanks: attr('thanks'), close: attr('close') };
  (window as { parcours?: { _add?: Function } }).parcours?._add?.('prompt', { prompt: () => (api: PartApi) => showPrompt(api, words) });
} catch {}
