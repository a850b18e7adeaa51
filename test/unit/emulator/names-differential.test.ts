/**
 * The emulator's reading of Route 53 names (emulator/domain-names.ts) against the project's
 * normaliser (functions/core/names.ts), over generated names: escapes, punctuation, Punycode,
 * underscores, wildcards, case, trailing dots and lengths around the limits. The two are
 * written separately; where they differ on purpose, the test says why.
 */
import fc from 'fast-check';
import { toASCII } from 'punycode/punycode.js';
import { compareNames, isAtOrBelow, namesBetween, parseName } from '../../../emulator/domain-names';
import * as project from '../../../functions/core/names';

const RUNS = 2000;
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_'.split('');
/** Printable ASCII other than letters, digits, `-`, `_`, `.` and `\`: allowed as is, returned escaped. */
const PUNCTUATION = '!"#$%&\'()*+,/:;<=>?@[]^`{|}~'.split('');
const UNICODE_LETTERS = ['ü', 'Ü', 'é', 'ß', 'ж', 'Ж', '中', '国', 'ü', 'a', 'z'];

const octalEscape = fc.integer({ min: 0, max: 255 }).map((byte) => `\\${byte.toString(8).padStart(3, '0')}`);
const piece = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...LETTERS) },
  { weight: 2, arbitrary: fc.constantFrom(...PUNCTUATION) },
  { weight: 2, arbitrary: octalEscape },
  { weight: 1, arbitrary: fc.constantFrom(...PUNCTUATION, '.', '\\', 'a', 'Q').map((char) => `\\${char}`) },
);
const punycodeLabel = fc
  .array(fc.constantFrom(...UNICODE_LETTERS), { minLength: 1, maxLength: 8 })
  .map((chars) => toASCII(chars.join('').toLowerCase()));
const asciiLabel = fc.oneof(
  { weight: 12, arbitrary: fc.array(piece, { minLength: 1, maxLength: 10 }).map((pieces) => pieces.join('')) },
  { weight: 2, arbitrary: fc.integer({ min: 58, max: 66 }).map((length) => 'x'.repeat(length)) },
  { weight: 2, arbitrary: punycodeLabel },
  { weight: 1, arbitrary: fc.constantFrom('*', '\\052', '_tcp', '_acme-challenge', 'XN--BCHER-KVA') },
  { weight: 1, arbitrary: fc.constant('') },
);
/** A name as a request might spell it: ASCII only, any case, trailing dot or not. */
const asciiName = fc
  .tuple(fc.array(asciiLabel, { minLength: 1, maxLength: 6 }), fc.constantFrom('example.com', 'Example.COM', 'com'), fc.boolean())
  .map(([labels, suffix, dot]) => `${[...labels, suffix].join('.')}${dot ? '.' : ''}`);
const unicodeName = fc
  .tuple(fc.array(fc.constantFrom(...UNICODE_LETTERS), { minLength: 1, maxLength: 8 }), fc.constantFrom('example.com', 'Example.com.'))
  .filter(([chars]) => chars.some((char) => char.charCodeAt(0) > 0x7f))
  .map(([chars, suffix]) => `${chars.join('')}.${suffix}`);

function emulatorName(input: string): string | undefined {
  const parsed = parseName(input);
  return parsed.ok ? parsed.name : undefined;
}

function projectName(input: string): string | undefined {
  const parsed = project.tryNormaliseName(input);
  return parsed.ok ? parsed.name : undefined;
}

/** A valid name (in both readings) holding no escaped dot; see the ordering test for why. */
const storedName = asciiName.map(emulatorName).filter((name): name is string => name !== undefined && !name.includes('\\056'));
/**
 * Names built from a few short labels that differ in one byte around `.` (`-` and `/` are
 * its neighbours), so that two draws often share all but their last characters: where the
 * order is decided by the end of a label.
 */
