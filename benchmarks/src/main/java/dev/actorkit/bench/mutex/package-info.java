/**
 * Mutex grants, account operations, condition wake-ups and idle actor footprint, beside {@code
 * ReentrantLock} and raw Akka.
 */
package dev.actorkit.bench.mutex;
