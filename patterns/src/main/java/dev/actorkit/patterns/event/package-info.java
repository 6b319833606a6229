/**
 * Signals: Python's {@code Event} ({@link dev.actorkit.patterns.event.Event}), a countdown latch,
 * {@code Barrier}, and a broadcast topic.
 */
package dev.actorkit.patterns.event;