const NEAR_LABELS = ['a', 'A', 'a-', 'a/', 'a!', 'a\\000', 'a\\377', 'ab', '-', '*', '\\052', '_'];
const nearName = fc
  .array(fc.constantFrom(...NEAR_LABELS), { minLength: 1, maxLength: 3 })
  .map((labels) => emulatorName(`${labels.join('.')}.example.com`))
  .filter((name): name is string => name !== undefined);
const orderedName = fc.oneof(storedName, nearName);

describe('the emulator and the project read names alike', () => {
  it('accepts and rejects the same ASCII names, and stores them in the same form', () => {
    fc.assert(
      fc.property(asciiName, (input) => {
        // Prepare
        // Act
        const emulator = emulatorName(input);
        const ours = projectName(input);

        // Assess
        expect(emulator).toBe(ours);
      }),
      { numRuns: RUNS },
    );
  });

  it('stores every name the project sends exactly as the project wrote it', () => {
    fc.assert(
      fc.property(fc.oneof(asciiName, unicodeName), (input) => {
        // Prepare
        const sent = projectName(input);
        fc.pre(sent !== undefined);

        // Act
        const stored = emulatorName(`${sent}.`);

        // Assess
        expect(stored).toBe(sent);
      }),
      { numRuns: RUNS },
    );
  });

  it('rejects Unicode that the project turns into Punycode itself', () => {
    // Route 53's API takes ASCII only ("To specify an internationalized domain name (IDN),
    // convert the name to Punycode", DomainNameFormat.html). The project accepts Unicode
    // typed by people and only ever sends its Punycode form, which the test above shows
    // Route 53 keeps as is.
    fc.assert(
      fc.property(unicodeName, (input) => {
        // Act
        const emulator = parseName(input);
        const ours = projectName(input);

        // Assess
        expect(emulator.ok).toBe(false);
        expect(ours).toBe(emulatorName(toASCII(input.normalize('NFC').toLowerCase())));
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['a raw space', 'a b.example.com'],
    ['a raw tab', 'a\tb.example.com'],
    ['a backslash before a space', 'a\\ b.example.com'],
  ])('rejects %s, which the project reads and escapes', (_case, input) => {
    // Route 53 wants bytes 000 to 040 octal written as `\ddd` (DomainNameFormat.html); the
    // project is lenient with what people type and sends only the escaped form.
    // Act
    const emulator = parseName(input);
    const ours = projectName(input);

    // Assess
    expect(emulator.ok).toBe(false);
    expect(ours).toBe('a\\0' + (input.includes('\t') ? '11' : '40') + 'b.example.com');
  });
});

describe('the emulator and the project order and relate names alike', () => {
  it('orders two names the same way', () => {
    // A dot inside a label (`\056`) is left out: Route 53's page does not say where it
    // sorts. The project compares decoded bytes (`a\056b` as `a.b`), the emulator sorts it
    // just before a label boundary so that every name below another stays right after it;
    // see domain-names.test.ts.
    fc.assert(
      fc.property(orderedName, orderedName, (a, b) => {
        // Act
        const emulator = Math.sign(compareNames(a, b));
        const ours = Math.sign(project.compareCanonicalOrder(a, b));

        // Assess
        expect(emulator).toBe(ours);
      }),
      { numRuns: RUNS },
    );
  });

  it('agrees on which names lie below which, and on the names between', () => {
    const related = fc
      .tuple(storedName, fc.array(asciiLabel, { maxLength: 3 }), fc.boolean())
      .map(([ancestor, labels, below]) => [
        below ? emulatorName([...labels, ancestor].join('.')) : emulatorName(labels.join('.') || 'x'),
        ancestor,
      ])
      .filter((pair): pair is [string, string] => pair[0] !== undefined);
    fc.assert(
      fc.property(related, ([name, ancestor]) => {
        // Act
        const emulator = [isAtOrBelow(name, ancestor), namesBetween(name, ancestor)];
        const ours = [project.isAtOrBelow(name, ancestor), project.namesBetween(name, ancestor)];

        // Assess
        expect(emulator).toEqual(ours);
      }),
      { numRuns: RUNS },
    );
  });
});
