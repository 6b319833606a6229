/** Pipes in one JVM and between two, beside a plain loopback socket and two plain actors. */
package dev.actorkit.bench.pipe;
