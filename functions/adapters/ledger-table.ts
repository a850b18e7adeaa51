/**
 * The ledger's single DynamoDB table: key schema, name and item layout, shared by the CDK
 * hub stack and the adapter. The emulator writes the table out on its own
 * (emulator/dynamo.ts), so an adapter key that disagreed with it would fail in the tests.
 *
 * Item layout (partition key `pk`, sort key `sk`, both strings):
 *
 * | item         | pk                              | sk               | other attributes                                   |
 * | ------------ | ------------------------------- | ---------------- | -------------------------------------------------- |
 * | delegation   | `ACCOUNT#<account>`             | `ZONE#<zoneId>`  | every LedgerEntry field, natively (maps and lists) |
 * | lease        | `ACCOUNT#<account>`             | `LEASE`          | account, holder, expiresAt (ISO 8601), expiresAtEpoch |
 * | read failures| `ACCOUNT#<account>`             | `READ_FAILURES`  | sweeps (string set): sweeps in a row that could not read the account |
 * | parent lease | `PARENT#<parentZoneId>`         | `LEASE`          | account (the parent zone id), holder, expiresAt, expiresAtEpoch |
 * | last event   | `ACCOUNT#<account>`             | `LAST_EVENT`     | lastEventAt (ISO 8601): the newest event seen      |
 * | name owner   | `NAME#<parentZoneId>#<name>`    | `OWNER`          | parentZoneId, name, account, zoneId                |
 * | sweep        | `SWEEP#<sweepId>`               | `SWEEP`          | remaining (string set), remainingCount, total, startedAt, expiresAtEpoch |
 * | reading chunk| `READING#<sweepId>`             | `PART#<part>#<chunk>` (6 and 4 digits) | parentZoneId, chunks (in its part), data (gzip JSON), expiresAtEpoch |
 * | reading step | `READING#<sweepId>`             | `STEP#<step>` (6 digits) | holder, expiresAt, done, expiresAtEpoch          |
 * | held counts  | `LEDGER`                        | `HELD_COUNTS`    | counted (true once initialised), one number per counter of held-counts.ts |
 *
 * A delegation and its account's lease share a partition, so an account's entries are one
 * strongly consistent Query (`begins_with(sk, 'ZONE#')`) that never returns the lease.
 */
import type { AttributeDefinition, KeySchemaElement } from '@aws-sdk/client-dynamodb';

/** Partition key `pk`, sort key `sk`. */
export const LEDGER_KEY_SCHEMA: readonly KeySchemaElement[] = [
  { AttributeName: 'pk', KeyType: 'HASH' },
  { AttributeName: 'sk', KeyType: 'RANGE' },
];

/** Both keys are strings; no other attribute is indexed. */
export const LEDGER_ATTRIBUTE_DEFINITIONS: readonly AttributeDefinition[] = [
  { AttributeName: 'pk', AttributeType: 'S' },
  { AttributeName: 'sk', AttributeType: 'S' },
];

/** On-demand capacity. */
export const LEDGER_BILLING_MODE = 'PAY_PER_REQUEST';

/**
 * Epoch-seconds attribute for DynamoDB TTL. Sweep items, reading chunks and leases carry it (an expired lease
 * is no lease, so removing it changes nothing); delegations and name owners must never expire
 * on their own.
 */
export const LEDGER_TTL_ATTRIBUTE = 'expiresAtEpoch';

/** Key builders for the item layout above. */
/** The sort keys of a sweep reading's chunks begin with this (its steps' do not). */
export const READING_CHUNK_SK_PREFIX = 'PART#';

export const ledgerKeys = {
  delegation: (account: string, zoneId: string) => ({ pk: `ACCOUNT#${account}`, sk: `ZONE#${zoneId}` }),
  lease: (account: string) => ({ pk: `ACCOUNT#${account}`, sk: 'LEASE' }),
  lastEvent: (account: string) => ({ pk: `ACCOUNT#${account}`, sk: 'LAST_EVENT' }),
  readFailures: (account: string) => ({ pk: `ACCOUNT#${account}`, sk: 'READ_FAILURES' }),
  parentLease: (parentZoneId: string) => ({ pk: `PARENT#${parentZoneId}`, sk: 'LEASE' }),
  nameOwner: (parentZoneId: string, name: string) => ({ pk: `NAME#${parentZoneId}#${name}`, sk: 'OWNER' }),
  sweep: (sweepId: string) => ({ pk: `SWEEP#${sweepId}`, sk: 'SWEEP' }),
  readingChunk: (sweepId: string, part: number, chunk: number) => ({
    pk: `READING#${sweepId}`,
    sk: `${READING_CHUNK_SK_PREFIX}${String(part).padStart(6, '0')}#${String(chunk).padStart(4, '0')}`,
  }),
  readingStep: (sweepId: string, step: number) => ({ pk: `READING#${sweepId}`, sk: `STEP#${String(step).padStart(6, '0')}` }),
  heldCounts: () => ({ pk: 'LEDGER', sk: 'HELD_COUNTS' }),
} as const;

/** Prefixes used to recognise item kinds in queries and scans. */
export const LEDGER_PREFIXES = { account: 'ACCOUNT#', zone: 'ZONE#', name: 'NAME#' } as const;
