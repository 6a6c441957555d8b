import type { KeyValue } from '../../../src/lib/storage';

/** A KeyValue over a Map, with the raw values visible to assertions. */
export const memoryStore = (initial: Record<string, string> = {}): KeyValue & { raw: Map<string, string> } => {
  const raw = new Map(Object.entries(initial));
  return {
    raw,
    get: (key) => raw.get(key) ?? null,
    set: (key, value) => void raw.set(key, value),
    del: (key) => void raw.delete(key),
    sync() {},
    clear: () => raw.clear(),
  };
};

/** Makes `localStorage` throw on access, as Safari with blocked site data does; returns the undo. */
export const blockLocalStorage = (): (() => void) => {
  const descriptor = Object.getOwnPropertyDescriptor(window, 'localStorage')!;
  Object.defineProperty(window, 'localStorage', {
    configurable: true,
    get() {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    },
  });
  return () => Object.defineProperty(window, 'localStorage', descriptor);
};
