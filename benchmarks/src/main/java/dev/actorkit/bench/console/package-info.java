/**
 * What the live console costs the kit: a mutex's grant loop with no console, with a console nobody
 * watches, and with a page watching.
 */
package dev.actorkit.bench.console;
