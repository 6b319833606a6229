/**
 * JMH benchmarks and timed harnesses: each pattern beside its {@code java.util.concurrent} and
 * raw-Akka baseline, measured in the same run. How to run them and the figures are in {@code
 * benchmarks/README.md}.
 */
package dev.actorkit.bench;
