/**
 * Wire-format bytes of names and records, as DNSSEC digests and signs them (RFC 4034 §6),
 * produced by dns-packet's own encoder: a message carrying only the record, sliced. dns-packet
 * never compresses names, so the slice is the record exactly as it would travel.
 */
import { type Answer, encode } from 'dns-packet';

const HEADER_BYTES = 12;
/** Type, class, TTL and RDLENGTH after the owner name. */
const FIXED_RECORD_BYTES = 10;
/** Type and class after a question's name. */
const QUESTION_TAIL_BYTES = 4;

/** The record's wire form: owner, type, class, TTL, RDLENGTH, RDATA. */
export function recordWire(record: Answer): Buffer {
  return encode({ type: 'response', id: 0, flags: 0, answers: [record] }).subarray(HEADER_BYTES);
}

/** The record's RDATA alone (encoded with the root as owner, one byte, then cut). */
export function rdataWire(record: Answer): Buffer {
  return recordWire({ ...record, name: '.' } as Answer).subarray(1 + FIXED_RECORD_BYTES);
}

/** A name's wire form: length-prefixed labels and the root byte. */
export function nameWire(name: string): Buffer {
  const message = encode({ type: 'query', id: 0, flags: 0, questions: [{ type: 'A', name }] });
  return message.subarray(HEADER_BYTES, message.length - QUESTION_TAIL_BYTES);
}
