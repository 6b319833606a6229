/** Bounded buffer put/take beside {@code ArrayBlockingQueue} and raw Akka. */
package dev.actorkit.bench.buffer;
