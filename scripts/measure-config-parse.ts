/**
 * Times parseConfig on generated allowlists of growing size, to show that its cost grows
 * linearly with the number of rules: `npx tsx scripts/measure-config-parse.ts [sizes...]`.
 * Prints, per size, the best of three runs and the time per rule next to the smallest
 * size's time per rule (the minimum a linear parse would keep).
 */
import { performance } from 'node:perf_hooks';
import { parseConfig } from '../functions/core/config-schema';

/** A config with `rules` rules: exact names, a wildcard every tenth rule, and names below both. */
function generatedConfig(rules: number): Record<string, unknown> {
  return {
    version: 1,
    mode: 'enforce',
    parentZones: [
      { name: 'example.com', hostedZoneId: 'ZPARENT' },
      { name: 'example.org', hostedZoneId: 'ZORG' },
    ],
    rules: Array.from({ length: rules }, (_, index) => ({
      name: index % 10 === 0 ? `*.team${index}.example.com` : `svc${index}.team${index - (index % 10)}.example.com`,
      accounts: [String(100_000_000_000 + (index % 997)), String(200_000_000_000 + (index % 13))],
    })),
  };
}

function bestOfThree(raw: unknown): number {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 3; run += 1) {
    const started = performance.now();
    parseConfig(raw);
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

const sizes = process.argv.slice(2).map(Number);
// One run first, so the figures compare the parse and not the JIT warming up.
parseConfig(generatedConfig(1_000));
const measured = (sizes.length > 0 ? sizes : [1_000, 5_000, 10_000, 20_000]).map((rules) => ({
  rules,
  ms: bestOfThree(generatedConfig(rules)),
}));
const baseline = (measured[0]?.ms ?? 0) / (measured[0]?.rules ?? 1);
for (const { rules, ms } of measured) {
  const perRule = ms / rules;
  console.log(
    `config-parse: ${rules} rules in ${ms.toFixed(0)} ms, ${(perRule * 1000).toFixed(1)} µs/rule ` +
      `(smallest size: ${(baseline * 1000).toFixed(1)} µs/rule, ratio ${(perRule / baseline).toFixed(2)})`,
  );
}
