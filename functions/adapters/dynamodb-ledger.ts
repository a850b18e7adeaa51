/**
 * The ownership ledger on DynamoDB (docs/concepts.md): one table (ledger-table.ts), single-item
 * conditional writes only, strongly consistent reads wherever a decision depends on them.
 *
 * Delegation entries are stored natively: every LedgerEntry field is an attribute, nested
 * objects (records, intent, pendingOutcome) as maps and lists, so an operator can read them
 * in the console and every field survives a put/list round trip.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AttributeValue,
  BatchGetItemCommand,
  type DynamoDBClient,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  paginateQuery,
  paginateScan,
  type QueryCommandInput,
  type ScanCommandInput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { LeaseBusyError, LedgerConflictError } from '../core/errors';
import { countHeld, HELD_COUNTER, type HeldCounts, heldDelta } from '../core/held-counts';
import type { DelegationLedger, Lease, LedgerScan, NameKey, ReadingPart } from '../core/ports';
import type { AccountId, DnsName, LedgerEntry, NameOwner, RecordSet, ZoneId } from '../core/types';
import { packReadingPart, unpackReadingChunk } from './reading-chunks';
import { LEDGER_PREFIXES, LEDGER_TTL_ATTRIBUTE, ledgerKeys, READING_CHUNK_SK_PREFIX } from './ledger-table';

type Item = Record<string, AttributeValue>;

/** How long a sweep item is kept (DynamoDB TTL) after it starts. */
const SWEEP_RETENTION_SECONDS = 7 * 24 * 3600;

/** How long a sweep's reading is kept if the sweep never drops it (DynamoDB TTL). */
const READING_RETENTION_SECONDS = 24 * 3600;

/** Keys per BatchGetItem call (the API maximum). */
const KEYS_PER_BATCH_GET = 100;

/** BatchGetItem calls per chunk of keys before unprocessed keys fail the read (DynamoDB returns them under load). */
const BATCH_GET_ATTEMPTS = 8;

/** Claims retried when the owner vanishes between the failed put and the read. */
const CLAIM_ATTEMPTS = 3;

/** Options of DynamoDbLedger. */
export interface DynamoDbLedgerOptions {
  /** Name of the ledger table. */
  readonly tableName: string;
  /** The first wait before asking again for keys BatchGetItem left unprocessed; doubled each time. @default 50 */
  readonly unprocessedBackoffMs?: number;
}

/** DelegationLedger over one DynamoDB table (see ledger-table.ts for the item layout). */
export class DynamoDbLedger implements DelegationLedger {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly unprocessedBackoffMs: number;

  constructor(client: DynamoDBClient, options: DynamoDbLedgerOptions) {
    if (!options.tableName) throw new Error('DynamoDbLedger: tableName is required, got an empty string');
    this.client = client;
    this.tableName = options.tableName;
    this.unprocessedBackoffMs = options.unprocessedBackoffMs ?? 50;
  }

  async acquireLease(account: AccountId, holder: string, now: Date, ttlMs: number): Promise<Lease> {
    return this.takeLease(ledgerKeys.lease(account), account, holder, now, ttlMs);
  }

  async releaseLease(lease: Lease): Promise<void> {
    await this.deleteIf(ledgerKeys.lease(lease.account), 'holder = :me', { ':me': lease.holder });
  }

  async acquireParentLease(parentZoneId: ZoneId, holder: string, now: Date, ttlMs: number): Promise<Lease> {
    return this.takeLease(ledgerKeys.parentLease(parentZoneId), parentZoneId, holder, now, ttlMs);
  }

  async releaseParentLease(lease: Lease): Promise<void> {
    await this.deleteIf(ledgerKeys.parentLease(lease.account), 'holder = :me', { ':me': lease.holder });
  }

