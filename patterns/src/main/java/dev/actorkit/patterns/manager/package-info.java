/**
 * Python's {@code multiprocessing.Manager}: a shared dict and a shared list as actors, with atomic
 * operations and subscriptions, usable from other JVMs.
 */
package dev.actorkit.patterns.manager;
