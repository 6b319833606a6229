/**
 * Python's {@code multiprocessing.Pipe}: two connected ends, duplex or one-way, that can move to
 * the JVM that uses them.
 *
 * <p>The story, the Python names and examples are in {@code docs/pipe-manager.md} in the
 * repository; the rules are the Javadoc of each class, which that page gives in short and links to.
 */
package dev.actorkit.patterns.pipe;
