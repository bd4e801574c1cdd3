/**
 * Copy-pasteable shell commands that send a draft: mosquitto_pub (MQTT) and rabbitmqadmin
 * (RabbitMQ management API), quoted for the user's shell (POSIX sh, fish, PowerShell, cmd);
 * passwords never appear, only the MQTT_PASSWORD / RABBITMQ_PASSWORD environment variables for
 * the user to set.
 */
import type { PublishDraft } from '../protocol/publish';
import { decodeText, toBase64 } from '../format/bytes';
import { encodeDraftPayload } from './payload';
import { commentLine, envReference, quoteWord, type ShellKind } from '../format/shellQuote';

/**
 * A POSIX printf format that prints exactly `bytes`: printable ASCII as is, everything else as
 * octal escapes (dash's printf has no \x), % and \ escaped, single-quoted.
 */
export function printfBytes(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    if (b === 0x25) {
      s += '%%';
    } else if (b === 0x5c) {
      s += '\\\\';
    } else if (b >= 0x20 && b <= 0x7e && b !== 0x27) {
      s += String.fromCharCode(b);
    } else {
      s += '\\' + b.toString(8).padStart(3, '0');
    }
  }
  return `'${s}'`;
}

export interface MosquittoTarget {
  host: string;
  port: number;
  username?: string;
  protocol?: 'mqtt' | 'mqtts' | 'ws' | 'wss';
  caFile?: string;
  mqttVersion?: 4 | 5;
}

/**
 * `mosquitto_pub -h H -p P [-u U -P "$MQTT_PASSWORD"] [-V mqttv311|mqttv5] -t T -q N [-r]
 * [-D publish … ] -m PAYLOAD`. Text payloads go in -m (or -n when empty); payloads that are not
 * text (or contain NUL) are piped in with printf and sent with -s. MQTT 5 properties are added
 * unless the target is MQTT 3.1.1. mosquitto_pub has no WebSocket transport: for ws/wss targets
 * a comment line says so and the command uses MQTT over TCP on the given host and port.
 */
export function mosquittoPubCommand(target: MosquittoTarget, draft: PublishDraft, shell: ShellKind = 'posix'): string {
  const q = (w: string): string => quoteWord(w, shell);
  const m = draft.mqtt;
  if (!m) {
    throw new Error('This draft has no MQTT topic: mosquitto_pub publishes to MQTT brokers');
  }
  const payload = encodeDraftPayload(draft);
  const text = draft.format === 'text' || draft.format === 'json' ? draft.payload : decodeText(payload);
  const args: string[] = ['mosquitto_pub', '-h', q(target.host), '-p', String(target.port)];
  const comments: string[] = [];
  if (target.protocol === 'ws' || target.protocol === 'wss') {
    comments.push(commentLine(`mosquitto_pub cannot connect over WebSockets (${target.protocol}://): use the broker's MQTT port (usually ${target.protocol === 'wss' ? 8883 : 1883}) in -p`, shell));
  }
  if (target.protocol === 'mqtts' || target.protocol === 'wss') {
    args.push(...(target.caFile ? ['--cafile', q(target.caFile)] : ['--tls-use-os-certs']));
  }
  if (target.username !== undefined && target.username !== '') {
    args.push('-u', q(target.username), '-P', envReference('MQTT_PASSWORD', shell));
  }
  const props: string[][] = [];
  if (target.mqttVersion !== 4) {
    if (m.contentType) {
      props.push(['content-type', m.contentType]);
    }
    if (m.payloadFormatIndicator) {
      props.push(['payload-format-indicator', '1']);
    }
    if (m.responseTopic) {
      props.push(['response-topic', m.responseTopic]);
    }
    if (m.correlationData) {
      props.push(['correlation-data', m.correlationData]);
    }
    if (m.messageExpiryInterval !== undefined) {
      props.push(['message-expiry-interval', String(m.messageExpiryInterval)]);
    }
    if (m.topicAlias !== undefined) {
      props.push(['topic-alias', String(m.topicAlias)]);
    }
    for (const p of m.userProperties ?? []) {
      props.push(['user-property', p.key, p.value]);
    }
  } else if (
    m.contentType || m.payloadFormatIndicator || m.responseTopic || m.correlationData || m.messageExpiryInterval !== undefined || m.topicAlias !== undefined || m.userProperties?.length
  ) {
    comments.push(commentLine("MQTT 3.1.1 has no message properties: the draft's MQTT 5 properties are left out", shell));
  }
  const v5 = target.mqttVersion === 5 || props.length > 0;
  if (v5 || target.mqttVersion === 4) {
    args.push('-V', v5 ? 'mqttv5' : 'mqttv311');
  }
  args.push('-t', q(m.topic), '-q', String(m.qos));
  if (m.retain) {
    args.push('-r');
  }
  for (const p of props) {
    args.push('-D', 'publish', ...p.map(q));
  }
  let command: string;
  if (payload.length === 0) {
    command = [...args, '-n'].join(' ');
  } else if (text !== undefined && !text.includes('\u0000')) {
    command = [...args, '-m', q(text)].join(' ');
  } else if (shell === 'posix' || shell === 'fish') {
    command = `printf ${printfBytes(payload)} | ${[...args, '-s'].join(' ')}`;
  } else {
    // No printf that writes any byte here: the payload goes through a file.
    comments.push(commentLine(`The payload is binary: save these bytes (base64) to payload.bin first: ${toBase64(payload)}`, shell));
    command = [...args, '-f', 'payload.bin'].join(' ');
  }
  return [...comments, command].join('\n');
}

