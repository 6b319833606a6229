/**
 * The kit on Akka Cluster: named primitives hosted once in the cluster and reached from any
 * JVM through the same clients, pipes and managers between processes, and a launcher for child
 * JVMs. Empty until the cluster issue lands; the module exists so the build, the enforcer and
 * the demos already include it.
 */
package dev.actorkit.cluster;
