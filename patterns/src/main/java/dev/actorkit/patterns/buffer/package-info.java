/**
 * Python's {@code queue} and the producer/consumer basket: {@link
 * dev.actorkit.patterns.buffer.BoundedBuffer} (FIFO, LIFO and priority orders, close and shutdown),
 * its Akka Streams stages, and {@link dev.actorkit.patterns.buffer.WorkQueue} (work pulling with
 * redelivery).
 */
package dev.actorkit.patterns.buffer;
