/**
 * Process pools: Python's {@code ProcessPoolExecutor} and {@code multiprocessing.Pool} with real
 * worker JVMs. {@link dev.actorkit.cluster.process.ProcessPool} is the coordinator actor and its
 * rules, {@link dev.actorkit.cluster.process.ProcessPoolClient} the plain-Java client, {@link
 * dev.actorkit.cluster.process.ProcessTasks} the named tasks a worker JVM can run, and {@link
 * dev.actorkit.cluster.process.ProcessWorker} the worker JVM's main class. Tasks, arguments and
 * results cross as JSON over loopback sockets; no Akka Cluster is needed.
 *
 * <p>The story, the Python names and examples are in {@code docs/process-pool.md} in the
 * repository; the rules are the Javadoc of each class, which that page gives in short and links to.
 */
package dev.actorkit.cluster.process;
