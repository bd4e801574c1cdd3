import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import * as vscode from 'vscode';
import type { AmqpConnection } from '../../src/core/amqp/amqpConnection';
import type { BrokerConnection } from '../../src/core/brokers/connection';
import type { MqttConnection } from '../../src/core/mqtt/mqttConnection';
import type { MqttProfile } from '../../src/core/brokers/profile';
import type { PublishDraft } from '../../src/core/protocol/publish';
import type { MqttTreeNode } from '../../src/mqtt/mqttTree';
import type { AmqpTreeNode } from '../../src/amqp/amqpTree';
import type { BrokerExplorerApi } from '../../src/extension';
import { startPrivateMosquitto, type PrivateBroker } from '../support/mosquitto';
import { makeTestPki, type TestPki } from '../support/tls';
import { api, until } from './helpers';
import { outcome as recordOutcome } from '../support/reliability';

/** Broker data an attacker controls, as the suite sends it through Mosquitto and RabbitMQ. */
const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert(1)</script>';
const CMD = '[x](command:workbench.action.quit)';
const MARKS = '**bold** _it_ `tick` $(alert) $(zap~spin)';
const BREAKOUT = '```\n' + IMG + '\n[y](command:workbench.action.quit)\n```';
/** Parts of the hostile strings that would be markup if they reached Markdown outside code and escapes. */
const ACTIVE_WORDS = /<|\]\(|\$\(|`|command:|onerror=|\*\*bold|_it_/;

/**
 * Reads a Markdown value the way CommonMark does, just enough to split it: `shown` is the text a
 * reader sees (code kept literally, escapes undone), `active` is what could still be markup
 * (outside fenced blocks, code spans and backslash escapes).
 */
function readMarkdown(value: string): { active: string; shown: string } {
  let active = '';
  let shown = '';
  let fence: { ch: string; n: number } | undefined;
  for (const line of value.split('\n')) {
    if (fence) {
      const close = /^ {0,3}(`+|~+)\s*$/.exec(line);
      if (close && close[1]![0] === fence.ch && close[1]!.length >= fence.n) {
        fence = undefined;
      } else {
        shown += `${line}\n`;
      }
      continue;
    }
    const open = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (open && !(open[1]![0] === '`' && open[2]!.includes('`'))) {
      fence = { ch: open[1]![0]!, n: open[1]!.length };
      continue;
    }
    for (let i = 0; i < line.length; ) {
      const c = line[i]!;
      if (c === '\\' && /[!-/:-@[-`{-~]/.test(line[i + 1] ?? '')) {
        shown += line[i + 1];
        i += 2;
        continue;
      }
      if (c === '`') {
        const run = /^`+/.exec(line.slice(i))![0];
        const rest = line.slice(i + run.length);
        const end = new RegExp(`(?<!\`)${run}(?!\`)`).exec(rest);
        if (end) {
          const body = rest.slice(0, end.index);
          shown += body.length > 1 && body.startsWith(' ') && body.endsWith(' ') ? body.slice(1, -1) : body;
          i += run.length + end.index + run.length;
          continue;
        }
        active += run;
        shown += run;
        i += run.length;
        continue;
      }
      active += c;
      shown += c;
      i++;
    }
    active += '\n';
    shown += '\n';
  }
  return { active, shown };
}

/** A tree item's tooltip holds `data` as text only: escaped or in code, untrusted, no HTML, no icons. */
function assertInertTooltip(item: vscode.TreeItem, data: readonly string[], what: string): void {
  const tooltip = item.tooltip;
  assert.ok(tooltip instanceof vscode.MarkdownString, `${what}: a Markdown tooltip`);
  assert.ok(!tooltip.isTrusted, `${what}: isTrusted is off (no command links)`);
  assert.ok(!tooltip.supportHtml, `${what}: supportHtml is off`);
  assert.ok(!tooltip.supportThemeIcons, `${what}: supportThemeIcons is off`);
  const { active, shown } = readMarkdown(tooltip.value);
  const leak = ACTIVE_WORDS.exec(active);
  assert.equal(leak, null, `${what}: "${leak?.[0]}" is live Markdown in\n${tooltip.value}`);
  assert.ok(!/<|\]\(/.test(active), `${what}: a raw < or ]( outside code in\n${tooltip.value}`);
  for (const d of data) {
    assert.ok(shown.includes(d), `${what}: shows ${JSON.stringify(d)} as text; it shows\n${shown}`);
  }
}

