/**
 * The kit on Akka Cluster: named primitives hosted once in the cluster and reached from any JVM
 * through the same clients, pipes and managers between processes, and a launcher for child JVMs:
 * {@link dev.actorkit.cluster.ClusterNode}, {@link dev.actorkit.cluster.ClusterNames}, {@link
 * dev.actorkit.cluster.ChildJvm} and the Jackson module that carries KitMessages.
 */
package dev.actorkit.cluster;
