/**
 * The caller layer under every client: one deadline policy, stand-in actors that answer for a
 * caller, and the rules that leave no trace when a caller walks away (interrupted, cancelled, timed
 * out, a kit that closes). Start at {@link dev.actorkit.core.call.Callers}.
 *
 * <p>The story, the Python names and examples are in {@code docs/kit.md} in the repository; the
 * rules are the Javadoc of each class, which that page gives in short and links to.
 */
package dev.actorkit.core.call;
