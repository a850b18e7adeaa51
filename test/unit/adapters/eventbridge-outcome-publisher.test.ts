import { EventBridgeClient, InternalException, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { EventBridgeOutcomePublisher } from '../../../functions/adapters/eventbridge-outcome-publisher';
import type { OutcomeEvent } from '../../../functions/core/types';

const eventBridge = mockClient(EventBridgeClient);

function outcome(i: number): OutcomeEvent {
  return {
    detailType: i % 2 === 0 ? 'Delegation Created' : 'Delegation Rejected',
    detail: { account: '222222222222', zoneId: `Z${i}`, name: `n${i}.example.com`, reason: `reason ${i}`, applied: true },
  };
}

function entryOf(event: OutcomeEvent) {
  return { Source: 'subzone', DetailType: event.detailType, Detail: JSON.stringify(event.detail), EventBusName: 'subzone-hub' };
}

function publisher(onCallFailed?: (error: unknown, events: readonly OutcomeEvent[]) => void) {
  return new EventBridgeOutcomePublisher(new EventBridgeClient({}), {
    eventBusName: 'subzone-hub',
    ...(onCallFailed ? { onCallFailed } : {}),
  });
}

beforeEach(() => {
  eventBridge.reset();
});

describe('EventBridgeOutcomePublisher', () => {
  it('publishes 23 events in three calls of 10, 10 and 3 exact entries', async () => {
    // Prepare
    const events = Array.from({ length: 23 }, (_, i) => outcome(i));
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map((_e, i) => ({ EventId: `id-${i}` })),
    }));

    // Act
    const failed = await publisher().publish(events);

    // Assess
    expect(failed).toEqual([]);
    expect(eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input)).toEqual([
      { Entries: events.slice(0, 10).map(entryOf) },
      { Entries: events.slice(10, 20).map(entryOf) },
      { Entries: events.slice(20).map(entryOf) },
    ]);
  });

  it('makes no call for no events', async () => {
    // Act
    const failed = await publisher().publish([]);

    // Assess
    expect(failed).toEqual([]);
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 0);
  });

  it('returns exactly the entries that PutEvents reports as failed', async () => {
    // Prepare
    const events = Array.from({ length: 12 }, (_, i) => outcome(i));
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: events
          .slice(0, 10)
          .map((_e, i) => (i === 3 || i === 7 ? { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' } : { EventId: `id-${i}` })),
      })
      .resolvesOnce({
        FailedEntryCount: 1,
        Entries: [{ EventId: 'id-10' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }],
      });

    // Act
    const failed = await publisher().publish(events);

    // Assess
    expect(failed).toEqual([events[3], events[7], events[11]]);
  });

  it('counts every event of a call that threw as failed, and reports the error', async () => {
    // Prepare
    const events = Array.from({ length: 13 }, (_, i) => outcome(i));
    const error = new InternalException({ message: 'boom', $metadata: {} });
    eventBridge
      .on(PutEventsCommand)
      .rejectsOnce(error)
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'a' }, { EventId: 'b' }, { EventId: 'c' }] });
    const onCallFailed = jest.fn();

    // Act
    const failed = await publisher(onCallFailed).publish(events);

    // Assess
    expect(failed).toEqual(events.slice(0, 10));
    expect(onCallFailed).toHaveBeenCalledWith(error, events.slice(0, 10));
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 2);
  });

  it('counts entries missing from a failed result as failed', async () => {
    // Prepare
    const events = [outcome(0), outcome(1)];
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ EventId: 'a' }] });

    // Act
    const failed = await publisher().publish(events);

    // Assess
    expect(failed).toEqual([events[1]]);
  });

  it('rejects an empty bus name', () => {
    // Act
    const build = () => new EventBridgeOutcomePublisher(new EventBridgeClient({}), { eventBusName: '' });

    // Assess
    expect(build).toThrow('eventBusName is required');
  });
});

describe('EventBridgeOutcomePublisher delivery to the child accounts', () => {
  const busOf = (account: string) => `arn:aws:events:us-east-1:${account}:event-bus/default`;

  function delivering(onFailed?: (error: unknown, events: readonly OutcomeEvent[]) => void) {
    return new EventBridgeOutcomePublisher(new EventBridgeClient({}), {
      eventBusName: 'subzone-hub',
      accountDelivery: { busOf, sentence: (event) => `sentence about ${event.detail.name}`, ...(onFailed ? { onFailed } : {}) },
    });
  }

  it("puts each event that reached the hub bus on its account's default bus, with a sentence", async () => {
    // Prepare
    const events = [outcome(0), outcome(1)];
    const sweep: OutcomeEvent = {
      detailType: 'Sweep Completed',
      detail: { account: '111111111111', reason: 'all-accounts-reconciled', applied: true },
    };
    eventBridge
      .on(PutEventsCommand)
      .callsFake((input: { Entries: unknown[] }) => ({ FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: 'id' })) }));

    // Act
    const failed = await delivering().publish([...events, sweep]);

    // Assess
    expect(failed).toEqual([]);
    expect(eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input)).toEqual([
      { Entries: [...events, sweep].map(entryOf) },
      {
        Entries: events.map((event) => ({
          Source: 'subzone',
          DetailType: event.detailType,
          Detail: JSON.stringify({ ...event.detail, sentence: `sentence about ${event.detail.name}` }),
          EventBusName: busOf('222222222222'),
        })),
      },
    ]);
  });

  it('delivers no copy of an event the hub bus refused, and never flags an event for a failed copy', async () => {
    // Prepare
    const events = [outcome(0), outcome(1)];
    const undelivered: OutcomeEvent[] = [];
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ EventId: 'id' }, { ErrorCode: 'InternalFailure' }] })
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'AccessDeniedException' }] });

    // Act
    const failed = await delivering((_error, copies) => undelivered.push(...copies)).publish(events);

    // Assess
    expect(failed).toEqual([events[1]]);
    const copies = eventBridge.commandCalls(PutEventsCommand)[1]?.args[0].input.Entries ?? [];
    expect(copies.map((entry) => JSON.parse(entry.Detail ?? '{}').zoneId)).toEqual(['Z0']);
    expect(undelivered).toEqual([events[0]]);
  });
});
