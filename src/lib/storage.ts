/**
 * Guarded first-party storage. Safari's private mode, blocked third-party contexts and full quotas make
 * `localStorage` throw on access or on write; parcours then remembers in memory for this page only.
 */
export interface KeyValue {
  get(key: string): string | null;
  set(key: string, value: string): void;
  del(key: string): void;
}

export const webStorage = (kind: 'localStorage' | 'sessionStorage'): KeyValue => {
  const memory = new Map<string, string>();
  const store = (): Storage | undefined => {
    try {
      return globalThis[kind];
    } catch {}
  };
  return {
    get(key) {
      try {
        const v = store()?.getItem(key);
        if (v != null) return v;
      } catch {}
      return memory.get(key) ?? null;
    },
    set(key, value) {
      memory.set(key, value);
      try {
        store()?.setItem(key, value);
      } catch {}
    },
    del(key) {
      memory.delete(key);
      try {
        store()?.removeItem(key);
      } catch {}
    },
  };
};