/** The theme colour id of a tree item's icon (ThemeColor keeps it in `id`). */
const colorOf = (item: vscode.TreeItem): string | undefined => {
  const color: unknown = (item.iconPath as vscode.ThemeIcon | undefined)?.color;
  return (color as { id?: string } | undefined)?.id;
};

/** A JSON.stringify replacer that writes each object once (tree items point back at connections). */
function noCycles(): (key: string, value: unknown) => unknown {
  const seen = new WeakSet<object>();
  return (_key, value) => {
    if (value instanceof vscode.MarkdownString) {
      return value.value;
    }
    if (value && typeof value === 'object') {
      if (seen.has(value)) {
        return '[seen]';
      }
      seen.add(value);
    }
    return value;
  };
}

const labelOf = (item: vscode.TreeItem): string => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));

/** The link syntax VS Code's notifications and input prompts make clickable (parseLinkedText). */
const LINKED = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/i;

describe('security: hostile broker data renders as text (shared Mosquitto and RabbitMQ)', function () {
  this.timeout(60_000);
  const suffix = randomBytes(4).toString('hex');
  const prefix = `be-sec-${suffix}`;
  const brokerName = `sec ${IMG} ${CMD} ${MARKS}`;
  let a: BrokerExplorerApi;
  const ids: string[] = [];
  let rabbit: AmqpConnection | undefined;
  const exchange = `${prefix}-x-${IMG}`;
  const queue = `${prefix}-q-${CMD} ${MARKS}`;

  before(async () => {
    a = await api();
  });

  after(async () => {
    if (rabbit?.channelModel) {
      const ch = await rabbit.channelModel.createChannel();
      await ch.deleteQueue(queue).catch(() => {});
      await ch.deleteExchange(exchange).catch(() => {});
      await ch.close().catch(() => {});
    }
    for (const id of ids) {
      await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
    }
  });

  it('MQTT: hostile topic names, payloads and properties stay text in labels, descriptions, tooltips and notifications', async () => {
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: brokerName, host: '127.0.0.1', port: 1883, connect: false });
    ids.push(id);
    const profile = a.registry.get(id)!.profile as MqttProfile;
    await vscode.commands.executeCommand('brokerExplorer.editBroker', id, { profile: { ...profile, subscriptions: [{ filter: `${prefix}/#`, qos: 0 }] } });
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'connected');
    const c = a.registry.get(id) as MqttConnection;

    const messages: [string, string][] = [
      [`${prefix}/${IMG}`, IMG],
      [`${prefix}/${CMD}`, CMD],
      [`${prefix}/${MARKS}`, MARKS],
      [`${prefix}/${SCRIPT}`, SCRIPT],
      [`${prefix}/breakout`, BREAKOUT],
      [`${prefix}/json`, JSON.stringify({ html: IMG, link: CMD })],
    ];
    const pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { protocolVersion: 5 });
    try {
      for (const [topic, payload] of messages) {
        await pub.publishAsync(topic, payload, { qos: 1, properties: { userProperties: { note: IMG }, contentType: CMD } });
      }
    } finally {
      await pub.endAsync();
    }
    await until(() => messages.every(([t]) => c.topics.find(t)?.last), 'the hostile messages in the topic model');

    const root = a.mqttTree.getChildren(c).find((n) => labelOf(a.mqttTree.getTreeItem(n)) === prefix)!;
    assert.ok(root, 'the test prefix is in the tree');
    const levels = new Map<string, MqttTreeNode>();
    const walk = (n: MqttTreeNode): void => {
      for (const child of a.mqttTree.getChildren(n)) {
        levels.set((child as { topic: string }).topic, child);
        walk(child);
      }
    };
    walk(root);
    for (const [topic, payload] of messages) {
      const node = levels.get(topic);
      assert.ok(node, `${topic} is in the tree`);
      // The tooltip comes as VS Code asks for it on hover: resolveTreeItem.
      const item = a.mqttTree.resolveTreeItem(a.mqttTree.getTreeItem(node), node);
      // Labels and descriptions are plain strings: VS Code's tree renders them as text.
      assert.equal(typeof item.label, 'string');
      assert.equal(item.label, topic.split('/').pop());
      assert.equal(typeof item.description, 'string');
      const shownPayload = payload.startsWith('{') ? JSON.stringify(JSON.parse(payload), null, 2) : payload;
      assertInertTooltip(item, [topic, shownPayload, IMG, CMD], `topic ${topic}`);
    }
    const brokerItem = a.mqttTree.getTreeItem(c);
    assert.equal(brokerItem.label, brokerName);
    assertInertTooltip(brokerItem, [brokerName, `${prefix}/#`], 'the broker');

    // A notification naming a hostile topic: its link is broken, the text reads the same.
    const before = a.testing!.notifications().length;
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.deleteRetainedBelow', levels.get(`${prefix}/${CMD}`)), 0);
    const said = a.testing!.notifications().slice(before).find((n) => n.message.startsWith('No retained messages under'));
    assert.ok(said, 'the "no retained messages" notification was shown');
    assert.equal(LINKED.exec(said.message), null, said.message);
    assert.equal(said.message.replace(/\u200b/g, ''), `No retained messages under ${prefix}/${CMD}.`);
    recordOutcome('Security', 'MQTT topic names, payloads and MQTT 5 properties with <img onerror>, <script>, **markdown**, backticks, $(icons) and [links](command:…), including a payload that tries to close its code fence', 'Labels and descriptions are plain text; tooltips escape the data or hold it in code fences it cannot close, with trust, HTML and theme icons off; a notification naming such a topic has its link broken (zero-width space), its text unchanged.');
  });

  it('AMQP: hostile exchange, queue, routing key and argument values stay text in the tree', async () => {
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addAmqpBroker', { name: `rabbit ${IMG}`, host: '127.0.0.1', port: 5672, username: 'guest', password: 'guest' });
    ids.push(id);
    rabbit = a.registry.get(id) as AmqpConnection;
    assert.equal(rabbit.state.kind, 'connected');
    const ch = await rabbit.channelModel!.createChannel();
    try {
      await ch.assertExchange(exchange, 'topic', { durable: false, autoDelete: false, arguments: { 'x-note': CMD } });
      await ch.assertQueue(queue, { durable: false, arguments: { 'x-note': IMG } });
      await ch.bindQueue(queue, exchange, `${SCRIPT}.#`, { 'x-note': MARKS });
      ch.publish(exchange, `${SCRIPT}.a`, Buffer.from(IMG), { headers: { note: IMG, link: CMD } });
    } finally {
      await ch.close();
    }
    const conn = rabbit;
    await vscode.commands.executeCommand('brokerExplorer.filterQueues', conn, `^${prefix}`);
    const find = async (group: string, name: string): Promise<AmqpTreeNode> =>
      until(async () => {
        await a.amqpTree.refreshAmqp(conn);
        const vhost = a.amqpTree.getChildren(conn).find((n) => labelOf(a.amqpTree.getTreeItem(n)) === '/');
        const g = vhost && a.amqpTree.getChildren(vhost).find((n) => labelOf(a.amqpTree.getTreeItem(n)) === group);
        return g && a.amqpTree.getChildren(g).find((n) => labelOf(a.amqpTree.getTreeItem(n)) === name);
      }, `${name} under ${group}`);
    const ex = await find('Exchanges', exchange);
    const q = await find('Queues', queue);

    // Exchange and queue tooltips are made on hover (resolveTreeItem), as VS Code asks for them.
    const exItem = a.amqpTree.resolveTreeItem(a.amqpTree.getTreeItem(ex), ex);
    assert.equal(exItem.label, exchange);
    assertInertTooltip(exItem, [exchange, CMD], 'the exchange');
    const qItem = a.amqpTree.resolveTreeItem(a.amqpTree.getTreeItem(q), q);
    assert.equal(qItem.label, queue);
    assertInertTooltip(qItem, [queue, IMG], 'the queue');
    const binding = a.amqpTree.getChildren(ex)[0]!;
    const bItem = a.amqpTree.resolveTreeItem(a.amqpTree.getTreeItem(binding), binding);
    assert.equal(bItem.label, `→ ${queue}`);
    assert.equal(typeof bItem.description, 'string');
    assert.ok(String(bItem.description).includes(`routing key ${SCRIPT}.#`), String(bItem.description));
    assert.equal(bItem.tooltip, undefined, 'no Markdown tooltip on bindings');
    assertInertTooltip(a.amqpTree.getTreeItem(conn), [`rabbit ${IMG}`], 'the AMQP broker');
    recordOutcome('Security', 'Exchange, queue, routing-key and argument values and message headers with HTML, links and $(icons) on the shared RabbitMQ', 'Shown as text in labels and descriptions; tooltips escaped or in code; nothing clickable.');
  });
});

