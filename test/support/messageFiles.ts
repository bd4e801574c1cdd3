import { randomUUID } from 'node:crypto';
import type { ResolveEnv } from '../../src/core/messageFiles/types';

/** What message-file tests resolve templates with: no files, no environment, a fixed random, real time and UUIDs. */
export const testResolveEnv: ResolveEnv = {
  readFile: () => {
    throw new Error('no files');
  },
  getEnv: () => undefined,
  now: () => new Date(),
  random: () => 0.5,
  uuid: () => randomUUID(),
  baseDir: '/tmp',
  trusted: true,
};
