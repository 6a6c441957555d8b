import { beforeEach, describe, expect, it, vi } from 'vitest';
import { showPrompt, prompt } from '../../../src/feedback/prompt';
import { fakeTracker } from '../support/fakeTracker';

const shadow = () => document.querySelector('[data-parcours-prompt]')?.shadowRoot;
const buttons = () => [...(shadow()?.querySelectorAll('button') || [])];

beforeEach(() => {
  document.body.innerHTML = '<a id="page-link" href="#">a link of the page</a>';
  sessionStorage.clear();
});

describe('the prompt', () => {
  it('is a dialog named by its question, with five labelled scores and a close button, focused when it opens', () => {
    const link = document.getElementById('page-link')!;
    link.focus();
    showPrompt(fakeTracker().api);
    const dialog = shadow()!.querySelector('[role=dialog]')!;
    expect(shadow()!.getElementById(dialog.getAttribute('aria-labelledby')!)!.textContent).toBe('How was your checkout?');
    expect(buttons().map((b) => b.getAttribute('aria-label'))).toEqual(['1: very poor', '2: poor', '3: okay', '4: good', '5: excellent', 'Close']);
    expect(shadow()!.activeElement).toBe(dialog);
  });

  it('sends the score clicked, thanks, and gives focus back', () => {
    const t = fakeTracker();
    const link = document.getElementById('page-link')!;
    link.focus();
    showPrompt(t.api);
    buttons()[2].click();
    expect(t.of('feedback_given')).toEqual([{ score: 3, question: 'checkout', via: 'prompt' }]);
    expect(t.of('prompt_shown')).toEqual([{ question: 'checkout' }]);
    expect(t.of('prompt_dismissed')).toEqual([]); // answered, not dismissed
    expect(shadow()!.querySelector('[role=status]')!.textContent).toBe('Thank you!');
    expect(document.activeElement).toBe(link);
  });

  it('closes on Esc or Close without an answer, saying it was shown and dismissed (the response rate)', () => {
    const t = fakeTracker();
    showPrompt(t.api);
    expect(t.of('prompt_shown')).toEqual([{ question: 'checkout' }]);
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(document.querySelector('[data-parcours-prompt]')).toBeNull();
    showPrompt(t.api);
    buttons()[5].click();
    expect(document.querySelector('[data-parcours-prompt]')).toBeNull();
    expect(t.of('feedback_given')).toEqual([]);
    expect(t.of('prompt_shown')).toHaveLength(2);
    expect(t.of('prompt_dismissed')).toEqual([{ question: 'checkout' }, { question: 'checkout' }]);
  });

  it('takes the shop’s words', () => {
    showPrompt(fakeTracker().api, { question: 'Votre commande ?', scores: ['nul', 'bof', 'moyen', 'bien', 'top'], close: 'Fermer' });
    expect(shadow()!.querySelector('[role=dialog]')!.textContent).toContain('Votre commande ?');
    expect(buttons().map((b) => b.getAttribute('aria-label'))).toEqual(['1: nul', '2: bof', '3: moyen', '4: bien', '5: top', 'Fermer']);
  });

  it('as an npm part, shows itself after an order, once', async () => {
    vi.useFakeTimers();
    const t = fakeTracker({ type: 'order_confirmation' });
    t.start(prompt());
    t.api.track('order_completed', { id: 'A-1' });
    t.api.track('order_completed', { id: 'A-2' });
    vi.runAllTimers();
    vi.useRealTimers();
    expect(document.querySelectorAll('[data-parcours-prompt]')).toHaveLength(1);
  });
});
