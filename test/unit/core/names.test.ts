import { NameError } from '../../../functions/core/errors';
import {
  compareCanonicalOrder,
  isAtOrBelow,
  isStrictlyBelow,
  labelsOf,
  namesBetween,
  normaliseName,
  normaliseRulePattern,
  normaliseValueSet,
  sameValueSet,
  toFqdn,
  toIamNamePattern,
  tryNormaliseName,
} from '../../../functions/core/names';

const label = (length: number, char = 'a'): string => char.repeat(length);
/** A name of exactly `wireBytes` bytes in wire form, made of 63-byte labels and one shorter one. */
function nameOfWireLength(wireBytes: number): string {
  const labels: string[] = [];
  let remaining = wireBytes - 1;
  while (remaining > 64) {
    labels.push(label(63));
    remaining -= 64;
  }
  labels.push(label(remaining - 1, 'b'));
  return labels.join('.');
}

describe('normaliseName', () => {
  it.each([
    ['a plain name', 'foo.example.com', 'foo.example.com'],
    ['a trailing dot', 'foo.example.com.', 'foo.example.com'],
    ['upper case', 'Foo.EXAMPLE.Com.', 'foo.example.com'],
    ['the wildcard label as Route 53 returns it', '\\052.example.com.', '\\052.example.com'],
    ['a typed asterisk', '*.example.com', '\\052.example.com'],
    ['an escaped dot inside a label', 'a\\.b.example.com', 'a\\056b.example.com'],
    ['an octal-escaped dot inside a label', 'a\\056b.example.com', 'a\\056b.example.com'],
    ['a space', 'a b.example.com', 'a\\040b.example.com'],
    ['an escaped space', 'a\\ b.example.com', 'a\\040b.example.com'],
    ['an octal escape of a letter, lower-cased', '\\106oo.example.com', 'foo.example.com'],
    ['an escaped backslash', 'a\\\\b.example.com', 'a\\134b.example.com'],
    ['underscore and hyphen kept', '_acme-challenge.example.com', '_acme-challenge.example.com'],
    ['a byte above \\177 kept escaped', '\\303\\274.example.com', '\\303\\274.example.com'],
    ['an IDN label as punycode', 'bücher.example.com', 'xn--bcher-kva.example.com'],
    ['an upper-case IDN label', 'BÜCHER.example.com', 'xn--bcher-kva.example.com'],
    ['an IDN label already in punycode', 'XN--BCHER-KVA.example.com.', 'xn--bcher-kva.example.com'],
    ['a decomposed IDN label (NFC first)', 'bu\u0308cher.example.com', 'xn--bcher-kva.example.com'],
    ['an ideographic full stop as a dot', 'bücher\u3002example.com', 'xn--bcher-kva.example.com'],
    ['a single label', 'com', 'com'],
  ])('normalises %s', (_case, input, expected) => {
    // Prepare
    // Act
    const name = normaliseName(input);
    // Assess
    expect(name).toBe(expected);
  });

  it.each([
    ['an empty name', '', 'the name is empty'],
    ['the root alone', '.', 'the name is empty'],
    ['an empty label', 'a..b', 'label 2 is empty'],
    ['a leading dot', '.example.com', 'label 1 is empty'],
    ['two trailing dots', 'example.com..', 'label 3 is empty'],
    ['an escape above \\377', 'a\\400.example.com', 'escape "\\400" is above \\377'],
    ['a two-digit escape', 'a\\05.example.com', 'malformed escape "\\05."'],
    ['an escape with a non-octal digit', 'a\\089.example.com', 'malformed escape "\\089"'],
    ['a lone trailing backslash', 'example.com\\', 'it ends with a lone backslash'],
    ['Unicode mixed with escapes', 'bü\\041.example.com', 'label 1 mixes Unicode characters with backslash escapes'],
    ['a 64-byte label', `${label(64)}.example.com`, 'label 1 is 64 bytes long; at most 63 are allowed'],
    ['a 256-byte name', nameOfWireLength(256), 'the name is 256 bytes long in wire format; at most 255 are allowed'],
  ])('rejects %s', (_case, input, reason) => {
    // Prepare
    // Act
    const act = (): string => normaliseName(input);
    // Assess
    expect(act).toThrow(NameError);
    expect(act).toThrow(`invalid domain name ${JSON.stringify(input)}: ${reason}`);
  });

  it.each([
    ['a 63-byte label', `${label(63)}.example.com`],
    ['a 255-byte name', nameOfWireLength(255)],
    ['a 255-byte name with a trailing dot', `${nameOfWireLength(255)}.`],
  ])('accepts %s', (_case, input) => {
    // Prepare
    // Act
    const name = normaliseName(input);
    // Assess
    expect(name).toBe(input.replace(/\.$/, ''));
  });

  it('counts an escaped byte as one byte of its label', () => {
    // Prepare
    const input = `${'\\052'.repeat(63)}.example.com`;
    // Act
    const name = normaliseName(input);
    // Assess
    expect(name).toBe(input);
  });

  it('rejects a label of 64 bytes once its escapes are decoded', () => {
    // Prepare
    const input = `${'\\052'.repeat(64)}.example.com`;
    // Act
    const act = (): string => normaliseName(input);
    // Assess
    expect(act).toThrow('label 1 is 64 bytes long');
  });

  it('is idempotent on its own output', () => {
    // Prepare
    const once = normaliseName('*.A\\.b c.Ü.example.com.');
    // Act
    const twice = normaliseName(once);
    // Assess
    expect(twice).toBe(once);
  });
});

