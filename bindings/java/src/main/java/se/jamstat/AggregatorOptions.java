package se.jamstat;

import java.util.Arrays;
import java.util.Objects;

/**
 * How an aggregator treats bad records, and whether it counts distinct persons (with the
 * caller's secret 16-byte key for the keyed hash of person ids). Immutable: each method returns a
 * changed copy.
 *
 * <pre>{@code
 * AggregatorOptions.defaults().policy(BadRecordPolicy.TALLY).countPersons(keyFromSecretStore)
 * }</pre>
 */
public final class AggregatorOptions {
  /** Bytes of a person key. */
  public static final int PERSON_KEY_BYTES = 16;

  private static final AggregatorOptions DEFAULTS = new AggregatorOptions(BadRecordPolicy.REJECT, null);

  private final BadRecordPolicy policy;
  private final byte[] personKey;

  private AggregatorOptions(BadRecordPolicy policy, byte[] personKey) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.personKey = personKey;
  }

  /** Bad records rejected (a batch all-or-nothing), persons not counted. */
  public static AggregatorOptions defaults() {
    return DEFAULTS;
  }

  /** With a bad-record policy: REJECT (the default) or TALLY. */
  public AggregatorOptions policy(BadRecordPolicy policy) {
    return new AggregatorOptions(policy, personKey);
  }

  /**
   * Counting distinct persons with this 16-byte key (the caller's secret, agreed with the partners
   * it merges with; the all-zero key is refused). Every record then needs a person id.
   */
  public AggregatorOptions countPersons(byte[] personKey) {
    Objects.requireNonNull(personKey, "personKey");
    if (personKey.length != PERSON_KEY_BYTES) {
      throw new IllegalArgumentException("personKey: " + personKey.length + " bytes given, a person key has " + PERSON_KEY_BYTES);
    }
    return new AggregatorOptions(policy, personKey.clone());
  }

  /** Not counting persons. */
  public AggregatorOptions withoutPersons() {
    return new AggregatorOptions(policy, null);
  }

  public BadRecordPolicy policy() {
    return policy;
  }

  public boolean countsPersons() {
    return personKey != null;
  }

  /** A copy of the person key, or null. */
  public byte[] personKey() {
    return personKey == null ? null : personKey.clone();
  }

  byte[] personKeyShared() {
    return personKey;
  }

  @Override
  public String toString() {
    return "AggregatorOptions[policy=" + policy + ", countPersons=" + countsPersons() + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AggregatorOptions && ((AggregatorOptions) o).policy == policy
        && Arrays.equals(((AggregatorOptions) o).personKey, personKey);
  }

  @Override
  public int hashCode() {
    return policy.hashCode() * 31 + Arrays.hashCode(personKey);
  }
}
