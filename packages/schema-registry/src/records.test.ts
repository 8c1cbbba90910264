import { decodeRecord, encodeRecord, type LogRecord } from './records';

const roundTrip = (record: LogRecord) => {
  const { key, value } = encodeRecord(record);
  return decodeRecord(key, value);
};

describe('_schemas records', () => {
  it('writes keys and values in Confluent layout, keys in a fixed field order', () => {
    const schema: LogRecord = { kind: 'schema', subject: 's', version: 2, value: { subject: 's', version: 2, id: 7, schema: '"string"', deleted: false } };
    const { key, value } = encodeRecord(schema);
    expect(key.toString()).toBe('{"keytype":"SCHEMA","subject":"s","version":2,"magic":1}');
    expect(value!.toString()).toBe('{"subject":"s","version":2,"id":7,"schema":"\\"string\\"","deleted":false}');
    const config = encodeRecord({ kind: 'config', subject: null, value: 'FULL' });
    expect(config.key.toString()).toBe('{"keytype":"CONFIG","subject":null,"magic":0}');
    expect(config.value!.toString()).toBe('{"compatibilityLevel":"FULL"}');
  });

  it('round-trips schemas, tombstones and configs', () => {
    const records: LogRecord[] = [
      { kind: 'schema', subject: 'a', version: 1, value: { subject: 'a', version: 1, id: 1, schema: '"int"', deleted: true } },
      { kind: 'schema', subject: 'a', version: 1, value: null },
      { kind: 'config', subject: 'a', value: 'NONE' },
      { kind: 'config', subject: 'a', value: null },
      { kind: 'delete-subject', subject: 'a', version: 3 },
    ];
    for (const r of records) expect(roundTrip(r)).toEqual(r);
  });

  it('reads what Confluent writes: field order, schemaType AVRO, extra fields, NOOP and MODE keys', () => {
    const key = Buffer.from('{"magic":1,"keytype":"SCHEMA","subject":"t","version":1}');
    const value = Buffer.from('{"subject":"t","version":1,"id":3,"schemaType":"AVRO","schema":"\\"long\\"","deleted":false,"metadata":null}');
    expect(decodeRecord(key, value)).toEqual({ kind: 'schema', subject: 't', version: 1, value: { subject: 't', version: 1, id: 3, schema: '"long"', deleted: false } });
    expect(decodeRecord(Buffer.from('{"keytype":"NOOP","magic":0}'), null)).toBeNull();
    expect(decodeRecord(Buffer.from('{"keytype":"MODE","subject":null,"magic":0}'), Buffer.from('{"mode":"READWRITE"}'))).toBeNull();
    expect(decodeRecord(Buffer.from('{"keytype":"CONFIG","subject":"t","magic":0}'), Buffer.from('{"normalize":true}'))).toEqual({ kind: 'config', subject: 't', value: null });
  });

  it('refuses records that are not what they claim', () => {
    expect(() => decodeRecord(Buffer.from('not json'), null)).toThrow();
    expect(() => decodeRecord(Buffer.from('{"keytype":"SCHEMA","subject":"x"}'), null)).toThrow(/without subject\/version/);
    expect(() => decodeRecord(Buffer.from('{"keytype":"SCHEMA","subject":"x","version":1}'), Buffer.from('{"id":"one"}'))).toThrow(/malformed SCHEMA value/);
  });
});
