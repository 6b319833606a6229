/**
 * The kit: {@link dev.actorkit.core.ActorKit} (guardian, branches, dispatchers, spawn, join, an
 * ordered close), {@link dev.actorkit.core.KitClock} (story time), {@link
 * dev.actorkit.core.Futures} and {@link dev.actorkit.core.TaskGroup} (gather, wait, task groups),
 * {@link dev.actorkit.core.Timer}, {@link dev.actorkit.core.RecentIds} (the memory of recent
 * request ids behind every actor that answers a retry with its first answer), and the marker {@link
 * dev.actorkit.core.KitMessage} for every protocol.
 *
 * <p>The story, the Python names and examples are in {@code docs/kit.md} in the repository; the
 * rules are the Javadoc of each class, which that page gives in short and links to.
 */
package dev.actorkit.core;