  private async takeLease(key: { pk: string; sk: string }, subject: string, holder: string, now: Date, ttlMs: number): Promise<Lease> {
    const lease: Lease = { account: subject, holder, expiresAt: new Date(now.getTime() + ttlMs).toISOString() };
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          // The TTL attribute lets DynamoDB remove a lease no one gave back (a crashed worker's).
          Item: marshall({ ...key, ...lease, [LEDGER_TTL_ATTRIBUTE]: Math.ceil((now.getTime() + ttlMs) / 1000) }),
          // ISO 8601 UTC strings of equal length order like the instants they name.
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR holder = :me',
          ExpressionAttributeValues: marshall({ ':now': now.toISOString(), ':me': holder }),
        }),
      );
      return lease;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = await this.getItem(key);
      throw new LeaseBusyError(subject, typeof current?.expiresAt === 'string' ? current.expiresAt : 'an unknown time');
    }
  }

  async getEntry(account: AccountId, zoneId: ZoneId): Promise<LedgerEntry | undefined> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: marshall(ledgerKeys.delegation(account, zoneId)), ConsistentRead: true }),
    );
    return result.Item && toEntry(result.Item);
  }

  async listEntries(account: AccountId): Promise<LedgerEntry[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      ConsistentRead: true,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :zone)',
      ExpressionAttributeValues: marshall({ ':pk': ledgerKeys.lease(account).pk, ':zone': LEDGER_PREFIXES.zone }),
    });
    return items.map(toEntry);
  }

  async putEntry(entry: LedgerEntry): Promise<void> {
    const expected = entry.version - 1;
    let previous: LedgerEntry | undefined;
    try {
      const output = await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall({ ...entry, ...ledgerKeys.delegation(entry.account, entry.zoneId) }, { removeUndefinedValues: true }),
          ReturnValues: 'ALL_OLD',
          ...(entry.version === 1
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: marshall({ ':expected': expected }),
              }),
        }),
      );
      previous = output.Attributes && toEntry(output.Attributes);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new LedgerConflictError(
          `delegation ${entry.account}/${entry.zoneId}: expected ${entry.version === 1 ? 'no item' : `version ${expected}`}`,
          { cause: error },
        );
      }
      throw error;
    }
    await this.countHeld(heldDelta(previous, entry));
  }

  async deleteEntry(account: AccountId, zoneId: ZoneId, expectedVersion: number): Promise<void> {
    let previous: LedgerEntry | undefined;
    try {
      const output = await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: marshall(ledgerKeys.delegation(account, zoneId)),
          ReturnValues: 'ALL_OLD',
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: marshall({ ':expected': expectedVersion }),
        }),
      );
      previous = output.Attributes && toEntry(output.Attributes);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new LedgerConflictError(`delegation ${account}/${zoneId}: expected version ${expectedVersion}`, {
          cause: error,
        });
      }
      throw error;
    }
    await this.countHeld(heldDelta(previous, undefined));
  }

  /**
   * The held counts item. Entries written before it existed are counted once, from a scan,
   * the first time it is asked for; every entry write keeps it up to date from then on.
   */
  async heldCounts(): Promise<HeldCounts> {
    const item = await this.getItem(ledgerKeys.heldCounts());
    if (item?.counted === true) return countsIn(item);
    const counts = countHeld(await this.scanEntries());
    const put = new PutItemCommand({
      TableName: this.tableName,
      Item: marshall({ ...ledgerKeys.heldCounts(), ...counts, counted: true }),
      ConditionExpression: 'attribute_not_exists(counted)',
    });
    // Another invocation counted first: its item is the one kept up to date.
    return (await this.holds(this.client.send(put))) ? counts : this.heldCounts();
  }

  /**
   * Adds an entry write's change to the held counts. A separate write from the entry's (DynamoDB
   * Local and dynalite have no transactions to share): a crash between the two leaves the counts
   * off by that entry, and an undercount is still capped by the sweep's reservation.
   */
  private async countHeld(delta: Record<string, number>): Promise<void> {
    const counters = Object.keys(delta);
    if (counters.length === 0) return;
    const updated = await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: marshall(ledgerKeys.heldCounts()),
        UpdateExpression: `ADD ${counters.map((_, index) => `#c${index} :c${index}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(counters.map((counter, index) => [`#c${index}`, counter])),
        ExpressionAttributeValues: Object.fromEntries(counters.map((counter, index) => [`:c${index}`, { N: String(delta[counter]) }])),
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    // An hour's counter back at zero goes, or the item would gain two attributes an hour for ever.
    for (const [counter, value] of Object.entries(updated.Attributes ?? {})) {
      if (counter !== HELD_COUNTER && value.N === '0') await this.removeZeroCounter(counter);
    }
  }

  /** Removes a counter if it is still zero (another write may have counted it again since). */
  private async removeZeroCounter(counter: string): Promise<void> {
    await this.holds(
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall(ledgerKeys.heldCounts()),
          UpdateExpression: 'REMOVE #c',
          ConditionExpression: '#c = :zero',
          ExpressionAttributeNames: { '#c': counter },
          ExpressionAttributeValues: { ':zero': { N: '0' } },
        }),
      ),
    );
  }

  /** Every delegation entry of the table (once, to start the held counts). */
  private async scanEntries(): Promise<LedgerEntry[]> {
    const items = await scanAll(this.client, {
      TableName: this.tableName,
      ConsistentRead: true,
      FilterExpression: 'begins_with(pk, :account) AND begins_with(sk, :zone)',
      ExpressionAttributeValues: marshall({ ':account': LEDGER_PREFIXES.account, ':zone': LEDGER_PREFIXES.zone }),
    });
    return items.map(toEntry);
  }

  async getNameOwner(parentZoneId: ZoneId, name: DnsName): Promise<NameOwner | undefined> {
    const item = await this.getItem(ledgerKeys.nameOwner(parentZoneId, name));
    return item && toNameOwner(item);
  }

  /** BatchGetItem, 100 keys a call, strongly consistent; keys DynamoDB leaves unprocessed are asked again. */
  async getNameOwners(names: readonly NameKey[]): Promise<NameOwner[]> {
    const keys = [
      ...new Map(names.map(({ parentZoneId, name }) => [`${parentZoneId}#${name}`, ledgerKeys.nameOwner(parentZoneId, name)])).values(),
    ];
    const owners: NameOwner[] = [];
    for (let start = 0; start < keys.length; start += KEYS_PER_BATCH_GET) {
      const items = await this.batchGet(keys.slice(start, start + KEYS_PER_BATCH_GET).map((key) => marshall(key)));
      owners.push(...items.map((item) => toNameOwner(unmarshall(item))));
    }
    return owners;
  }

  private async batchGet(keys: Item[]): Promise<Item[]> {
    const items: Item[] = [];
    let pending = keys;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > BATCH_GET_ATTEMPTS)
        throw new Error(`BatchGetItem left ${pending.length} keys unprocessed after ${BATCH_GET_ATTEMPTS} calls`);
      if (attempt > 1) await sleep(this.unprocessedBackoffMs * 2 ** (attempt - 2));
      const output = await this.client.send(
        new BatchGetItemCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      items.push(...(output.Responses?.[this.tableName] ?? []));
      pending = output.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    return items;
  }

  async claimName(owner: NameOwner): Promise<NameOwner> {
    const key = ledgerKeys.nameOwner(owner.parentZoneId, owner.name);
    for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt += 1) {
      try {
        await this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: marshall({ ...key, ...ownerAttributes(owner) }),
            ConditionExpression: 'attribute_not_exists(pk) OR (#zoneId = :zone AND #account = :account)',
            ExpressionAttributeNames: { '#zoneId': 'zoneId', '#account': 'account' },
            ExpressionAttributeValues: marshall({ ':zone': owner.zoneId, ':account': owner.account }),
          }),
        );
        return ownerAttributes(owner);
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      const current = await this.getItem(key);
      // The other owner released the name between our put and this read: try again.
      if (current) return toNameOwner(current);
    }
    throw new LedgerConflictError(`name owner ${owner.parentZoneId}/${owner.name}: changed on every attempt`);
  }

  async freeName(owner: NameOwner): Promise<void> {
    await this.deleteIf(
      ledgerKeys.nameOwner(owner.parentZoneId, owner.name),
      '#zoneId = :zone AND #account = :account',
      {
        ':zone': owner.zoneId,
        ':account': owner.account,
      },
      { '#zoneId': 'zoneId', '#account': 'account' },
    );
  }

  /**
   * One Scan of the whole table, once per sweep: every delegation entry and name owner. Eventually
   * consistent (half the read units): an owner it shows without its entry is read again before it
   * is freed, and each account reads its own entries, strongly consistent, when it is reconciled.
   */
  async scanLedger(): Promise<LedgerScan> {
    const entries: LedgerEntry[] = [];
    const owners: NameOwner[] = [];
    const ownerSk = ledgerKeys.nameOwner('', '').sk;
    const items = await scanAll(this.client, {
      TableName: this.tableName,
      FilterExpression: 'begins_with(sk, :zone) OR sk = :owner',
      ExpressionAttributeValues: marshall({ ':zone': LEDGER_PREFIXES.zone, ':owner': ownerSk }),
    });
    for (const item of items) {
      if (item.sk?.S === ownerSk) owners.push(toNameOwner(unmarshall(item)));
      else entries.push(toEntry(item));
    }
    return { entries, owners };
  }

  async saveReadingPart(sweepId: string, index: number, part: ReadingPart, now: Date): Promise<void> {
    const chunks = packReadingPart(part.records);
    const expiresAtEpoch = Math.floor(now.getTime() / 1000) + READING_RETENTION_SECONDS;
    for (const [chunk, data] of chunks.entries()) {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            ...marshall({
              ...ledgerKeys.readingChunk(sweepId, index, chunk),
              parentZoneId: part.parentZoneId,
              chunks: chunks.length,
              [LEDGER_TTL_ATTRIBUTE]: expiresAtEpoch,
            }),
            data: { B: data },
          },
        }),
      );
    }
  }

  async loadReading(sweepId: string, count: number): Promise<ReadingPart[] | undefined> {
    const items = await this.readingItems(sweepId);
    const parts: ReadingPart[] = [];
    for (let index = 0; index < count; index += 1) {
      const first = items.get(ledgerKeys.readingChunk(sweepId, index, 0).sk);
      const chunks = Number(first?.chunks?.N ?? 0);
      const records: RecordSet[] = [];
      for (let chunk = 0; chunk < chunks; chunk += 1) {
        const data = items.get(ledgerKeys.readingChunk(sweepId, index, chunk).sk)?.data?.B;
        if (data === undefined) return undefined;
        records.push(...unpackReadingChunk(data));
      }
      if (first?.parentZoneId?.S === undefined) return undefined;
      parts.push({ parentZoneId: first.parentZoneId.S, records });
    }
    return parts;
  }

  async dropReading(sweepId: string): Promise<void> {
    for (const item of (await this.readingItems(sweepId, 'pk, sk')).values()) {
      await this.client.send(
        new DeleteItemCommand({ TableName: this.tableName, Key: { pk: item.pk as AttributeValue, sk: item.sk as AttributeValue } }),
      );
    }
  }

  async takeReadingStep(sweepId: string, step: number, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    return this.holds(
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall({
            ...ledgerKeys.readingStep(sweepId, step),
            holder,
            expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
            [LEDGER_TTL_ATTRIBUTE]: Math.floor(now.getTime() / 1000) + READING_RETENTION_SECONDS,
          }),
          // ISO 8601 UTC strings of equal length order like the instants they name.
          ConditionExpression: 'attribute_not_exists(pk) OR (attribute_not_exists(done) AND (expiresAt < :now OR holder = :me))',
          ExpressionAttributeValues: marshall({ ':now': now.toISOString(), ':me': holder }),
        }),
      ),
    );
  }

  async finishReadingStep(sweepId: string, step: number): Promise<void> {
    await this.holds(
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall(ledgerKeys.readingStep(sweepId, step)),
          UpdateExpression: 'SET done = :done',
          // Never creates the item (it would carry no TTL).
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: marshall({ ':done': true }),
        }),
      ),
    );
  }

  async releaseReadingStep(sweepId: string, step: number, holder: string): Promise<void> {
    await this.deleteIf(ledgerKeys.readingStep(sweepId, step), 'holder = :me AND attribute_not_exists(done)', { ':me': holder });
  }

  /** Every chunk of a sweep's reading (not its steps), by sort key. */
  private async readingItems(sweepId: string, projection?: string): Promise<Map<string, Item>> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      ConsistentRead: true,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :chunks)',
      ExpressionAttributeValues: marshall({ ':pk': ledgerKeys.readingChunk(sweepId, 0, 0).pk, ':chunks': READING_CHUNK_SK_PREFIX }),
      ...(projection === undefined ? {} : { ProjectionExpression: projection }),
    });
    return new Map(items.flatMap((item) => (item.sk?.S === undefined ? [] : [[item.sk.S, item] as const])));
  }

  async noteEvent(account: AccountId, eventTime: string): Promise<void> {
    // A newer event already recorded fails the condition: nothing to do.
    await this.holds(
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall(ledgerKeys.lastEvent(account)),
          UpdateExpression: 'SET lastEventAt = :at',
          // ISO 8601 UTC strings of equal length order like the instants they name.
          ConditionExpression: 'attribute_not_exists(lastEventAt) OR lastEventAt < :at',
          ExpressionAttributeValues: marshall({ ':at': eventTime }),
        }),
      ),
    );
  }

  async lastEventAt(account: AccountId): Promise<string | undefined> {
    const item = await this.getItem(ledgerKeys.lastEvent(account));
    return typeof item?.lastEventAt === 'string' ? item.lastEventAt : undefined;
  }

  async countFailedSweep(account: AccountId, sweepId: string): Promise<number> {
    const result = await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: marshall(ledgerKeys.readFailures(account)),
        UpdateExpression: 'ADD #sweeps :sweep',
        ExpressionAttributeNames: { '#sweeps': 'sweeps' },
        ExpressionAttributeValues: { ':sweep': { SS: [sweepId] } },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return result.Attributes?.sweeps?.SS?.length ?? 0;
  }

  async clearFailedSweeps(account: AccountId): Promise<void> {
    // Deleting an item that is not there is a no-op: no condition needed.
    await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: marshall(ledgerKeys.readFailures(account)) }));
  }

  /**
   * A Scan of the whole table: fine at this scale (one small item per hosted zone, a few
   * thousand at most, read once per sweep). A GSI would be the next step beyond that.
   */
  async listAccounts(): Promise<AccountId[]> {
    const accounts = new Set<AccountId>();
    const items = await scanAll(this.client, {
      TableName: this.tableName,
      ProjectionExpression: 'pk',
      FilterExpression: 'begins_with(sk, :zone)',
      ExpressionAttributeValues: marshall({ ':zone': LEDGER_PREFIXES.zone }),
    });
    for (const item of items) {
      const pk = item.pk?.S;
      if (pk?.startsWith(LEDGER_PREFIXES.account)) accounts.add(pk.slice(LEDGER_PREFIXES.account.length));
    }
    return [...accounts].sort();
  }

  /**
   * Registers a sweep once: a redelivered sweep request keeps the progress already made,
   * so accounts finished before the redelivery are never counted twice. A sweep of no
   * accounts stores no set: it is complete at once and the caller reports it.
   */
  async startSweep(sweepId: string, accounts: readonly AccountId[], now: Date): Promise<void> {
    const remaining = [...new Set(accounts)];
    const item: Item = {
      ...marshall({
        ...ledgerKeys.sweep(sweepId),
        sweepId,
        total: remaining.length,
        remainingCount: remaining.length,
        startedAt: now.toISOString(),
        [LEDGER_TTL_ATTRIBUTE]: Math.floor(now.getTime() / 1000) + SWEEP_RETENTION_SECONDS,
      }),
      // A string set: DynamoDB refuses empty sets, so it is left out when there is nothing to wait for.
      ...(remaining.length > 0 ? { remaining: { SS: remaining } } : {}),
    };
    await this.holds(
      this.client.send(new PutItemCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' })),
    );
  }

  /**
   * Removes the account from the sweep's set only if it is still a member, so a duplicate
   * finish never counts twice; DynamoDB drops a set that becomes empty, and exactly one
   * caller sees that in its ALL_NEW image.
   */
  async finishSweepAccount(sweepId: string, account: AccountId): Promise<{ readonly startedAt: string } | undefined> {
    try {
      const result = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall(ledgerKeys.sweep(sweepId)),
          UpdateExpression: 'DELETE #remaining :accountSet ADD #remainingCount :minusOne',
          ConditionExpression: 'contains(#remaining, :account)',
          ExpressionAttributeNames: { '#remaining': 'remaining', '#remainingCount': 'remainingCount' },
          ExpressionAttributeValues: {
            ':accountSet': { SS: [account] },
            ':account': { S: account },
            ':minusOne': { N: '-1' },
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      if ((result.Attributes?.remaining?.SS ?? []).length > 0) return undefined;
      return { startedAt: result.Attributes?.startedAt?.S ?? '' };
    } catch (error) {
      // Already finished for this account, or an unknown sweep: not the finishing call.
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async reserveRemovals(sweepId: string, count: number, budget: number): Promise<boolean> {
    if (count > budget) return false;
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall(ledgerKeys.sweep(sweepId)),
          UpdateExpression: 'ADD #removals :count',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#removals) OR #removals <= :most)',
          ExpressionAttributeNames: { '#removals': 'removals' },
          ExpressionAttributeValues: { ':count': { N: String(count) }, ':most': { N: String(budget - count) } },
        }),
      );
      return true;
    } catch (error) {
      // Over budget, or a sweep the ledger does not know: no removal may be made under it.
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async getItem(key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
    const result = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: marshall(key), ConsistentRead: true }));
    return result.Item && unmarshall(result.Item);
  }

  /** Waits for a conditional write: false when its condition did not hold; any other error is thrown. */
  private async holds(write: Promise<unknown>): Promise<boolean> {
    try {
      await write;
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** A conditional delete whose failed condition means "not ours": a no-op. */
  private async deleteIf(
    key: { pk: string; sk: string },
    condition: string,
    values: Record<string, string>,
    names?: Record<string, string>,
  ): Promise<void> {
    await this.holds(
      this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: marshall(key),
          ConditionExpression: condition,
          ExpressionAttributeValues: marshall(values),
          ...(names ? { ExpressionAttributeNames: names } : {}),
        }),
      ),
    );
  }
}

