/**
 * The kit: {@link dev.actorkit.core.ActorKit} (guardian, branches, dispatchers, spawn, join, an
 * ordered close), {@link dev.actorkit.core.KitClock} (story time), {@link
 * dev.actorkit.core.Futures} and {@link dev.actorkit.core.TaskGroup} (gather, wait, task groups),
 * {@link dev.actorkit.core.Timer}, and the marker {@link dev.actorkit.core.KitMessage} for every
 * protocol.
 */
package dev.actorkit.core;
