/** Shared map operations beside {@code ConcurrentHashMap} and raw Akka. */
package dev.actorkit.bench.manager;
