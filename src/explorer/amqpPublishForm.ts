import * as vscode from 'vscode';
import type { Options } from 'amqplib';
import { encodeBody, formatHeaders, parseHeaders, type BodyFormat } from '../core/amqp/message';
import { formKit, type FormField } from './formKit';

export interface AmqpDraft {
  routingKey: string;
  format: BodyFormat;
  body: string;
  contentType?: string;
  persistent: boolean;
  headers?: Record<string, string | number | boolean>;
  correlationId?: string;
  replyTo?: string;
  expiration?: string;
  messageId?: string;
  type?: string;
  priority?: number;
}

const CONTENT_TYPES: Record<BodyFormat, string> = { text: 'text/plain', json: 'application/json', base64: 'application/octet-stream' };

/** amqplib publish options from a draft. */
export function publishOptions(d: AmqpDraft): Options.Publish {
  return {
    contentType: d.contentType ?? CONTENT_TYPES[d.format],
    persistent: d.persistent,
    headers: d.headers,
    correlationId: d.correlationId,
    replyTo: d.replyTo,
    expiration: d.expiration,
    messageId: d.messageId,
    type: d.type,
    priority: d.priority,
  };
}

/** The publish form: routing key, body (text / JSON / base64), and every AMQP property. */
export async function amqpPublishForm(title: string, initial: AmqpDraft): Promise<{ draft: AmqpDraft; body: Buffer } | undefined> {
  const d: AmqpDraft = { ...initial };
  const kit = formKit(title);
  const opt = (label: string, key: 'correlationId' | 'replyTo' | 'messageId' | 'type', prompt: string): FormField =>
    kit.text(label, d[key] ?? vscode.l10n.t('none'), prompt, d[key] ?? '', (v) => (d[key] = v.trim() || undefined));
  for (;;) {
    const fields = (): FormField[] => [
      kit.text(vscode.l10n.t('Routing key'), d.routingKey || vscode.l10n.t('(empty)'), vscode.l10n.t('Routing key'), d.routingKey, (v) => (d.routingKey = v)),
      {
        label: vscode.l10n.t('Body format'),
        description: d.format,
        edit: async () => {
          const pick = await vscode.window.showQuickPick(['text', 'json', 'base64'], { title: `${title}: ${vscode.l10n.t('Body format')}` });
          if (pick) {
            d.format = pick as BodyFormat;
          }
        },
      },
      kit.text(vscode.l10n.t('Body'), d.body.length > 60 ? `${d.body.slice(0, 59)}…` : d.body || vscode.l10n.t('(empty)'), vscode.l10n.t('Message body ({0})', d.format), d.body, (v) => (d.body = v), (v) => {
        const r = encodeBody(v, d.format);
        return typeof r === 'string' ? r : undefined;
      }),
      kit.text(vscode.l10n.t('Content type'), d.contentType ?? CONTENT_TYPES[d.format], vscode.l10n.t('Content type (empty: from the body format)'), d.contentType ?? '', (v) => (d.contentType = v.trim() || undefined)),
      { label: vscode.l10n.t('Delivery mode'), description: d.persistent ? vscode.l10n.t('persistent (2)') : vscode.l10n.t('transient (1)'), edit: async () => void (d.persistent = !d.persistent) },
      kit.text(vscode.l10n.t('Headers'), formatHeaders(d.headers) || vscode.l10n.t('none'), vscode.l10n.t('Headers as key=value, comma separated'), formatHeaders(d.headers), (v) => {
        const h = parseHeaders(v);
        if (typeof h !== 'string') {
          d.headers = Object.keys(h).length ? h : undefined;
        }
      }, (v) => {
        const h = parseHeaders(v);
        return typeof h === 'string' ? h : undefined;
      }),
      opt(vscode.l10n.t('Correlation id'), 'correlationId', vscode.l10n.t('Correlation id (empty: none)')),
      opt(vscode.l10n.t('Reply to'), 'replyTo', vscode.l10n.t('Reply-to queue (empty: none)')),
      kit.text(vscode.l10n.t('Expiration'), d.expiration ? `${d.expiration} ms` : vscode.l10n.t('none'), vscode.l10n.t('Expiration in milliseconds (empty: none)'), d.expiration ?? '', (v) => (d.expiration = v.trim() || undefined), (v) => (!v.trim() || /^\d+$/.test(v.trim()) ? undefined : vscode.l10n.t('Milliseconds, a whole number'))),
      opt(vscode.l10n.t('Message id'), 'messageId', vscode.l10n.t('Message id (empty: none)')),
      opt(vscode.l10n.t('Type'), 'type', vscode.l10n.t('Message type (empty: none)')),
      kit.text(vscode.l10n.t('Priority'), d.priority === undefined ? vscode.l10n.t('none') : String(d.priority), vscode.l10n.t('Priority 0-255 (empty: none)'), d.priority === undefined ? '' : String(d.priority), (v) => (d.priority = v.trim() ? Number(v) : undefined), (v) => (!v.trim() || (/^\d+$/.test(v.trim()) && Number(v) <= 255) ? undefined : vscode.l10n.t('0 to 255'))),
    ];
    if (!(await kit.run(fields, vscode.l10n.t('Publish'), 'send'))) {
      return undefined;
    }
    const body = encodeBody(d.body, d.format);
    if (typeof body !== 'string') {
      return { draft: d, body };
    }
    void vscode.window.showErrorMessage(body); // then back to the form
  }
}
