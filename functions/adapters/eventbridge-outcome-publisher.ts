/**
 * Publishes outcome events (docs/concepts.md) on the hub bus with PutEvents, ten entries a call,
 * and reports exactly the events that did not get through so the caller can flag them.
 */
import { type EventBridgeClient, type PutEventsRequestEntry, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { OUTCOME_SOURCE } from '../core/event-pattern';
import type { OutcomePublisher } from '../core/ports';
import type { OutcomeEvent } from '../core/types';

/** PutEvents accepts at most 10 entries per call. */
export const PUT_EVENTS_MAX_ENTRIES = 10;

/** Options of EventBridgeOutcomePublisher. */
export interface EventBridgeOutcomePublisherOptions {
  /** Name or ARN of the hub bus the outcome events go to. */
  readonly eventBusName: string;
  /** Told of every PutEvents call that threw (to log it); its events are returned as failed. */
  readonly onCallFailed?: (error: unknown, events: readonly OutcomeEvent[]) => void;
}

/** OutcomePublisher over EventBridge PutEvents. */
export class EventBridgeOutcomePublisher implements OutcomePublisher {
  private readonly client: EventBridgeClient;
  private readonly eventBusName: string;
  private readonly onCallFailed: ((error: unknown, events: readonly OutcomeEvent[]) => void) | undefined;

  constructor(client: EventBridgeClient, options: EventBridgeOutcomePublisherOptions) {
    if (!options.eventBusName) {
      throw new Error('EventBridgeOutcomePublisher: eventBusName is required, got an empty string');
    }
    this.client = client;
    this.eventBusName = options.eventBusName;
    this.onCallFailed = options.onCallFailed;
  }

  /** Publishes every event; returns the ones that failed (all of a chunk whose call threw). */
  async publish(events: readonly OutcomeEvent[]): Promise<OutcomeEvent[]> {
    const failed: OutcomeEvent[] = [];
    for (let start = 0; start < events.length; start += PUT_EVENTS_MAX_ENTRIES) {
      const chunk = events.slice(start, start + PUT_EVENTS_MAX_ENTRIES);
      failed.push(...(await this.publishChunk(chunk)));
    }
    return failed;
  }

  private async publishChunk(chunk: readonly OutcomeEvent[]): Promise<OutcomeEvent[]> {
    try {
      const result = await this.client.send(new PutEventsCommand({ Entries: chunk.map((e) => this.toEntry(e)) }));
      if (!result.FailedEntryCount) return [];
      // Result entries line up with request entries; a missing one is counted as failed.
      return chunk.filter((_event, i) => {
        const entry = result.Entries?.[i];
        return entry === undefined || entry.ErrorCode !== undefined;
      });
    } catch (error) {
      // The SDK has already retried: the whole chunk is unpublished and stays flagged in the ledger.
      this.onCallFailed?.(error, chunk);
      return [...chunk];
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
