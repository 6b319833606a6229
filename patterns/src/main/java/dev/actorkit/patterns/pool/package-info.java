/**
 * Python's executors and {@code multiprocessing.Pool} on threads: {@link
 * dev.actorkit.patterns.pool.WorkerPool}, its client, and {@link
 * dev.actorkit.patterns.pool.TaskFuture}. The process pool that runs tasks in worker JVMs is in
 * {@code dev.actorkit.cluster.process}.
 */
package dev.actorkit.patterns.pool;
