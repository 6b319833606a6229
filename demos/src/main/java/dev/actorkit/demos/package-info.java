/**
 * The demo command line's model: a {@link dev.actorkit.demos.Scenario} tells one classic story
 * (threads first, then actors) through a {@link dev.actorkit.demos.Story}, with its declared {@link
 * dev.actorkit.demos.ScenarioOption}s, and returns a {@link dev.actorkit.demos.ScenarioResult}.
 */
package dev.actorkit.demos;
