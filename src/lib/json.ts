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
