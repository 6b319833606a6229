/**
 * Python's {@code multiprocessing.Manager}: a shared dict and a shared list as actors, with atomic
 * operations and subscriptions, usable from other JVMs.
 *
 * <p>The story, the Python names and examples are in {@code docs/pipe-manager.md} in the
 * repository; the rules are the Javadoc of each class, which that page gives in short and links to.
 */
package dev.actorkit.patterns.manager;
