/** The deadlock detector: a wait-for graph fed by the locks, which names a cycle and breaks it. */
package dev.actorkit.patterns.deadlock;