function ownerAttributes(owner: NameOwner): NameOwner {
  const { parentZoneId, name, account, zoneId, claimedAt } = owner;
  return { parentZoneId, name, account, zoneId, ...(claimedAt !== undefined ? { claimedAt } : {}) };
}

function toNameOwner(item: Record<string, unknown>): NameOwner {
  return {
    parentZoneId: String(item.parentZoneId),
    name: String(item.name),
    account: String(item.account),
    zoneId: String(item.zoneId),
    ...(typeof item.claimedAt === 'string' ? { claimedAt: item.claimedAt } : {}),
  };
}

/** The counters of the held counts item. */
function countsIn(item: Record<string, unknown>): HeldCounts {
  return Object.fromEntries(Object.entries(item).filter((pair): pair is [string, number] => typeof pair[1] === 'number'));
}

function toEntry(item: Item): LedgerEntry {
  const { pk: _pk, sk: _sk, ...entry } = unmarshall(item);
  // Only putEntry writes delegation items, from a LedgerEntry, so the shape is ours.
  return entry as LedgerEntry;
}

/** Every item of a Query, page after page (the SDK's paginator). */
function queryAll(client: DynamoDBClient, input: QueryCommandInput): Promise<Item[]> {
  return itemsOf(paginateQuery({ client }, input));
}

/** Every item of a Scan, page after page (the SDK's paginator). */
function scanAll(client: DynamoDBClient, input: ScanCommandInput): Promise<Item[]> {
  return itemsOf(paginateScan({ client }, input));
}

async function itemsOf(pages: AsyncIterable<{ readonly Items?: Item[] }>): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of pages) items.push(...(page.Items ?? []));
  return items;
}
