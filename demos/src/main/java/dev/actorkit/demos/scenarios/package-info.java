/**
 * Every scenario of the demo tour, one class each, in the order of Python's concurrency chapters.
 */
package dev.actorkit.demos.scenarios;
