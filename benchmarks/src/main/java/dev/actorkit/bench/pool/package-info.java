/**
 * Worker pools and process pools with tiny tasks, beside {@code ThreadPoolExecutor}; the heap a
 * queued task costs.
 */
package dev.actorkit.bench.pool;
