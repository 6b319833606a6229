/**
 * The exceptions clients throw, all {@link dev.actorkit.core.errors.KitException}s: a wait that
 * timed out, a refusal, a closed kit or primitive, a broken barrier, a dead worker.
 */
package dev.actorkit.core.errors;
