/**
 * The {@code actorkit-demos} command line (picocli): list, run, tour, tree and console; option
 * checks, JSON output and HTML timelines.
 */
package dev.actorkit.demos.cli;
