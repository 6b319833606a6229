/**
 * Python's executors and {@code multiprocessing.Pool} on threads: {@link
 * dev.actorkit.patterns.pool.WorkerPool}, its client, and {@link
 * dev.actorkit.patterns.pool.TaskFuture}. The process pool that runs tasks in worker JVMs is in
 * {@code dev.actorkit.cluster.process}.
 *
 * <p>The story, the Python names and examples are in {@code docs/pool.md} in the repository; the
 * rules are the Javadoc of each class, which that page gives in short and links to.
 */
package dev.actorkit.patterns.pool;
