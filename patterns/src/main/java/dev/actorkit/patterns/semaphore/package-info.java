/**
 * Counting: {@link dev.actorkit.patterns.semaphore.Semaphore} (bounded or not) and {@link
 * dev.actorkit.patterns.semaphore.ReadWriteLock} (writers not starved, downgrade), with their
 * shared {@link dev.actorkit.patterns.semaphore.WaitQueue}.
 */
package dev.actorkit.patterns.semaphore;
