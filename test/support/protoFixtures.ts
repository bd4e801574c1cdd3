// The fixture .proto files (test/fixtures/codecs/proto) loaded by protobufjs itself: the reference
// a test encodes with or decodes back with, independent of our decoders.
import { join, resolve } from 'node:path';
import * as protobuf from 'protobufjs';

/** test/fixtures/codecs, from the built tests (out/test/…). */
export const CODEC_FIXTURES = resolve(__dirname, '../../../test/fixtures/codecs');

/** `acme.telemetry.Reading` as protobufjs reads it from acme/telemetry.proto (field names as written). */
export async function fixtureReading(): Promise<protobuf.Type> {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (target.startsWith('google/') ? target : join(CODEC_FIXTURES, 'proto', target));
  await root.load(['acme/telemetry.proto'], { keepCase: true });
  return root.lookupType('acme.telemetry.Reading');
}
