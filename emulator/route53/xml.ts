/** Route 53's REST-XML bodies, read and written with fast-xml-parser. */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { invalidInput } from './errors';

export const ROUTE53_NAMESPACE = 'https://route53.amazonaws.com/doc/2013-04-01/';

/** Elements that are lists, by path below the request's root element. */
const LIST_PATHS = [
  'ChangeBatch.Changes.Change',
  'ChangeBatch.Changes.Change.ResourceRecordSet.ResourceRecords.ResourceRecord',
  'AddTags.Tag',
  'RemoveTagKeys.Key',
  'ResourceIds.ResourceId',
];

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  ignoreDeclaration: true,
  isArray: (_name, jpath) => LIST_PATHS.some((path) => String(jpath).endsWith(`Request.${path}`)),
});

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_' });

/** A parsed XML element: text, or members (a list member is an array). */
export type XmlValue = string | XmlObject | XmlValue[];
export interface XmlObject {
  readonly [member: string]: XmlValue | undefined;
}

/** Parses a request body and returns the content of its root element `rootName`. */
export function parseRequest(body: string, rootName: string): XmlObject {
  let document: Record<string, unknown>;
  try {
    document = parser.parse(body) as Record<string, unknown>;
  } catch (error) {
    throw invalidInput(`The XML document is malformed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const root = document[rootName];
  if (root === undefined) throw invalidInput(`The XML document must have the root element ${rootName}`);
  return typeof root === 'object' && root !== null ? (root as XmlObject) : {};
}

/** The text of `object[member]`, or undefined when absent. */
export function text(object: XmlObject | undefined, member: string): string | undefined {
  const value = object?.[member];
  return typeof value === 'string' ? value : undefined;
}

/** The element `object[member]`, or undefined when absent or empty. */
export function child(object: XmlObject | undefined, member: string): XmlObject | undefined {
  const value = object?.[member];
  return typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

/** The list `object[container][member]`: `<Container><Member/>…</Container>`. */
export function list(object: XmlObject | undefined, container: string, member: string): XmlValue[] | undefined {
  const outer = object?.[container];
  if (outer === undefined) return undefined;
  if (typeof outer !== 'object' || Array.isArray(outer)) return [];
  const items = outer[member];
  return Array.isArray(items) ? items : items === undefined ? [] : [items];
}

/** Renders a response document `<rootName xmlns=…>content</rootName>`. */
export function buildDocument(rootName: string, content: Record<string, unknown>): string {
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    [rootName]: { '@_xmlns': ROUTE53_NAMESPACE, ...content },
  });
}
