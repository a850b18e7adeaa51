import { ProjectedParents } from '../../../functions/core/parent-view';
import type { RecordSet } from '../../../functions/core/types';
import { ORG_PARENT_ID, PARENT_ID, PARENT_NAME, parentView, recordSet } from '../../helpers/core-fixtures';

const APEX_NS = recordSet('example.com', 'NS', ['ns-1.awsdns-01.org.', 'ns-2.awsdns-02.com.'], 172800);
const APEX_SOA = recordSet('example.com', 'SOA', ['ns-1.awsdns-01.org. admin. 1 7200 900 1209600 86400'], 900);
const FOO_NS = recordSet('foo.example.com', 'NS', ['ns-9.awsdns-09.net.', 'ns-8.awsdns-08.org.']);
const FOO_DS = recordSet('foo.example.com', 'DS', ['12345 13 2 ABCDEF']);
const WWW_FOO_A = recordSet('www.foo.example.com', 'A', ['192.0.2.1'], 300);
const DEV_NS = recordSet('dev.example.com', 'NS', ['ns-7.awsdns-07.com.']);
const X_DEV_NS = recordSet('x.dev.example.com', 'NS', ['ns-6.awsdns-06.com.']);
const BAR_TXT = recordSet('bar.example.com', 'TXT', ['"hello"']);

function parents(records: readonly RecordSet[]): ProjectedParents {
  return new ProjectedParents([parentView(records, PARENT_ID, PARENT_NAME)]);
}

