/**
 * The kit's tracer: the events the patterns emit (grants, waits, wake-ups), recorded while it is
 * started, for timelines and tests.
 */
package dev.actorkit.core.trace;
