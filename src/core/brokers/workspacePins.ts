/**
 * Certificates the user trusted (Trust This Certificate) for brokers of `.vscode/brokers.json`.
 * A repository never pins a certificate and we never write to its brokers.json: the pin is kept in
 * our own storage (machine-local), keyed to the workspace broker's id (its folder and name) and
 * bound to the entry's endpoint and TLS settings. When the file later points the broker somewhere
 * else (a pulled change) the pin no longer applies and the certificate is checked as usual again.
 */
import { endpointOf } from './brokerSecrets';
import { isWorkspaceProfile, type BrokerProfile, type PinnedCertificate } from './profile';

export interface StoredPin {
  readonly pin: PinnedCertificate;
  /** endpointOf the entry (without the pin) when it was trusted. */
  readonly binding: string;
}

/** Where the pins live (globalState in the extension, a Map in tests). Holds no secret: certificates are public. */
export interface PinStore {
  load(): Readonly<Record<string, StoredPin>>;
  save(pins: Readonly<Record<string, StoredPin>>): Promise<void>;
}

/** The entry as brokers.json gives it: without a pin of ours. */
function withoutPin(profile: BrokerProfile): BrokerProfile {
  if (!profile.tls?.pinned) {
    return profile;
  }
  const tls = { ...profile.tls };
  delete tls.pinned;
  return { ...profile, tls };
}

export class WorkspacePins {
  constructor(private readonly store: PinStore) {}

  /** The workspace broker with the certificate its user trusted, when the entry still points where it did. */
  apply(profile: BrokerProfile): BrokerProfile {
    if (!isWorkspaceProfile(profile)) {
      return profile;
    }
    const entry = withoutPin(profile);
    const stored = this.store.load()[profile.id];
    if (!stored || stored.binding !== endpointOf(entry)) {
      return entry;
    }
    return { ...entry, tls: { ...entry.tls, verify: undefined, pinned: stored.pin } };
  }

  /** True when a pin is kept for this broker but its entry now points elsewhere (so it is not used). */
  isStale(profile: BrokerProfile): boolean {
    const stored = this.store.load()[profile.id];
    return stored !== undefined && stored.binding !== endpointOf(withoutPin(profile));
  }

  /** Trusts `pin` for the workspace broker (undefined: stops trusting it); returns the profile with it applied. */
  async trust(profile: BrokerProfile, pin: PinnedCertificate | undefined): Promise<BrokerProfile> {
    const entry = withoutPin(profile);
    const others = { ...this.store.load() };
    delete others[profile.id];
    await this.store.save(pin ? { ...others, [profile.id]: { pin, binding: endpointOf(entry) } } : others);
    return this.apply(entry);
  }
}