/** Every .log file below a folder. */
function readLogs(dir: string): string {
  let text = '';
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      text += readLogs(path);
    } else if (entry.name.endsWith('.log')) {
      text += readFileSync(path, 'utf8');
    }
  }
  return text;
}

describe('security: secrets never leak; TLS verification is on unless turned off per broker, and then shown', function () {
  this.timeout(60_000);
  const suffix = randomBytes(4).toString('hex');
  const prefix = `be-sec-${suffix}`;
  const user = `sec-user-${suffix}`;
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const wrong = `wrong-${randomBytes(12).toString('hex')}`;
  let a: BrokerExplorerApi;
  let pki: TestPki;
  let broker: PrivateBroker;
  let dir: string;
  const ids: string[] = [];

  before(async () => {
    a = await api();
    pki = makeTestPki();
    broker = await startPrivateMosquitto({ users: { [user]: password }, tls: { ca: pki.ca, cert: pki.serverCert, key: pki.serverKey } });
    dir = mkdtempSync(join(tmpdir(), 'be-sec-'));
  });

  after(async () => {
    for (const p of a.panels.inspectors) {
      p.dispose();
    }
    a.panels.publisher?.dispose();
    for (const id of ids) {
      await vscode.commands.executeCommand('brokerExplorer.removeBroker', id, { confirm: false });
    }
    await broker?.dispose();
    rmSync(dir, { recursive: true, force: true });
    rmSync(pki.dir, { recursive: true, force: true });
  });

  it('a whole session (wrong password, right one, publish, inspect, export, copy as command, TLS) leaves the password nowhere', async () => {
    const seen: string[] = [];
    const keep = (where: string, value: unknown): void => void seen.push(`${where}: ${typeof value === 'string' ? value : JSON.stringify(value, noCycles())}`);
    const firstNotification = a.testing!.notifications().length;

    // Added as a user would, with a wrong password first: it fails with plain words.
    const id = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'secret broker', host: '127.0.0.1', port: broker.port, username: user, password: wrong });
    ids.push(id);
    assert.equal(a.registry.get(id)!.state.kind, 'failed');
    await until(() => a.testing!.notifications().slice(firstNotification).some((n) => /Could not connect to "secret broker": Not authorized/.test(n.message)), 'the wrong-password error');
    keep('failed state', a.registry.get(id)!.state);
    keep('failed item', a.mqttTree.getTreeItem(a.registry.get(id)!));

    // Edit Broker saves the right password (to secret storage) and connects.
    const profile = a.registry.get(id)!.profile as MqttProfile;
    await vscode.commands.executeCommand('brokerExplorer.editBroker', id, { profile: { ...profile, subscriptions: [{ filter: `${prefix}/#`, qos: 1 }] }, password });
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', id), 'connected');
    assert.equal(await a.registry.hasSecret(id, 'password'), true);
    const c = a.registry.get(id) as MqttConnection;

    // Inspect, publish from the panel, export.
    const inspector = await a.panels.inspect({ kind: 'mqtt', brokerId: id, filter: `${prefix}/#` });
    await until(() => inspector.isReady, 'the inspector', 30_000);
    const draft: PublishDraft = { payload: 'hello', format: 'text', mqtt: { topic: `${prefix}/t`, qos: 1, retain: false } };
    await vscode.commands.executeCommand('brokerExplorer.openPublishPanel', { brokerId: id, draft });
    const publisher = a.panels.publisher!;
    await until(() => publisher.isReady, 'the publish panel', 30_000);
    const outcome = await publisher.send(id, draft);
    assert.equal(outcome.ok, true, outcome.text);
    await until(() => inspector.buffer.total === 1, 'the message in the inspector');
    const file = vscode.Uri.file(join(dir, 'export.jsonl'));
    keep('export result', await inspector.exportLines(undefined, file));
    const exported = readFileSync(file.fsPath, 'utf8');
    assert.match(exported, /"hello"|aGVsbG8/);
    keep('export file', exported);

    // Copy as command: the password is read from the environment, never written out.
    const pubCommand = publisher.command(id, draft);
    assert.match(pubCommand, new RegExp(`-u ${user} -P "\\$MQTT_PASSWORD"`));
    keep('mosquitto_pub', pubCommand);
    const subCommand = await vscode.commands.executeCommand<string>('brokerExplorer.copyMosquittoSub', id);
    assert.match(subCommand, /-P "\$MQTT_PASSWORD"/);
    keep('mosquitto_sub', subCommand);
    keep('clipboard', await vscode.env.clipboard.readText());
    keep('history', publisher.history(id));
    keep('item', a.mqttTree.getTreeItem(c));

    // TLS: verification is on by default, so the test CA's certificate is refused ...
    const tlsPort = broker.tlsPort!;
    const strictId = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'tls default', host: '127.0.0.1', port: tlsPort, username: user, password, connect: false });
    ids.push(strictId);
    const strict = a.registry.get(strictId)!.profile as MqttProfile;
    await vscode.commands.executeCommand('brokerExplorer.editBroker', strictId, { profile: { ...strict, protocol: 'mqtts' } });
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', strictId), 'failed');
    const refused = a.registry.get(strictId)!;
    assert.match(String((refused.state as { reason?: string }).reason), /certificate/i);
    assert.doesNotMatch(String(a.mqttTree.getTreeItem(refused).description), /TLS not verified/);
    keep('tls refused', refused.state);
    // ... and trusted with its CA.
    await vscode.commands.executeCommand('brokerExplorer.editBroker', strictId, { profile: { ...strict, protocol: 'mqtts', tls: { caFile: pki.ca } } });
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', strictId), 'connected');

    // Turned off for one broker: it connects, the tree says so in words and colour, the user is warned once.
    const looseId = await vscode.commands.executeCommand<string>('brokerExplorer.addMqttBroker', { name: 'tls unverified', host: '127.0.0.1', port: tlsPort, username: user, password, connect: false });
    ids.push(looseId);
    const loose = a.registry.get(looseId)!.profile as MqttProfile;
    const warnings = (): number => a.testing!.notifications().filter((n) => n.severity === 'warning' && n.message.startsWith('TLS certificate verification is off for "tls unverified"')).length;
    await vscode.commands.executeCommand('brokerExplorer.editBroker', looseId, { profile: { ...loose, protocol: 'mqtts', tls: { verify: false } } });
    assert.equal(warnings(), 1, 'warned when saved');
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', looseId), 'connected');
    await vscode.commands.executeCommand('brokerExplorer.disconnectBroker', looseId);
    assert.equal(await vscode.commands.executeCommand('brokerExplorer.connectBroker', looseId), 'connected');
    assert.equal(warnings(), 1, 'once per session');
    const looseItem = a.mqttTree.getTreeItem(a.registry.get(looseId)!);
    assert.match(String(looseItem.description), /^connected · TLS not verified · /);
    assert.equal(colorOf(looseItem), 'list.warningForeground');
    assert.match((looseItem.tooltip as vscode.MarkdownString).value, /TLS certificate not verified/);
    const strictItem = a.mqttTree.getTreeItem(a.registry.get(strictId)!);
    assert.doesNotMatch(String(strictItem.description), /TLS not verified/);
    // The test CA's certificates end in two days: the verified broker warns about that (issue 23),
    // never about verification.
    assert.match(String(a.registry.get(strictId)!.warning), /^The server's TLS certificate expires in [01] days?/);
    assert.doesNotMatch((strictItem.tooltip as vscode.MarkdownString).value, /TLS certificate not verified/);
    keep('tls items', [looseItem, strictItem]);

    // Where a password could end up: notifications, settings, global and workspace state, the log.
    for (const n of a.testing!.notifications()) {
      keep('notification', n);
    }
    const userSettings = vscode.Uri.joinPath(a.testing!.storage.globalStorageUri, '..', '..', 'settings.json');
    const settingsText = new TextDecoder().decode(await vscode.workspace.fs.readFile(userSettings));
    assert.match(settingsText, /workbench\.startupEditor/, 'read the profile\'s real settings.json');
    keep('user settings', settingsText);
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const text = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json')).then((b) => new TextDecoder().decode(b), () => '');
      keep('workspace settings', text);
    }
    keep('configuration', vscode.workspace.getConfiguration('brokerExplorer'));
    const { globalState, workspaceState } = a.testing!.storage;
    assert.ok(globalState.keys().includes('brokerExplorer.profiles'), globalState.keys().join(', '));
    assert.ok(JSON.stringify(globalState.get('brokerExplorer.profiles')).includes(user), 'the saved profile (with its username) is there');
    for (const [name, memento] of [['globalState', globalState], ['workspaceState', workspaceState]] as const) {
      for (const key of memento.keys()) {
        keep(`${name} ${key}`, memento.get(key));
      }
    }
    keep('saved profiles', a.registry.savedProfiles());
    for (const conn of a.registry.list()) {
      keep('connection', { profile: conn.profile, state: conn.state } satisfies Pick<BrokerConnection, 'profile' | 'state'>);
    }
    if (statSync(a.testing!.storage.globalStorageUri.fsPath, { throwIfNoEntry: false })) {
      keep('global storage files', readLogsAndFiles(a.testing!.storage.globalStorageUri.fsPath));
    }
    const log = await until(() => {
      const text = readLogs(a.logUri.fsPath);
      return text.includes('Connected to "tls unverified"') && text.includes('Not authorized') && text;
    }, 'the log to have the session', 10_000);
    keep('log', log);

    const all = seen.join('\n');
    for (const secret of [password, wrong]) {
      const at = all.indexOf(secret);
      assert.equal(at, -1, `the password leaked: …${all.slice(Math.max(0, at - 200), at + 50)}`);
      assert.ok(!all.includes(Buffer.from(`${user}:${secret}`).toString('base64')), 'no Basic credentials');
    }
    assert.ok(all.length > 2000, 'the scan read something');
    recordOutcome('Security', 'A session with a known password: wrong password first, then the right one, publish, inspect, export, copy as mosquitto_pub/sub, TLS with and without verification', `Neither password (nor its Basic-auth form) in settings.json, globalState/workspaceState, the log, notifications, exports, the clipboard or copied commands ("$MQTT_PASSWORD"); ${all.length.toLocaleString('en-US')} characters scanned. TLS verification is on by default; a broker with verify: false is marked "TLS not verified" in the warning colour and warned about once.`);
  });
});

/** Every file below a folder, as text (global storage is small). */
function readLogsAndFiles(dir: string): string {
  let text = '';
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    text += entry.isDirectory() ? readLogsAndFiles(path) : readFileSync(path, 'latin1');
  }
  return text;
}
