/** Outcome events in memory; `failing` makes every publish hand its events back unpublished. */
import type { OutcomePublisher } from '../../functions/core/ports';
import type { OutcomeEvent } from '../../functions/core/types';
import { tick } from './fake-clock';

export class FakeOutcomePublisher implements OutcomePublisher {
  readonly published: OutcomeEvent[] = [];
  failing = false;

  async publish(events: readonly OutcomeEvent[]): Promise<OutcomeEvent[]> {
    await tick();
    if (this.failing) return [...events];
    this.published.push(...events);
    return [];
  }

  /** The published events of one detail-type. */
  ofType(detailType: OutcomeEvent['detailType']): OutcomeEvent[] {
    return this.published.filter((event) => event.detailType === detailType);
  }
}