describe('ProjectedParents', () => {
  it.each([
    [PARENT_ID, true],
    [ORG_PARENT_ID, false],
  ])('says whether parent %s was read: %s', (parentZoneId, expected) => {
    // Prepare
    const view = parents([]);
    // Act
    const read = view.has(parentZoneId);
    // Assess
    expect(read).toBe(expected);
  });

  it.each<[string, readonly RecordSet[]]>([
    ['foo.example.com', [FOO_NS, FOO_DS]],
    ['www.foo.example.com', [WWW_FOO_A]],
    ['xfoo.example.com', []],
    ['example.com', [APEX_NS, APEX_SOA]],
  ])('lists every record set at exactly %s', (name, expected) => {
    // Prepare
    const view = parents([APEX_NS, APEX_SOA, FOO_NS, FOO_DS, WWW_FOO_A]);
    // Act
    const found = view.at(PARENT_ID, name);
    // Assess
    expect(found).toEqual(expected);
  });

  it.each<[string, RecordSet | undefined]>([
    ['foo.example.com', FOO_NS],
    ['www.foo.example.com', undefined],
    ['bar.example.com', undefined],
  ])('finds the NS record set at %s, and only an NS one', (name, expected) => {
    // Prepare
    const view = parents([FOO_NS, WWW_FOO_A, BAR_TXT]);
    // Act
    const found = view.nsAt(PARENT_ID, name);
    // Assess
    expect(found).toBe(expected);
  });

  it.each([
    ['foo.example.com', true],
    ['www.foo.example.com', false],
    ['xfoo.example.com', false],
    ['oo.example.com', false],
    ['example.com', true],
  ])('says whether records lie strictly below %s: %s', (name, expected) => {
    // Prepare
    const view = parents([WWW_FOO_A]);
    // Act
    const below = view.anyBelow(PARENT_ID, name);
    // Assess
    expect(below).toBe(expected);
  });

  it.each<[string, readonly RecordSet[], string, string | undefined]>([
    ['finds the delegation right above a name', [FOO_NS], 'a.foo.example.com', 'foo.example.com'],
    ['finds the delegation nearest the apex first', [DEV_NS, X_DEV_NS], 'y.x.dev.example.com', 'dev.example.com'],
    ['ignores the NS record of the apex', [APEX_NS], 'foo.example.com', undefined],
    ['ignores the NS record at the name itself', [FOO_NS], 'foo.example.com', undefined],
    ['ignores records of other types above the name', [BAR_TXT, WWW_FOO_A], 'a.www.foo.example.com', undefined],
    ['ignores delegations beside the name', [DEV_NS], 'foo.example.com', undefined],
  ])('%s', (_title, records, name, expected) => {
    // Prepare
    const view = parents(records);
    // Act
    const above = view.delegationAbove(PARENT_ID, name);
    // Assess
    expect(above).toBe(expected);
  });

  it('finds no delegation above a name in a parent that was not read', () => {
    // Prepare
    const view = parents([FOO_NS]);
    // Act
    const above = view.delegationAbove(ORG_PARENT_ID, 'a.foo.example.com');
    // Assess
    expect(above).toBeUndefined();
  });

  it('projects an added record set onto later reads', () => {
    // Prepare
    const view = parents([]);
    // Act
    view.add(PARENT_ID, FOO_NS);
    // Assess
    expect(view.nsAt(PARENT_ID, 'foo.example.com')).toBe(FOO_NS);
    expect(view.delegationAbove(PARENT_ID, 'a.foo.example.com')).toBe('foo.example.com');
  });

  it('projects a removed record set away, and only the type removed', () => {
    // Prepare
    const view = parents([FOO_NS, FOO_DS, WWW_FOO_A]);
    // Act
    view.remove(PARENT_ID, 'foo.example.com', 'NS');
    // Assess
    expect(view.at(PARENT_ID, 'foo.example.com')).toEqual([FOO_DS]);
    expect(view.at(PARENT_ID, 'www.foo.example.com')).toEqual([WWW_FOO_A]);
  });

  it('never changes the records it was built from', () => {
    // Prepare
    const records = [FOO_NS];
    const view = parents(records);
    // Act
    view.add(PARENT_ID, BAR_TXT);
    view.remove(PARENT_ID, 'foo.example.com', 'NS');
    // Assess
    expect(records).toEqual([FOO_NS]);
  });

  it.each<[string, readonly string[], boolean]>([
    ['the same values', ['ns-9.awsdns-09.net.', 'ns-8.awsdns-08.org.'], true],
    ['the same values in upper case, another order, without trailing dots', ['NS-8.AWSDNS-08.ORG', 'ns-9.awsdns-09.net'], true],
    ['fewer values', ['ns-9.awsdns-09.net.'], false],
    ['other values', ['ns-1.awsdns-01.org.', 'ns-8.awsdns-08.org.'], false],
  ])('says whether the NS record holds %s: %s', (_title, values, expected) => {
    // Prepare
    const view = parents([FOO_NS]);
    // Act
    const holds = view.nsHolds(PARENT_ID, 'foo.example.com', values);
    // Assess
    expect(holds).toBe(expected);
  });

  it('says an absent NS record holds nothing', () => {
    // Prepare
    const view = parents([BAR_TXT]);
    // Act
    const holds = view.nsHolds(PARENT_ID, 'bar.example.com', ['"hello"']);
    // Assess
    expect(holds).toBe(false);
  });

  it.each<[string, (view: ProjectedParents) => unknown]>([
    ['at', (view) => view.at(ORG_PARENT_ID, 'shop.example.org')],
    ['nsAt', (view) => view.nsAt(ORG_PARENT_ID, 'shop.example.org')],
    ['anyBelow', (view) => view.anyBelow(ORG_PARENT_ID, 'shop.example.org')],
    ['add', (view) => view.add(ORG_PARENT_ID, FOO_NS)],
    ['remove', (view) => view.remove(ORG_PARENT_ID, 'shop.example.org', 'NS')],
  ])('fails %s on a parent that was not read, naming it', (_method, call) => {
    // Prepare
    const view = parents([]);
    // Act
    const act = () => call(view);
    // Assess
    expect(act).toThrow(`parent zone ${ORG_PARENT_ID} was not read`);
  });
});
