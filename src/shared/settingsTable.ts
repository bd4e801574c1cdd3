// Every setting of the extension with its default and range, as package.json declares them
// (test/unit/manifest.test.ts checks they agree). No vscode import: plain-Node tests read it.

/**
 * What a setting decides that a cloned repository's .vscode/settings.json must not: which
 * certificates are trusted, which file is read or program run, where data goes. Such settings are
 * `machine` / `application` scope or restricted in untrusted workspaces (the manifest test checks).
 */
export type Guarded = 'trust' | 'file' | 'executable' | 'destination';

export interface NumberSetting {
  readonly default: number;
  readonly minimum: number;
  readonly maximum: number;
  readonly integer: boolean;
}

export const SETTINGS = {
  'connection.connectTimeoutSeconds': { default: 10, minimum: 1, maximum: 120, integer: false },
  'topics.historyMessagesPerTopic': { default: 100, minimum: 1, maximum: 100_000, integer: true },
  'topics.historyKilobytesPerTopic': { default: 2048, minimum: 1, maximum: 1_048_576, integer: true },
  'topics.storageMegabytes': { default: 128, minimum: 8, maximum: 4096, integer: true },
  'topics.treeBudgetPercent': { default: 50, minimum: 10, maximum: 90, integer: true },
  'topics.refreshesPerSecond': { default: 4, minimum: 1, maximum: 20, integer: true },
  'amqp.refreshSeconds': { default: 5, minimum: 0, maximum: 3600, integer: true },
  'inspector.bufferMessages': { default: 10_000, minimum: 100, maximum: 1_000_000, integer: true },
  'inspector.maxPayloadMegabytes': { default: 10, minimum: 0.01, maximum: 100, integer: false },
  'inspector.displayKilobytes': { default: 1024, minimum: 16, maximum: 102_400, integer: true },
  'limits.payloadMegabytes': { default: 16, minimum: 0.01, maximum: 256, integer: false },
  'messages.expectWithinSeconds': { default: 5, minimum: 0.1, maximum: 600, integer: false },
  'mqtt.defaultSubscriptions': { default: ['#', '$SYS/#'] as readonly string[] },
  'tls.defaultCaFile': { default: '', guards: 'trust' },
  'decoders.extraProtoFolders': { default: [] as readonly string[], guards: 'file' },
} as const satisfies Record<string, (NumberSetting | { readonly default: string | readonly string[] }) & { readonly guards?: Guarded }>;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = (typeof SETTINGS)[K]['default'] extends number ? number : (typeof SETTINGS)[K]['default'] extends string ? string : readonly string[];

/**
 * A value as read from the configuration, made safe: a workspace may set anything, and a bad
 * value must not break a feature. Numbers outside the range are clamped, non-numbers give the default.
 */
export function normalizeSetting<K extends SettingKey>(key: K, raw: unknown): SettingValue<K> {
  const spec = SETTINGS[key];
  const d = spec.default as unknown;
  if (typeof d === 'number') {
    const n = spec as NumberSetting;
    if (typeof raw !== 'number' || !Number.isFinite(raw)) {
      return d as SettingValue<K>;
    }
    const v = Math.min(n.maximum, Math.max(n.minimum, raw));
    return (n.integer ? Math.round(v) : v) as SettingValue<K>;
  }
  if (typeof d === 'string') {
    return (typeof raw === 'string' ? raw : d) as SettingValue<K>;
  }
  return (Array.isArray(raw) && raw.every((x) => typeof x === 'string') ? raw : d) as SettingValue<K>;
}
