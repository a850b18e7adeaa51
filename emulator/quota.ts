/**
 * An optional per-account request quota: one token bucket per account, shared by every call
 * to the limited services (Route 53 by default, whose account-wide bucket AWS documents as
 * 10 requests per second with a burst of 50: the Route 53 Developer Guide's 'Quotas' page).
 */
import type { AccountId } from '../functions/core/types';
import type { ServiceName } from './types';

/** The quota's shape. */
export interface QuotaSettings {
  /** Tokens added per second. @default 10 */
  readonly ratePerSecond: number;
  /** Bucket size, and the tokens a fresh bucket starts with. @default 50 */
  readonly burst: number;
  /** Services whose calls take tokens. @default ['route53'] */
  readonly services: readonly ServiceName[];
}

/** Route 53's documented account-wide bucket (Route 53 Developer Guide, 'Quotas'). */
export const DEFAULT_QUOTA: QuotaSettings = { ratePerSecond: 10, burst: 50, services: ['route53'] };

/** Settings the quota cannot work with. */
export class InvalidQuotaError extends Error {
  constructor(field: string, value: unknown, expected: string) {
    super(`invalid quota: ${field} is ${JSON.stringify(value)}, expected ${expected}`);
    this.name = 'InvalidQuotaError';
  }
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Off until `enable()`; then each call to a limited service takes one token of its account. */
export class RequestQuota {
  private current: QuotaSettings | undefined;
  private readonly buckets = new Map<AccountId, Bucket>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Turns the quota on (fresh, full buckets), with the defaults for what is left out. */
  enable(settings: Partial<QuotaSettings> = {}): QuotaSettings {
    const merged = { ...DEFAULT_QUOTA, ...settings };
    if (!(Number.isFinite(merged.ratePerSecond) && merged.ratePerSecond > 0)) {
      throw new InvalidQuotaError('ratePerSecond', merged.ratePerSecond, 'a positive number');
    }
    if (!(Number.isInteger(merged.burst) && merged.burst >= 1)) {
      throw new InvalidQuotaError('burst', merged.burst, 'a positive integer');
    }
    this.current = merged;
    this.buckets.clear();
    return merged;
  }

  disable(): void {
    this.current = undefined;
    this.buckets.clear();
  }

  /** The settings in force, or undefined when the quota is off. */
  settings(): QuotaSettings | undefined {
    return this.current;
  }

  /** Takes a token for a call; false means the call must be refused with Throttling. */
  take(account: AccountId, service: ServiceName): boolean {
    const settings = this.current;
    if (!settings || !settings.services.includes(service)) return true;
    const now = this.now();
    const bucket = this.buckets.get(account) ?? { tokens: settings.burst, updatedAt: now };
    bucket.tokens = Math.min(settings.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * settings.ratePerSecond);
    bucket.updatedAt = now;
    this.buckets.set(account, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
