/**
 * The floors every pattern stands on: a tell, an ask and a ping-pong between two plain actors, on
 * each dispatcher.
 */
package dev.actorkit.bench.floor;
