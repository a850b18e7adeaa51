/** The Clock and IdSource of a real process: wall-clock time, timers, random UUIDs. */
import { randomUUID } from 'node:crypto';
import type { Clock, IdSource } from '../core/ports';

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export const randomIds: IdSource = { next: () => randomUUID() };
