// Taken at load: a page that later replaces `JSON` (it happens) must not change what parcours sends.
const { stringify: nativeStringify, parse: nativeParse } = JSON;

/** `JSON.stringify` for values parcours built itself (already JSON-safe); `undefined` if it fails anyway. */
export const stringify = (value: unknown): string | undefined => {
  try {
    return nativeStringify(value);
  } catch {}
};

/** `JSON.parse` that answers `undefined` instead of throwing. */
export const parse = (text: string | null | undefined): unknown => {
  try {
    return text ? nativeParse(text) : undefined;
  } catch {}
};

/** UTF-8 length of a string without encoding it. */
export const byteLength = (s: string): number => {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 127) n += c > 2047 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return n;
};
