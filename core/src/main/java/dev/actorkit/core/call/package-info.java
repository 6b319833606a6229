/**
 * The caller layer under every client: one deadline policy, stand-in actors that answer for a
 * caller, and the rules that leave no trace when a caller walks away (interrupted, cancelled, timed
 * out, a kit that closes). Start at {@link dev.actorkit.core.call.Callers}.
 */
package dev.actorkit.core.call;