export interface RabbitmqadminTarget {
  host: string;
  managementPort?: number;
  vhost: string;
  username?: string;
}

/**
 * `rabbitmqadmin -H host -P 15672 -V vhost -u user -p "$RABBITMQ_PASSWORD" publish exchange=X
 * routing_key=K payload=… [payload_encoding=base64] [properties='{…}']` (rabbitmqadmin 3.x, the
 * management plugin's CLI). The default exchange ('') is written amq.default. Payloads that are
 * not text are sent base64-encoded.
 */
export function rabbitmqadminPublishCommand(target: RabbitmqadminTarget, draft: PublishDraft, shell: ShellKind = 'posix'): string {
  const q = (w: string): string => quoteWord(w, shell);
  const a = draft.amqp;
  if (!a) {
    throw new Error('This draft has no AMQP exchange: rabbitmqadmin publishes to RabbitMQ');
  }
  const payload = encodeDraftPayload(draft);
  const text = draft.format === 'text' || draft.format === 'json' ? draft.payload : decodeText(payload);
  const args: string[] = ['rabbitmqadmin', '-H', q(target.host), '-P', String(target.managementPort ?? 15672), '-V', q(target.vhost)];
  if (target.username !== undefined && target.username !== '') {
    args.push('-u', q(target.username), '-p', envReference('RABBITMQ_PASSWORD', shell));
  }
  args.push('publish', q(`exchange=${a.exchange === '' ? 'amq.default' : a.exchange}`), q(`routing_key=${a.routingKey}`));
  if (text !== undefined && !text.includes('\u0000')) {
    args.push(q(`payload=${text}`));
  } else {
    args.push(q(`payload=${toBase64(payload)}`), 'payload_encoding=base64');
  }
  const props: Record<string, unknown> = {};
  if (a.contentType) {
    props.content_type = a.contentType;
  }
  if (a.deliveryMode !== undefined) {
    props.delivery_mode = a.deliveryMode;
  }
  if (a.correlationId) {
    props.correlation_id = a.correlationId;
  }
  if (a.replyTo) {
    props.reply_to = a.replyTo;
  }
  if (a.expiration) {
    props.expiration = a.expiration;
  }
  if (a.messageId) {
    props.message_id = a.messageId;
  }
  if (a.type) {
    props.type = a.type;
  }
  if (a.priority !== undefined) {
    props.priority = a.priority;
  }
  if (a.headers?.length) {
    props.headers = Object.fromEntries(a.headers.map((h) => [h.key, h.value]));
  }
  if (Object.keys(props).length > 0) {
    args.push(q(`properties=${JSON.stringify(props)}`));
  }
  return args.join(' ');
}
