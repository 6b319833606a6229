/** Semaphore and read-write lock grants beside {@code java.util.concurrent} and raw Akka. */
package dev.actorkit.bench.semaphore;
