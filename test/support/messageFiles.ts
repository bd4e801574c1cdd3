import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
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

/**
 * A login-like service on the real Mosquitto for capture tests: `PREFIX/login` answers (to the
 * request's MQTT 5 response topic, with its correlation data) a fresh token, `PREFIX/profile`
 * answers `authorized: true` only to a token it issued. `issued` and `profiles` record the tokens.
 */
export async function startLoginResponder(prefix: string): Promise<{ issued: string[]; profiles: string[]; stop(): Promise<void> }> {
  const client = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { protocolVersion: 5 });
  const issued: string[] = [];
  const profiles: string[] = [];
  client.on('message', (topic, payload, packet) => {
    const body = JSON.parse(payload.toString()) as { user?: string; token?: string };
    const { responseTopic, correlationData } = packet.properties ?? {};
    let reply: unknown;
    if (topic.endsWith('/login')) {
      const token = `tk-${issued.length + 1}-${Math.random().toString(36).slice(2)}`;
      issued.push(token);
      reply = { user: body.user, token };
    } else {
      profiles.push(body.token ?? '');
      reply = { authorized: issued.includes(body.token ?? ''), user: 'ada', token: body.token };
    }
    if (responseTopic) {
      void client.publishAsync(responseTopic, JSON.stringify(reply), { qos: 1, properties: { correlationData } });
    }
  });
  await client.subscribeAsync([`${prefix}/login`, `${prefix}/profile`], { qos: 1 });
  return { issued, profiles, stop: () => client.endAsync() };
}

/** The message file of the capture tests: `login`, then `profile` sending `{{login.response.$.token}}`; the EXPECT headers as given. */
export function loginMessageFile(prefix: string, loginExpect: readonly string[], profileExpect: readonly string[]): string {
  return [
    '### login',
    `PUBLISH mqtt://local/${prefix}/login`,
    'Response-Topic: auto',
    '',
    '{"user": "ada"}',
    '',
    'EXPECT mqtt://local',
    ...loginExpect,
    '',
    '### profile',
    `PUBLISH mqtt://local/${prefix}/profile`,
    'Response-Topic: auto',
    'Content-Type: application/json',
    '',
    '{"token": "{{login.response.$.token}}"}',
    '',
    'EXPECT mqtt://local',
    ...profileExpect,
    '',
  ].join('\n');
}
