import type { MqttSubscription } from './profile';

/**
 * MQTT topic and topic-filter syntax, and the subscription list of an MQTT profile as users write
 * it ("filter[:qos], …"). Profiles, brokers.json, message files and the forms check names with
 * these; matching filters against topics is core/mqtt/topicFilter.ts.
 */

/** Returns an error sentence for an invalid filter, or undefined. */
export function validateFilter(filter: string): string | undefined {
  if (filter.length === 0) {
    return 'A topic filter cannot be empty';
  }
  if (filter.includes('\u0000')) {
    return 'A topic filter cannot contain the NUL character';
  }
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) {
      return '"#" must be a whole level and the last one, as in "sensors/#"';
    }
    if (level.includes('+') && level !== '+') {
      return '"+" must be a whole level, as in "sensors/+/temperature"';
    }
  }
  return undefined;
}

/** "#:0, $SYS/#:0, plant/#:1:nl:rh2" from subscriptions (MQTT 5 options after the QoS). */
export function formatSubscriptions(subs: readonly MqttSubscription[]): string {
  return subs.map((s) => `${s.filter}:${s.qos}${subscriptionOptionsText(s)}`).join(', ');
}

/** ":nl", ":norap", ":rh1" / ":rh2": the MQTT 5 options that differ from the defaults. */
function subscriptionOptionsText(s: MqttSubscription): string {
  return `${s.nl ? ':nl' : ''}${s.rap === false ? ':norap' : ''}${s.rh ? `:rh${s.rh}` : ''}`;
}

/**
 * Subscriptions from "filter[:qos][:nl][:norap][:rh0|1|2], …", or an error sentence. The MQTT 5
 * options: nl = No Local, norap = no Retain As Published, rhN = Retain Handling N.
 */
export function parseSubscriptions(text: string): MqttSubscription[] | string {
  const subs: MqttSubscription[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(.*?)(?::([012]))?((?::(?:nl|norap|rh[012]))*)$/.exec(part)!;
    const filter = m[1]!.trim();
    const error = validateFilter(filter);
    if (error) {
      return `${filter || '(empty)'}: ${error}`;
    }
    const options = (m[3] ?? '').split(':').filter(Boolean);
    const rh = options.find((o) => o.startsWith('rh'));
    subs.push({
      filter,
      qos: Number(m[2] ?? 0) as 0 | 1 | 2,
      ...(options.includes('nl') ? { nl: true } : {}),
      ...(options.includes('norap') ? { rap: false } : {}),
      ...(rh && rh !== 'rh0' ? { rh: Number(rh.slice(2)) as 1 | 2 } : {}),
    });
  }
  return subs.length ? subs : 'Add at least one topic filter, e.g. #';
}

/** Returns an error sentence for a topic that cannot be published to, or undefined. */
export function validateTopic(topic: string): string | undefined {
  if (topic.length === 0) {
    return 'A topic cannot be empty';
  }
  if (/[+#]/.test(topic)) {
    return 'A topic to publish to cannot contain the wildcards + or #';
  }
  if (topic.includes('\u0000')) {
    return 'A topic cannot contain the NUL character';
  }
  return undefined;
}
