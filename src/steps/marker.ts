// What says "acr-xaccount made this": the marker in a Description, Comment or Remark, its tag form, and the name
// prefix. Merges, reuse and `destroy` rely on it: what does not carry it is never changed or removed.

export const MARKER = 'managed-by=acr-xaccount';
export const MARKER_TAG = { 'managed-by': 'acr-xaccount' } as const;
/** Every resource we name starts with this. */
export const NAME_PREFIX = 'acr-xaccount';

export const isOurs = (text: string | undefined): boolean => (text ?? '').includes(MARKER);
