/**
 * The live console: {@link dev.actorkit.core.console.KitConsole}, a read-only page served by the
 * kit on 127.0.0.1 that shows, as events happen, the actor tree, every primitive's holders and
 * waiters, levels and the wait-for graph; started with {@link
 * dev.actorkit.core.ActorKit#console(int)}. What it reads from the kit's tracer, and how it costs
 * nothing while nobody watches, is in {@code KitConsole}'s Javadoc; how a trace event changes what
 * it shows is in {@code ConsoleModel}'s.
 */
package dev.actorkit.core.console;
