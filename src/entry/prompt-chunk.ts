/**
 * dist/parcours-prompt.min.js: the one-question prompt, loaded by parcours.min.js only at the moment it shows
 * (`data-auto` naming `prompt`, then an order completed or a checkout step left after a form error).
 */
import { showPrompt } from '../feedback/prompt';

try {
  (window as { parcours?: { _add?: Function } }).parcours?._add?.('prompt', { prompt: () => showPrompt });
} catch {}
