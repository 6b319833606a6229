/**
 * Locks: {@link dev.actorkit.patterns.mutex.Mutex} (fencing tokens, leases, reentrancy by owner)
 * and its conditions ({@link dev.actorkit.patterns.mutex.ConditionClient}, Python's {@code
 * threading.Condition}).
 */
package dev.actorkit.patterns.mutex;
