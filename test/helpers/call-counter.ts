/**
 * Counts the requests a real SDK v3 client sends, per operation, with a middleware: used by
 * the scenarios and the benchmark to count Route 53 / STS calls step by step. Every HTTP
 * attempt counts (a throttled call retried once counts twice), as it does against the quota.
 * Clients mocked with aws-sdk-client-mock send nothing and count nothing.
 */
import type { FinalizeRequestMiddleware, HandlerExecutionContext, MiddlewareStack } from '@smithy/types';

/** A client whose middleware stack accepts the counter (every SDK v3 client). */
export interface CountableClient<Input extends object, Output extends object> {
  readonly middlewareStack: MiddlewareStack<Input, Output>;
}

/** Calls per operation name (`ListHostedZones`, `AssumeRole`, ...). */
export class CallCounter {
  private readonly counts = new Map<string, number>();

  /** Starts counting the requests of `client`; returns a function that stops it. */
  attach<Input extends object, Output extends object>(client: CountableClient<Input, Output>): () => void {
    const name = `subzoneCallCounter${CallCounter.nextId++}`;
    const middleware: FinalizeRequestMiddleware<Input, Output> = (next, context: HandlerExecutionContext) => async (args) => {
      const operation = context.commandName?.replace(/Command$/, '') ?? 'unknown';
      this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
      return next(args);
    };
    client.middlewareStack.addRelativeTo(middleware, {
      name,
      relation: 'after',
      toMiddleware: 'retryMiddleware',
    });
    return () => {
      client.middlewareStack.remove(name);
    };
  }

  /** Calls of one operation so far. */
  count(operation: string): number {
    return this.counts.get(operation) ?? 0;
  }

  /** Calls of every operation so far. */
  total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  /** A copy of the counts, by operation, sorted by name. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Forgets every count (between the steps of a scenario). */
  reset(): void {
    this.counts.clear();
  }

  private static nextId = 0;
}
