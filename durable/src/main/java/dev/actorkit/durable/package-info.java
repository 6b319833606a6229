/**
 * Named primitives that outlive their host: each is a Cluster Sharding entity whose state is kept
 * in a JDBC store, so it moves to a surviving node with its holder, waiters and next fencing token
 * when the JVM that hosted it dies. See {@link dev.actorkit.durable.DurableKit}.
 */
package dev.actorkit.durable;
