import { compareNames, isAtOrBelow, isStrictlyBelow, nameFromBytes, namesBetween, parseName, toFqdn } from '../../../emulator/domain-names';

describe('parseName', () => {
  it.each([
    ['a trailing dot', 'foo.example.com.', 'foo.example.com'],
    ['upper case', 'Foo.EXAMPLE.com', 'foo.example.com'],
    ['a typed asterisk', '*.example.com', '\\052.example.com'],
    ['an escaped upper-case letter', '\\106oo.example.com', 'foo.example.com'],
    ['an escaped dot inside a label', 'a\\056b.example.com', 'a\\056b.example.com'],
    ['a backslash before a punctuation mark', 'a\\.b.example.com', 'a\\056b.example.com'],
    ['punctuation returned escaped', "a!b'c.example.com", 'a\\041b\\047c.example.com'],
    ['underscore and hyphen kept', '_acme-challenge.example.com', '_acme-challenge.example.com'],
    ['a byte above \\177', 'ex\\344mple.com', 'ex\\344mple.com'],
    ['Punycode as given, lower-cased', 'XN--BCHER-KVA.example.com', 'xn--bcher-kva.example.com'],
  ])('reads %s', (_case, input, expected) => {
    // Act
    const parsed = parseName(input);

    // Assess
    expect(parsed).toEqual({ ok: true, name: expected });
  });

  it.each([
    ['an empty name', '', 'the name is empty'],
    ['the root', '.', 'the name is empty'],
    ['an empty label', 'a..example.com', 'label 2 is empty'],
    ['a 64-byte label', `${'a'.repeat(64)}.example.com`, 'label 1 is 64 bytes'],
    ['a 256-byte name', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`, 'the name is 256 bytes'],
    ['Unicode', 'bücher.example.com', 'Punycode'],
    ['a raw space', 'a b.example.com', 'must be written as an octal escape'],
    ['a non-octal escape', 'a\\089.example.com', 'three octal digits'],
    ['an escape above \\377', 'a\\400.example.com', 'three octal digits'],
    ['a lone backslash', 'example.com\\', 'lone backslash'],
  ])('rejects %s', (_case, input, reason) => {
    // Act
    const parsed = parseName(input);

    // Assess
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toContain(reason);
  });

  it('accepts a name of exactly 255 bytes', () => {
    // Prepare
    const name = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;

    // Act
    const parsed = parseName(name);

    // Assess
    expect(parsed).toEqual({ ok: true, name });
  });
});

describe('compareNames', () => {
  it('lists names by reversed labels, with the trailing dot of each label in the comparison', () => {
    // Prepare
    const names = [
      'www.example.com',
      'a.example.com',
      'z.a.example.com',
      'a-b.example.com',
      'example.com',
      'a\\041.example.com',
      '\\052.example.com',
    ];

    // Act
    const sorted = [...names].sort(compareNames);

    // Assess
    expect(sorted).toEqual([
      'example.com',
      '\\052.example.com',
      'a\\041.example.com',
      'a-b.example.com',
      'a.example.com',
      'z.a.example.com',
      'www.example.com',
    ]);
  });

  it('keeps every name below a name right after it, even past a dot inside a label', () => {
    // Prepare
    const names = ['b.a.example.com', 'z.a\\056b.example.com', 'c.b.a.example.com', 'a\\056b.example.com'];

    // Act
    const sorted = [...names].sort(compareNames);

    // Assess
    expect(sorted).toEqual(['a\\056b.example.com', 'z.a\\056b.example.com', 'b.a.example.com', 'c.b.a.example.com']);
  });
});

describe('name relations', () => {
  it.each([
    ['foo.example.com', 'example.com', true, true],
    ['example.com', 'example.com', true, false],
    ['xexample.com', 'example.com', false, false],
    ['a\\056example.com', 'example.com', false, false],
  ])('%s against %s: at or below %s, strictly below %s', (name, ancestor, atOrBelow, strictlyBelow) => {
    // Act
    const results = [isAtOrBelow(name, ancestor), isStrictlyBelow(name, ancestor)];

    // Assess
    expect(results).toEqual([atOrBelow, strictlyBelow]);
  });

  it('lists the names between an apex and a name, nearest the apex first', () => {
    // Act
    const between = namesBetween('a.b.c.example.com', 'example.com');

    // Assess
    expect(between).toEqual(['c.example.com', 'b.c.example.com']);
  });

  it('reads labels of bytes from a DNS message, and refuses characters that are not bytes', () => {
    // Act
    const read = nameFromBytes([
      [0x57, 0x2a],
      [0x65, 0x78],
      [0x63, 0x6f, 0x6d],
    ]);
    const refused = nameFromBytes([[0xfffd], [0x63, 0x6f, 0x6d]]);

    // Assess
    expect(read).toBe('w\\052.ex.com');
    expect(refused).toBeUndefined();
    expect(toFqdn('ex.com')).toBe('ex.com.');
  });
});
