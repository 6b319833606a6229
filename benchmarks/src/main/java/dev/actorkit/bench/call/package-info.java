/**
 * What the caller layer costs a plain-Java caller, beside raw asks and {@code
 * java.util.concurrent}.
 */
package dev.actorkit.bench.call;