describe('tryNormaliseName', () => {
  it('returns the canonical name', () => {
    // Prepare
    // Act
    const result = tryNormaliseName('Foo.Example.com.');
    // Assess
    expect(result).toEqual({ ok: true, name: 'foo.example.com' });
  });

  it('returns the NameError of a bad name', () => {
    // Prepare
    // Act
    const result = tryNormaliseName('a..b');
    // Assess
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toBeInstanceOf(NameError);
    expect(!result.ok && result.error.input).toBe('a..b');
  });
});

describe('normaliseRulePattern and toIamNamePattern', () => {
  it.each([
    ['an exact name', 'Foo.Example.com.', 'foo.example.com'],
    ['a wildcard', '*.Dev.Example.com', '*.dev.example.com'],
    ['a wildcard over an IDN', '*.bücher.example.com', '*.xn--bcher-kva.example.com'],
    ['an escaped asterisk as a literal', '\\*.example.com', '\\052.example.com'],
    ['IAM syntax characters escaped', 'a?$b.example.com', 'a\\077\\044b.example.com'],
  ])('renders %s', (_case, input, expected) => {
    // Prepare
    // Act
    const pattern = normaliseRulePattern(input);
    const iam = toIamNamePattern(input);
    // Assess
    expect(pattern).toBe(expected);
    expect(iam).toBe(expected);
  });

  it.each([
    ['an asterisk inside a label', 'a*.example.com', 'a "*" is allowed only as the whole leftmost label'],
    ['an asterisk in a lower label', 'foo.*.example.com', 'a "*" is allowed only as the whole leftmost label'],
    ['two wildcard labels', '*.*.example.com', 'a "*" is allowed only as the whole leftmost label'],
    ['a bare asterisk', '*', 'a "*" is allowed only as the whole leftmost label'],
    ['a wildcard without a name', '*.', 'a wildcard needs a name after "*."'],
    ['a wildcard over a bad name', '*.a..b', 'label 2 is empty'],
  ])('rejects %s', (_case, input, reason) => {
    // Prepare
    // Act
    const act = (): string => toIamNamePattern(input);
    // Assess
    expect(act).toThrow(NameError);
    expect(act).toThrow(reason);
  });
});

