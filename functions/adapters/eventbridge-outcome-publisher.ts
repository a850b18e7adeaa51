/**
 * Publishes outcome events (docs/concepts.md) on the hub bus with PutEvents, ten entries a call, and reports
 * exactly the events that did not get through so the caller can flag them. With
 * `accountDelivery`, each event about a child account that reached the hub bus is also put on
 * that account's own default bus (its spoke stack admits subzone's source), with a sentence
 * in the detail, so the team sees what became of its zone where it works. That copy is best
 * effort: a failure is reported to `onFailed` and never flags the event.
 */
import { type EventBridgeClient, type PutEventsRequestEntry, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { OUTCOME_SOURCE } from '../core/event-pattern';
import type { OutcomePublisher } from '../core/ports';
import type { AccountId, OutcomeEvent } from '../core/types';

/** PutEvents accepts at most 10 entries per call. */
export const PUT_EVENTS_MAX_ENTRIES = 10;

/** Delivery of outcome events to the child accounts' own buses. */
export interface AccountDelivery {
  /** The bus ARN of an account's default bus (undefined: no delivery for that account). */
  readonly busOf: (account: AccountId) => string | undefined;
  /** The human sentence added to the detail as `sentence`. */
  readonly sentence: (event: OutcomeEvent) => string;
  /** Told of copies that could not be delivered (to log them). */
  readonly onFailed?: (error: unknown, events: readonly OutcomeEvent[]) => void;
}

/** Options of EventBridgeOutcomePublisher. */
export interface EventBridgeOutcomePublisherOptions {
  /** Name or ARN of the hub bus the outcome events go to. */
  readonly eventBusName: string;
  /** Told of every PutEvents call that threw (to log it); its events are returned as failed. */
  readonly onCallFailed?: (error: unknown, events: readonly OutcomeEvent[]) => void;
  /** Also deliver each event to its child account's default bus. @default - the hub bus only */
  readonly accountDelivery?: AccountDelivery;
}

/** OutcomePublisher over EventBridge PutEvents. */
export class EventBridgeOutcomePublisher implements OutcomePublisher {
  private readonly client: EventBridgeClient;
  private readonly eventBusName: string;
  private readonly onCallFailed: ((error: unknown, events: readonly OutcomeEvent[]) => void) | undefined;
  private readonly accountDelivery: AccountDelivery | undefined;

  constructor(client: EventBridgeClient, options: EventBridgeOutcomePublisherOptions) {
    if (!options.eventBusName) {
      throw new Error('EventBridgeOutcomePublisher: eventBusName is required, got an empty string');
    }
    this.client = client;
    this.eventBusName = options.eventBusName;
    this.onCallFailed = options.onCallFailed;
    this.accountDelivery = options.accountDelivery;
  }

  /** Publishes every event; returns the ones that failed (all of a chunk whose call threw). */
  async publish(events: readonly OutcomeEvent[]): Promise<OutcomeEvent[]> {
    const failed: OutcomeEvent[] = [];
    for (let start = 0; start < events.length; start += PUT_EVENTS_MAX_ENTRIES) {
      const chunk = events.slice(start, start + PUT_EVENTS_MAX_ENTRIES);
      const sent = await this.publishChunk(chunk, (event) => this.toEntry(event));
      if (sent.error !== undefined) this.onCallFailed?.(sent.error, chunk);
      failed.push(...sent.failed);
    }
    // A flagged event is published again later; its copy goes with it then, not twice.
    if (this.accountDelivery !== undefined)
      await this.deliverToAccounts(
        events.filter((event) => !failed.includes(event)),
        this.accountDelivery,
      );
    return failed;
  }

  private async deliverToAccounts(events: readonly OutcomeEvent[], delivery: AccountDelivery): Promise<void> {
    const copies = events.flatMap((event) => {
      const { account } = event.detail;
      const bus = account === undefined ? undefined : delivery.busOf(account);
      return bus === undefined ? [] : [{ event, bus }];
    });
    for (let start = 0; start < copies.length; start += PUT_EVENTS_MAX_ENTRIES) {
      const chunk = copies.slice(start, start + PUT_EVENTS_MAX_ENTRIES);
      const buses = new Map(chunk.map(({ event, bus }) => [event, bus]));
      const toEntry = (event: OutcomeEvent): PutEventsRequestEntry => ({
        Source: OUTCOME_SOURCE,
        DetailType: event.detailType,
        Detail: JSON.stringify({ ...event.detail, sentence: delivery.sentence(event) }),
        EventBusName: buses.get(event),
      });
      const sent = await this.publishChunk(
        chunk.map(({ event }) => event),
        toEntry,
      );
      if (sent.failed.length > 0) delivery.onFailed?.(sent.error ?? new Error('PutEvents refused the entries'), sent.failed);
    }
  }

  /** Sends one chunk; returns the events that did not get through, and the error if the call threw. */
  private async publishChunk(
    chunk: readonly OutcomeEvent[],
    toEntry: (event: OutcomeEvent) => PutEventsRequestEntry,
  ): Promise<{ readonly failed: OutcomeEvent[]; readonly error?: unknown }> {
    try {
      const result = await this.client.send(new PutEventsCommand({ Entries: chunk.map(toEntry) }));
      if (!result.FailedEntryCount) return { failed: [] };
      // Result entries line up with request entries; a missing one is counted as failed.
      return {
        failed: chunk.filter((_event, i) => {
          const entry = result.Entries?.[i];
          return entry === undefined || entry.ErrorCode !== undefined;
        }),
      };
    } catch (error) {
      // The SDK has already retried: the whole chunk is unpublished (a hub event stays flagged in the ledger).
      return { failed: [...chunk], error };
    }
  }

  private toEntry(event: OutcomeEvent): PutEventsRequestEntry {
    return {
      Source: OUTCOME_SOURCE,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
      EventBusName: this.eventBusName,
    };
  }
}
