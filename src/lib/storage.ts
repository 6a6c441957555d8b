/**
 * Guarded first-party storage. Safari's private mode, blocked third-party contexts and full quotas make
 * `localStorage` throw on access or on write; parcours then remembers in memory for this page only.
 * `persist` is asked on every write: until consent allows it, values live in memory only, and `sync()` writes
 * them out once it does.
 */
export interface KeyValue {
  get(key: string): string | null;
  set(key: string, value: string): void;
  del(key: string): void;
  /** Write what was kept in memory while persisting was not allowed. */
  sync(): void;
  /** Forget every parcours key, in memory and in storage. */
  clear(): void;
}

export const webStorage = (kind: 'localStorage' | 'sessionStorage', persist: () => boolean = () => true): KeyValue => {
  const memory = new Map<string, string>();
  const store = (): Storage | undefined => {
    try {
      return globalThis[kind];
    } catch {}
  };
  const write = (key: string, value: string | null) => {
    try {
      if (value == null) store()?.removeItem(key);
      else if (persist()) store()?.setItem(key, value);
    } catch {}
  };
  return {
    // Storage first (another tab may have moved a value on), memory when storage is not allowed or failed.
    get(key) {
      try {
        const value = persist() ? store()?.getItem(key) : null;
        if (value != null) return value;
      } catch {}
      return memory.get(key) ?? null;
    },
    set(key, value) {
      memory.set(key, value);
      write(key, value);
    },
    del(key) {
      memory.delete(key);
      write(key, null);
    },
    sync: () => memory.forEach((value, key) => write(key, value)),
    clear() {
      memory.clear();
      try {
        const s = store();
        for (let i = s ? s.length : 0; i--; ) if (s!.key(i)?.startsWith('parcours:')) s!.removeItem(s!.key(i)!);
      } catch {}
    },
  };
};
