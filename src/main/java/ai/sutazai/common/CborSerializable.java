package ai.sutazai.common;

/**
 * Marker for every message, event and state that may cross the network or the journal.
 * Bound to Jackson CBOR in {@code akka.actor.serialization-bindings}; Java serialization is off.
 */
public interface CborSerializable {}
