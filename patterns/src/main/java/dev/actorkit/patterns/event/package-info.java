/**
 * Signals: Python's {@code Event} ({@link dev.actorkit.patterns.event.Event}), a countdown latch,
 * {@code Barrier}, and a broadcast topic.
 *
 * <p>The story, the Python names and examples are in {@code docs/event.md} in the repository; the
 * rules are the Javadoc of each class, which that page gives in short and links to.
 */
package dev.actorkit.patterns.event;
