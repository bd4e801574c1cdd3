// The one place where src/core's rooms are joined: the registry (core/brokers) knows connections
// only as BrokerConnection, and the MQTT and AMQP sessions build on core/brokers; this factory gives
// the registry both without a cycle between the folders.
import { AmqpConnection } from './amqp/amqpConnection';
import type { ConnectionOptions } from './brokers/connection';
import type { BrokerProfile } from './brokers/profile';
import type { ConnectionFactory } from './brokers/registry';
import { MqttConnection } from './mqtt/mqttConnection';
import type { TopicModelOptions } from './mqtt/topicModel';

/** MQTT profiles get an MqttConnection (with these topic model limits, read at each new connection), AMQP ones an AmqpConnection. */
export function connectionFactory(topicModel?: () => Partial<TopicModelOptions>): ConnectionFactory {
  return (profile: BrokerProfile, options: ConnectionOptions) => (profile.kind === 'mqtt' ? new MqttConnection(profile, { ...options, topicModel: topicModel?.() }) : new AmqpConnection(profile, options));
}
