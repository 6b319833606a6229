/**
 * Python's {@code multiprocessing.Pipe}: two connected ends, duplex or one-way, that can move to
 * the JVM that uses them.
 */
package dev.actorkit.patterns.pipe;