describe('name relations', () => {
  it('adds the trailing dot', () => {
    // Prepare
    // Act
    const fqdn = toFqdn('foo.example.com');
    // Assess
    expect(fqdn).toBe('foo.example.com.');
  });

  it('splits labels without splitting escaped dots', () => {
    // Prepare
    // Act
    const labels = labelsOf('a\\056b.example.com');
    // Assess
    expect(labels).toEqual(['a\\056b', 'example', 'com']);
  });

  it.each([
    ['foo.example.com', 'example.com', true, true],
    ['a.b.example.com', 'example.com', true, true],
    ['example.com', 'example.com', true, false],
    ['badexample.com', 'example.com', false, false],
    ['a\\056example.com', 'example.com', false, false],
    ['example.com', 'foo.example.com', false, false],
    ['other.org', 'example.com', false, false],
  ])('relates %s to %s (at or below: %s, strictly below: %s)', (name, ancestor, atOrBelow, strictlyBelow) => {
    // Prepare
    // Act
    const results = [isAtOrBelow(name, ancestor), isStrictlyBelow(name, ancestor)];
    // Assess
    expect(results).toEqual([atOrBelow, strictlyBelow]);
  });

  it.each([
    ['a.b.c.example.com', 'example.com', ['c.example.com', 'b.c.example.com']],
    ['foo.example.com', 'example.com', []],
    ['example.com', 'example.com', []],
    ['foo.other.org', 'example.com', []],
  ])('lists the names between %s and %s', (name, apex, expected) => {
    // Prepare
    // Act
    const between = namesBetween(name, apex);
    // Assess
    expect(between).toEqual(expected);
  });
});

describe('value sets', () => {
  it('normalises, de-duplicates and sorts name values', () => {
    // Prepare
    const values = ['NS-2.awsdns-02.net.', 'ns-1.awsdns-01.com', 'ns-2.awsdns-02.net'];
    // Act
    const set = normaliseValueSet(values);
    // Assess
    expect(set).toEqual(['ns-1.awsdns-01.com', 'ns-2.awsdns-02.net']);
  });

  it.each([
    ['order, case and trailing dots ignored', ['ns-1.a.com.', 'NS-2.B.NET'], ['ns-2.b.net', 'ns-1.a.com'], true],
    ['escapes decoded', ['a\\.b.example.com'], ['a\\056b.example.com.'], true],
    ['a missing value', ['ns-1.a.com', 'ns-2.b.net'], ['ns-1.a.com'], false],
    ['a different value', ['ns-1.a.com'], ['ns-1.a.org'], false],
    ['both empty', [], [], true],
  ])('compares sets with %s', (_case, a, b, same) => {
    // Prepare
    // Act
    const result = sameValueSet(a, b);
    // Assess
    expect(result).toBe(same);
  });

  it('rejects a value that is not a name', () => {
    // Prepare
    // Act
    const act = (): string[] => normaliseValueSet(['ns-1..com']);
    // Assess
    expect(act).toThrow(NameError);
  });
});

describe('compareCanonicalOrder', () => {
  it('sorts like Route 53 lists: labels reversed, decoded bytes, dot after each label', () => {
    // Prepare
    const names = [
      'z.example.com',
      'b.a.example.com',
      'a.example.com',
      'example.com',
      'a-b.example.com',
      '\\052.example.com',
      'a.example.net',
      'zz.example.com',
    ];
    // Act
    const sorted = [...names].sort(compareCanonicalOrder);
    // Assess
    expect(sorted).toEqual([
      'example.com',
      '\\052.example.com',
      'a-b.example.com',
      'a.example.com',
      'b.a.example.com',
      'z.example.com',
      'zz.example.com',
      'a.example.net',
    ]);
  });

  it.each([
    ['equal names', 'a.example.com', 'a.example.com', 0],
    ['a parent before its child', 'example.com', 'a.example.com', -1],
    ['a child after its parent', 'a.example.com', 'example.com', 1],
    ['an escaped dot against a real one, tie broken by the text', 'b\\056a.example.com', 'a.b.example.com', 1],
  ])('orders %s', (_case, a, b, sign) => {
    // Prepare
    // Act
    const result = Math.sign(compareCanonicalOrder(a, b));
    // Assess
    expect(result).toBe(sign);
  });
});
