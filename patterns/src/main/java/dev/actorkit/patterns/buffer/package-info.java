/**
 * Python's {@code queue} and the producer/consumer basket: {@link
 * dev.actorkit.patterns.buffer.BoundedBuffer} (FIFO, LIFO and priority orders, close and shutdown),
 * its Akka Streams stages, and {@link dev.actorkit.patterns.buffer.WorkQueue} (work pulling with
 * redelivery).
 *
 * <p>The story, the Python names and examples are in {@code docs/buffer.md} in the repository; the
 * rules are the Javadoc of each class, which that page gives in short and links to.
 */
package dev.actorkit.patterns.buffer;
