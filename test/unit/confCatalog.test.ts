import { strict as assert } from 'node:assert';
import { CATALOG } from '../../src/core/conf/catalog';
import { findOption, optionsInScope, suggestOption } from '../../src/core/conf/optionLookup';

/** Option names of mosquitto 2.0.11 src/conf.c (every `!strcmp(token, "…")` that names an option), extracted once. */
const CONF_C_OPTIONS = [
  'acl_file',
  'address',
  'addresses',
  'allow_anonymous',
  'allow_duplicate_messages',
  'allow_zero_length_clientid',
  'auth_plugin',
  'auth_plugin_deny_special_chars',
  'auto_id_prefix',
  'autosave_interval',
  'autosave_on_changes',
  'bind_address',
  'bind_interface',
  'bridge_alpn',
  'bridge_attempt_unsubscribe',
  'bridge_bind_address',
  'bridge_cafile',
  'bridge_capath',
  'bridge_certfile',
  'bridge_identity',
  'bridge_insecure',
  'bridge_keyfile',
  'bridge_max_packet_size',
  'bridge_outgoing_retain',
  'bridge_protocol_version',
  'bridge_psk',
  'bridge_require_ocsp',
  'bridge_tls_version',
  'cafile',
  'capath',
  'certfile',
  'check_retain_source',
  'ciphers',
  'ciphers_tls1.3',
  'cleansession',
  'clientid',
  'clientid_prefixes',
  'connection',
  'connection_messages',
  'crlfile',
  'dhparamfile',
  'http_dir',
  'idle_timeout',
  'include_dir',
  'keepalive_interval',
  'keyfile',
  'listener',
  'local_cleansession',
  'local_clientid',
  'local_password',
  'local_username',
  'log_dest',
  'log_facility',
  'log_timestamp',
  'log_timestamp_format',
  'log_type',
  'max_connections',
  'max_inflight_bytes',
  'max_inflight_messages',
  'max_keepalive',
  'max_packet_size',
  'max_qos',
  'max_queued_bytes',
  'max_queued_messages',
  'max_topic_alias',
  'maximum_qos',
  'memory_limit',
  'message_size_limit',
  'mount_point',
  'notification_topic',
  'notifications',
  'notifications_local_only',
  'password',
  'password_file',
  'per_listener_settings',
  'persistence',
  'persistence_file',
  'persistence_location',
  'persistent_client_expiration',
  'pid_file',
  'plugin',
  'port',
  'protocol',
  'psk_file',
  'psk_hint',
  'queue_qos0_messages',
  'remote_clientid',
  'remote_password',
  'remote_username',
  'require_certificate',
  'restart_timeout',
  'retain_available',
  'retained_persistence',
  'retry_interval',
  'round_robin',
  'set_tcp_nodelay',
  'socket_domain',
  'start_type',
  'sys_interval',
  'threshold',
  'tls_engine',
  'tls_engine_kpass_sha1',
  'tls_keyform',
  'tls_version',
  'topic',
  'try_private',
  'upgrade_outgoing_qos',
  'use_identity_as_username',
  'use_subject_as_username',
  'use_username_as_clientid',
  'user',
  'username',
  'websockets_headers_size',
  'websockets_log_level',
];

describe('mosquitto.conf catalog', () => {
  it('has every option conf.c accepts, and nothing else', () => {
    const exact = CATALOG.filter((o) => !o.name.endsWith('*')).map((o) => o.name).sort();
    assert.deepEqual(exact, [...CONF_C_OPTIONS].sort());
    assert.ok(CATALOG.some((o) => o.name === 'auth_opt_*'));
    assert.ok(CATALOG.some((o) => o.name === 'plugin_opt_*'));
  });

  it('has no duplicate names and documents every option', () => {
    const names = new Set<string>();
    for (const o of CATALOG) {
      assert.ok(!names.has(o.name), o.name);
      names.add(o.name);
      assert.ok(o.doc.length > 10, `doc of ${o.name}`);
      assert.ok(o.syntax.startsWith(o.name.replace('*', '')), `syntax of ${o.name}`);
    }
  });

  it('describes how mosquitto reads each option consistently', () => {
    const byName = new Map(CATALOG.map((o) => [o.name, o]));
    for (const o of CATALOG) {
      assert.equal(o.value === 'bool', o.values?.join() === 'true,false', `${o.name}: booleans offer true and false, and only they`);
      if (o.range) {
        assert.equal(o.value, 'int', `${o.name}: a range needs an int value`);
        assert.ok(o.range.min !== undefined || o.range.max !== undefined, `${o.name}: a range has a bound`);
        assert.ok(o.range.message().length > 0, `${o.name}: a range says what is wrong`);
      }
      if (o.path) {
        assert.equal(o.value, 'string', `${o.name}: a path is a string value`);
      }
      if (o.sameAs) {
        const other = byName.get(o.sameAs);
        assert.ok(other, `${o.name}: same as an option of the catalog`);
        assert.equal(other.scope, o.scope, `${o.name}: same scope as ${o.sameAs}`);
        assert.equal(other.value, o.value, `${o.name}: read like ${o.sameAs}`);
      }
      if (o.stillWorks) {
        assert.ok(o.deprecated, `${o.name}: only a deprecated option can still work`);
        assert.ok(o.stillWorks().length > 0);
      }
    }
  });

  it('finds options case-sensitively and by plugin prefix', () => {
    assert.equal(findOption('listener')?.scope, 'listener');
    assert.equal(findOption('Listener'), undefined);
    assert.equal(findOption('auth_opt_backend')?.name, 'auth_opt_*');
    assert.equal(findOption('plugin_opt_config_file')?.name, 'plugin_opt_*');
    assert.equal(findOption('password_file')?.scope, 'security');
    assert.equal(findOption('topic')?.scope, 'bridge');
    assert.equal(findOption('port')?.deprecated, 'listener');
    assert.deepEqual(findOption('protocol')?.values, ['mqtt', 'websockets']);
  });

  it('suggests close names', () => {
    assert.equal(suggestOption('Listener'), 'listener');
    assert.equal(suggestOption('allow_anonymus'), 'allow_anonymous');
    assert.equal(suggestOption('pasword_file'), 'password_file');
    assert.equal(suggestOption('ALLOW_ANONYMOUS'), 'allow_anonymous');
    assert.equal(suggestOption('completely_unrelated_thing'), undefined);
  });

  it('offers scope-aware completions', () => {
    const general = optionsInScope({ section: 'general' }).map((o) => o.name);
    assert.ok(general.includes('password_file'));
    assert.ok(!general.includes('topic'), 'bridge options need a connection');
    const bridge = optionsInScope({ section: 'bridge' });
    assert.equal(bridge[0]?.scope, 'bridge');
    const perListener = optionsInScope({ section: 'listener', perListenerSettings: true });
    const top = perListener.filter((o) => o.scope === 'security' || o.scope === 'listener').length;
    assert.ok(perListener.slice(0, top).every((o) => o.scope === 'security' || o.scope === 'listener'));
    const shared = optionsInScope({ section: 'listener' });
    assert.notEqual(shared[0]?.scope, 'security');
  });
});
