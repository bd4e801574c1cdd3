import * as l10n from '@vscode/l10n';

/**
 * What an MQTT 5 profile tells the broker about itself on CONNECT (MQTT 5.0 §3.1.2.11): Receive
 * Maximum, the QoS 1/2 messages the broker may have unacknowledged towards us (1–65535), and
 * Topic Alias Maximum, the topic aliases it may use on messages to us (0–65535, 0: none; mqtt.js
 * resolves them, so the tree always shows the real topic).
 */
export interface FlowControl {
  readonly receiveMaximum?: number;
  readonly topicAliasMaximum?: number;
}

const inRange = (v: number, min: number, max: number): boolean => Number.isInteger(v) && v >= min && v <= max;

/** A number typed in a form: digits become a number, anything else stays as typed (and is refused). */
export function typedNumber(text: string): unknown {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : t;
}

/** Why a Receive Maximum is not one, in words; undefined when it is. */
export function receiveMaximumProblem(value: unknown): string | undefined {
  return typeof value === 'number' && inRange(value, 1, 65535)
    ? undefined
    : l10n.t('Receive Maximum must be a whole number from 1 to 65535 (how many QoS 1 and 2 messages the broker may send before we acknowledge them); {0} is not', JSON.stringify(value));
}

/** Why a Topic Alias Maximum is not one, in words; undefined when it is. */
export function topicAliasMaximumProblem(value: unknown): string | undefined {
  return typeof value === 'number' && inRange(value, 0, 65535)
    ? undefined
    : l10n.t('Topic Alias Maximum must be a whole number from 0 to 65535 (0: the broker sends full topic names); {0} is not', JSON.stringify(value));
}

/** The first problem of a profile's values (checked again on connect: profiles also come from the API and brokers.json). */
export function flowControlProblem(p: FlowControl): string | undefined {
  return (p.receiveMaximum !== undefined ? receiveMaximumProblem(p.receiveMaximum) : undefined) ?? (p.topicAliasMaximum !== undefined ? topicAliasMaximumProblem(p.topicAliasMaximum) : undefined);
}

/** The CONNECT properties for a valid profile (nothing for what is left at the protocol's default). */
export function flowControlProperties(p: FlowControl): { receiveMaximum?: number; topicAliasMaximum?: number } {
  return {
    ...(p.receiveMaximum !== undefined ? { receiveMaximum: p.receiveMaximum } : {}),
    ...(p.topicAliasMaximum ? { topicAliasMaximum: p.topicAliasMaximum } : {}),
  };
}

/** "receive maximum 10, topic aliases up to 16" for the broker's tooltip; empty when left at the defaults. */
export function describeFlowControl(p: FlowControl): string[] {
  return [
    ...(p.receiveMaximum !== undefined ? [l10n.t('receive maximum {0}', p.receiveMaximum)] : []),
    ...(p.topicAliasMaximum ? [l10n.t('topic aliases up to {0}', p.topicAliasMaximum)] : []),
  ];
}
