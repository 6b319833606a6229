/**
 * The deadlock detector: a wait-for graph fed by the locks, which names a cycle and breaks it. *
 *
 * <p>The story, the Python names and examples are in {@code docs/mutex.md} in the repository; the
 * rules are the Javadoc of each class, which that page gives in short and links to.
 */
package dev.actorkit.patterns.deadlock;
