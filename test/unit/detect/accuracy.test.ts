import { afterAll, describe, expect, test } from 'vitest';
import { detectPage } from '../../../src/detect';
import { CASES } from './cases';
import { closeAll, load } from './load';

afterAll(closeAll);

describe('detection accuracy over every fixture', () => {
  test('names the type and step a person would for every fixture page', { timeout: 60_000 }, () => {
    const misses: string[] = [];
    for (const [fixture, href, type, step] of CASES) {
      const { doc, url } = load(fixture, href);
      const got = detectPage(doc, url);
      if (got.type !== type || got.step !== step)
        misses.push(`${fixture} @ ${href}: got ${got.type}/${got.step}, want ${type}/${step}`);
    }
    console.log(`detection accuracy: ${CASES.length - misses.length}/${CASES.length} fixtures`);
    expect(misses).toEqual([]);
  });
});
