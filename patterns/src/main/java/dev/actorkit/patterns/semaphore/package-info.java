/**
 * Counting: {@link dev.actorkit.patterns.semaphore.Semaphore} (bounded or not) and {@link
 * dev.actorkit.patterns.semaphore.ReadWriteLock} (writers not starved, downgrade), with their
 * shared {@link dev.actorkit.patterns.semaphore.WaitQueue}.
 *
 * <p>The story, the Python names and examples are in {@code docs/semaphore.md} in the repository;
 * the rules are the Javadoc of each class, which that page gives in short and links to.
 */
package dev.actorkit.patterns.semaphore;
