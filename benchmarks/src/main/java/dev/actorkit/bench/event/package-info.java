/** Waking many waiters: an event actor beside parked threads. */
package dev.actorkit.bench.event;
