/**
 * What a chaos run does, as plain data fast-check can generate, shrink and print: child
 * accounts acting on their zones, people editing the parent by hand, rules added and
 * dropped, and per step how events are delivered and which faults, crashes and time-outs
 * the world throws at the worker. Names are relative to the run's parent apex; accounts,
 * zones and records are picked by index, so a shrunk scenario still means something.
 */
import fc from 'fast-check';

/** Names the children claim, relative to the parent apex: nested on purpose, plus one no rule ever allows. */
export const RELATIVE_NAMES = ['foo', 'a.foo', 'b.a.foo', 'bar', 'dev', 'x.dev', 'y.dev', 'a.x.dev', 'stray'] as const;
export type RelativeName = (typeof RELATIVE_NAMES)[number];

/** Rule names rules may take (`*.dev` is a one-label wildcard); `stray` never has a rule. */
export const RULE_NAMES = ['foo', 'a.foo', 'b.a.foo', 'bar', 'dev', '*.dev', 'x.dev'] as const;
export type RuleName = (typeof RULE_NAMES)[number];

/** The opt-in tag's configured value, and the near miss that must not count (the value compares exactly). */
export const OPT_IN_VALUE = 'true';
export const NEAR_MISS_VALUE = 'True';
/** A zone created without the tag. */
export const UNTAGGED = 'none';

export interface RuleSpec {
  readonly name: RuleName;
  /** Indices into the run's accounts. */
  readonly accounts: readonly number[];
  /** A rule of its own TTL; the config's default otherwise. */
  readonly shortTtl: boolean;
}

export type Action =
  /**
   * `tag`: the opt-in tag's value at creation, or `none` for a zone created untagged.
   * `claimant`: the account is picked among those the name's winning rule lists (if any), so most claims may succeed.
   * `signs`: the team signs the zone once it is delegated (a key and EnableHostedZoneDNSSEC, tried at the start of
   * every later step and before the final sweeps).
   */
  | {
      readonly kind: 'create';
      readonly account: number;
      readonly claimant: boolean;
      readonly name: RelativeName;
      readonly privateZone: boolean;
      readonly tag: string;
      readonly signs: boolean;
    }
  /** `zone` picks among every child zone of the run that exists, oldest first (the DNSSEC actions: every public one). */
  | { readonly kind: 'tag'; readonly zone: number; readonly value: string }
  | { readonly kind: 'untag'; readonly zone: number }
  | { readonly kind: 'delete'; readonly zone: number }
  /** A person puts an NS record of other name servers at a name (a delegation subzone does not own). */
  | { readonly kind: 'hand-foreign-ns'; readonly name: RelativeName }
  /** A person puts an A record at a name (a name in use, records below a name). */
  | { readonly kind: 'hand-address'; readonly name: RelativeName }
  /** A person copies a child zone's name servers into the parent by hand (subzone may adopt it). */
  | { readonly kind: 'hand-copy'; readonly zone: number }
  /** A person deletes a record of the parent (subzone's or not). */
  | { readonly kind: 'hand-delete'; readonly record: number }
  /** A person changes the values of an NS or DS record of the parent. */
  | { readonly kind: 'hand-edit'; readonly record: number }
  /**
   * DNSSEC, on a public zone picked by index. `sign`: an ACTIVE key-signing key if the zone has
   * none, then EnableHostedZoneDNSSEC; `unsign`: DisableHostedZoneDNSSEC; `add-key`: a second key,
   * ACTIVE or not (a rollover); `key-status`: activate or deactivate a key; `dnssec-tag`: tag
   * `subzone:dnssec=off`, `subzone:ds-retire=<the key's name>`, or remove both. Route 53's
   * refusals (KeySigningKeyInParentDSRecord, HostedZonePartiallyDelegated...) leave things as they are.
   */
  | { readonly kind: 'sign'; readonly zone: number }
  | { readonly kind: 'unsign'; readonly zone: number }
  | { readonly kind: 'add-key'; readonly zone: number; readonly active: boolean }
  | { readonly kind: 'key-status'; readonly zone: number; readonly key: number; readonly active: boolean }
  | { readonly kind: 'dnssec-tag'; readonly zone: number; readonly tag: 'off' | 'retire' | 'none'; readonly key: number }
  | { readonly kind: 'add-rule'; readonly rule: RuleSpec }
  | { readonly kind: 'drop-rule'; readonly rule: number };

/** What happens to one event on its way to the queue. */
export type Fate = 'once' | 'twice' | 'late' | 'lost';

/** Fault probabilities (0 is off) for one step. */
export interface FaultProfile {
  readonly throttle: number;
  readonly serverError: number;
  readonly priorRequestNotComplete: number;
  readonly lostResponse: number;
  readonly latencyMs: number;
  readonly ledger: number;
}

/** Invocations that die: after a number of port calls, or past a real-time budget. */
export interface CrashPlan {
  /** Chance that an invocation crashes. */
  readonly probability: number;
  /** The crash comes after this many completed port calls. */
  readonly afterCalls: number;
  /** An invocation still running after this many real milliseconds times out (0: never). */
  readonly timeoutMs: number;
}

/**
 * The kill switch during a step's run: `off` and `on` for the whole run, `set` and `clear`
 * flip it after the worker's `afterCalls`-th port call of the step (mid-invocation).
 */
export interface PausePlan {
  readonly mode: 'off' | 'on' | 'set' | 'clear';
  readonly afterCalls: number;
}

