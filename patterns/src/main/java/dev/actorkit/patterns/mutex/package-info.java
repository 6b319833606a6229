/**
 * Locks: {@link dev.actorkit.patterns.mutex.Mutex} (fencing tokens, leases, reentrancy by owner)
 * and its conditions ({@link dev.actorkit.patterns.mutex.ConditionClient}, Python's {@code
 * threading.Condition}).
 *
 * <p>The story, the Python names and examples are in {@code docs/mutex.md} in the repository; the
 * rules are the Javadoc of each class, which that page gives in short and links to.
 */
package dev.actorkit.patterns.mutex;
