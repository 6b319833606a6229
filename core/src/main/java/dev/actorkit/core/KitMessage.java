package dev.actorkit.core;

/**
 * Marker for every message of an actorkit protocol: commands and replies alike.
 *
 * <p>Implementations are immutable records whose fields are themselves records, strings, numbers,
 * byte arrays, {@code ActorRef}s or immutable collections of those. The cluster module binds this
 * interface to Jackson CBOR, so a protocol that follows the rule crosses JVMs unchanged; nothing in
 * actorkit uses Java serialization.
 */
public interface KitMessage {}
