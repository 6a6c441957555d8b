import type { KeyValue } from './lib/storage';
import { uuid } from './lib/uuid';
import { parse, stringify } from './lib/json';

/** A session ends after this long without an event (the usual web-analytics rule). */
export const SESSION_TIMEOUT_MS = 30 * 60 * 1000;

/** Storage is re-read at most this often, so a burst of events costs no storage I/O per event. */
const SYNC_MS = 1000;

export interface Identity {
  anonymousId: string | null;
  userId: string | null;
  /** The session id at `now`, rotating after 30 minutes of inactivity; `isNew` on the first event of a session. */
  session(now: number): { id: string; isNew: boolean };
  setUser(userId: string | null): void;
}

/**
 * Who the events belong to. The anonymous id is persisted first-party in `store`; the session is shared by the
 * tabs of one shop through `sessionStore` (the same store unless anonymous mode keeps it per tab).
 */
export const createIdentity = (store: KeyValue, sessionStore: KeyValue, persistent: boolean): Identity => {
  let anonymousId: string | null = null;
  if (persistent) {
    anonymousId = store.get('parcours:aid');
    if (!anonymousId) store.set('parcours:aid', (anonymousId = uuid()));
  }
  let current: { id: string; last: number } | undefined;
  let synced = 0;
  let written = 0;
  return {
    anonymousId,
    userId: store.get('parcours:uid'),
    session(now) {
      let isNew = false;
      if (!current || now - synced > SYNC_MS) {
        // Another tab may have moved the session on: adopt its view when it is newer than ours.
        const stored = parse(sessionStore.get('parcours:sid')) as typeof current;
        if (stored && typeof stored.id == 'string' && !(stored.last < (current?.last ?? 0))) current = stored;
        synced = now;
      }
      if (!current || !(now - current.last < SESSION_TIMEOUT_MS)) ((current = { id: uuid(), last: now }), (isNew = true));
      // Written at most once a second: a burst of events costs no storage I/O per event.
      if (isNew || now - written > SYNC_MS) {
        sessionStore.set('parcours:sid', stringify({ id: current.id, last: now })!);
        written = now;
      }
      current.last = now;
      return { id: current.id, isNew };
    },
    setUser(userId) {
      this.userId = userId;
      if (userId == null) store.del('parcours:uid');
      else if (persistent) store.set('parcours:uid', userId);
    },
  };
};
