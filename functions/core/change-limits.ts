/**
 * Route 53's per-request limits for ChangeResourceRecordSets, in the strictest reading of
 * the documented quotas (docs/benchmarks.md; Route 53 Developer Guide, 'Quotas'). Values count once per change because
 * subzone never sends UPSERT, which would count twice.
 */

/** At most this many `Change` elements per batch (older quota text; still honoured). */
export const MAX_CHANGES_PER_BATCH = 100;

/** At most this many `ResourceRecord` elements per batch. */
export const MAX_VALUES_PER_BATCH = 1000;

/** At most this many characters summed over every `Value` of a batch. */
export const MAX_VALUE_CHARS_PER_BATCH = 32000;