export interface Step {
  readonly actions: readonly Action[];
  /** Fates, taken in turn by the step's events. */
  readonly fates: readonly Fate[];
  /** Seed of the order the step's deliveries are shuffled into. */
  readonly order: number;
  /** The scheduler sends a sweep along with the events. */
  readonly sweep: boolean;
  readonly faults: FaultProfile;
  readonly crash: CrashPlan;
  readonly pause: PausePlan;
  /** Minutes the clock moves once the step has settled. */
  readonly minutes: number;
}

/** An account whose reader role is denied from the start until `steps` steps have run (its credentials are never cached before). */
export interface Unreadable {
  readonly account: number;
  readonly steps: number;
}

export interface Scenario {
  readonly accounts: number;
  readonly rules: readonly RuleSpec[];
  readonly steps: readonly Step[];
  readonly unreadable: Unreadable | null;
  /** The config's `dnssec.enabled`. */
  readonly dnssec: boolean;
}

/** How big the generated scenarios are. */
export interface ScenarioSize {
  readonly maxSteps: number;
  readonly maxActionsPerStep: number;
}

const MAX_ACCOUNTS = 6;
const index = fc.nat({ max: 7 });
const account = fc.nat({ max: MAX_ACCOUNTS - 1 });
const relativeName = fc.constantFrom(...RELATIVE_NAMES);

const ruleSpec: fc.Arbitrary<RuleSpec> = fc.record({
  name: fc.constantFrom(...RULE_NAMES),
  accounts: fc.uniqueArray(account, { minLength: 1, maxLength: 3 }),
  shortTtl: fc.boolean(),
});

const tagValue = fc.oneof({ weight: 4, arbitrary: fc.constant(OPT_IN_VALUE) }, { weight: 1, arbitrary: fc.constant(NEAR_MISS_VALUE) });

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      account,
      claimant: fc.constantFrom(true, true, true, false),
      name: relativeName,
      privateZone: fc.constantFrom(false, false, false, true),
      tag: fc.constantFrom(OPT_IN_VALUE, OPT_IN_VALUE, OPT_IN_VALUE, UNTAGGED, NEAR_MISS_VALUE),
      signs: fc.constantFrom(false, true, true),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('tag' as const), zone: index, value: tagValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('untag' as const), zone: index }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), zone: index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('hand-foreign-ns' as const), name: relativeName }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('hand-address' as const), name: relativeName }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('hand-copy' as const), zone: index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('hand-delete' as const), record: index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('hand-edit' as const), record: index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sign' as const), zone: index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unsign' as const), zone: index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('add-key' as const), zone: index, active: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('key-status' as const), zone: index, key: fc.nat({ max: 1 }), active: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('dnssec-tag' as const),
      zone: index,
      tag: fc.constantFrom('off' as const, 'retire' as const, 'none' as const),
      key: fc.nat({ max: 1 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('add-rule' as const), rule: ruleSpec }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop-rule' as const), rule: index }) },
);

const fate: fc.Arbitrary<Fate> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('once' as const) },
  { weight: 2, arbitrary: fc.constant('twice' as const) },
  { weight: 2, arbitrary: fc.constant('late' as const) },
  { weight: 1, arbitrary: fc.constant('lost' as const) },
);

const probability = (...values: number[]) => fc.constantFrom(0, ...values);

const faults: fc.Arbitrary<FaultProfile> = fc.record({
  throttle: probability(0.05, 0.15),
  serverError: probability(0.05),
  priorRequestNotComplete: probability(0.1, 0.2),
  lostResponse: probability(0.05, 0.1),
  latencyMs: fc.constantFrom(0, 0, 5, 20),
  ledger: probability(0.05, 0.1),
});

const crash: fc.Arbitrary<CrashPlan> = fc.record({
  probability: probability(0.2, 0.5),
  afterCalls: fc.integer({ min: 1, max: 40 }),
  timeoutMs: fc.constantFrom(0, 0, 150, 400),
});

const pause: fc.Arbitrary<PausePlan> = fc.record({
  mode: fc.constantFrom('off', 'off', 'off', 'on', 'set', 'clear'),
  afterCalls: fc.integer({ min: 1, max: 30 }),
});

/** Scenarios of 3 to 6 accounts and up to `size` steps. */
export function scenarioArbitrary(size: ScenarioSize): fc.Arbitrary<Scenario> {
  const step: fc.Arbitrary<Step> = fc.record({
    actions: fc.array(action, { minLength: 1, maxLength: size.maxActionsPerStep }),
    fates: fc.array(fate, { minLength: 1, maxLength: 5 }),
    order: fc.nat(),
    sweep: fc.boolean(),
    faults,
    crash,
    pause,
    minutes: fc.integer({ min: 0, max: 15 }),
  });
  // Most names start with a rule, so most claims can succeed and rule changes matter.
  const rules = fc
    .subarray([...RULE_NAMES], { minLength: 3 })
    .chain((names) => fc.tuple(...names.map((name) => ruleSpec.map((rule) => ({ ...rule, name })))));
  return fc.record({
    accounts: fc.integer({ min: 3, max: MAX_ACCOUNTS }),
    rules,
    steps: fc.array(step, { minLength: 1, maxLength: size.maxSteps }),
    dnssec: fc.constantFrom(true, true, false),
    unreadable: fc.oneof(
      { weight: 2, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.record({ account, steps: fc.integer({ min: 1, max: size.maxSteps }) }) },
    ),
  });
}
