/**
 * Starts one emulator for a test file (beforeAll) and stops it after (afterAll), and builds
 * SDK client settings that act in a given account against it. Only tests pass `endpoint`
 * explicitly; code under test reads it from AWS_ENDPOINT_URL.
 */
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator';
import type { AccountId } from '../../functions/core/types';

/** Registers the hooks; call the returned function inside tests to get the emulator. */
export function useEmulator(options: EmulatorOptions = {}): () => Emulator {
  let emulator: Emulator | undefined;
  beforeAll(async () => {
    emulator = await startEmulator(options);
  });
  afterAll(async () => {
    await emulator?.stop();
  });
  return () => {
    if (!emulator) throw new Error('the emulator is not running: call useEmulator() at the top of a describe block');
    return emulator;
  };
}

/** SDK client settings acting in `account` (default: the hub). */
export interface EmulatorClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly maxAttempts?: number;
}

/** Settings for a real SDK client acting in `account` against the emulator. */
export function clientConfig(
  emulator: Emulator,
  account: AccountId = emulator.hubAccount,
  extra: { readonly maxAttempts?: number } = {},
): EmulatorClientConfig {
  return { endpoint: emulator.endpoint, region: 'us-east-1', credentials: emulator.credentialsFor(account), ...extra };
}
