/**
 * The kit on Akka Cluster: primitives hosted in one JVM, registered under a name and reached from
 * any JVM through the same clients, pipes and managers between processes, and a launcher for child
 * JVMs: {@link dev.actorkit.cluster.ClusterNode}, {@link dev.actorkit.cluster.ClusterNames}, {@link
 * dev.actorkit.cluster.ChildJvm} and the Jackson module that carries KitMessages.
 *
 * <p>The story, the Python names and examples are in {@code docs/cluster.md} in the repository; the
 * rules are the Javadoc of each class, which that page gives in short and links to.
 */
package dev.actorkit.cluster;
