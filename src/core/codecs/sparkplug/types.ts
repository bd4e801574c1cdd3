// A decoded Sparkplug B payload, as the codec and the state tracker share it (plain data).

export interface SparkplugMetric {
  name?: string;
  /** Numbers up to 2^53; larger aliases as decimal text. */
  alias?: number | string;
  /** Milliseconds since the epoch. */
  timestamp?: number;
  /** The `datatype` number (see DATATYPES); 0 when the message does not say (DATA with an alias). */
  datatype: number;
  /** JSON-able: numbers, text, booleans, `{ $base64 }`, DataSet/Template/PropertySet objects; null when is_null. */
  value: unknown;
  isNull?: boolean;
  isHistorical?: boolean;
  isTransient?: boolean;
  properties?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

export interface SparkplugPayload {
  timestamp?: number;
  seq?: number;
  uuid?: string;
  body?: Uint8Array;
  metrics: SparkplugMetric[];
}

/** What a decode gives: the payload as far as it could be read, and the fault in words. */
export interface SparkplugDecoded {
  payload: SparkplugPayload;
  error?: string;
}

/** A STATE message of a host application: JSON `{online, timestamp}` (3.0) or ONLINE/OFFLINE (2.2). */
export interface SparkplugHostState {
  online: boolean;
  timestamp?: number;
}

/** What the NCMD/DCMD builder and the encoder take: metrics by name (aliases filled in from the last BIRTH) or by alias. */
export interface SparkplugMetricInput {
  name?: string;
  alias?: number;
  /** A data type name (`Int32`, `Boolean` …) or number; taken from the BIRTH when left out. */
  datatype?: string | number;
  value: unknown;
  timestamp?: number;
}

export interface SparkplugPayloadInput {
  timestamp?: number;
  seq?: number;
  uuid?: string;
  metrics: SparkplugMetricInput[];
}
