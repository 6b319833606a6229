package dev.actorkit.demos;

import dev.actorkit.core.ActorKit;
import dev.actorkit.core.KitClock;
import java.time.Duration;
import java.util.Map;

/** What a running scenario gets: the kit, its narration and the values of its options. */
public final class ScenarioContext {

  private final ActorKit kit;
  private final Story story;
  private final Map<String, Object> options;

  public ScenarioContext(ActorKit kit, Story story, Map<String, Object> options) {
    this.kit = kit;
    this.story = story;
    this.options = Map.copyOf(options);
  }

  /** The kit the runner started for this scenario, closed after it. */
  public ActorKit kit() {
    return kit;
  }

  public KitClock clock() {
    return kit.clock();
  }

  public Story story() {
    return story;
  }

  public int intOption(String name) {
    return (Integer) option(name);
  }

  public long longOption(String name) {
    return (Long) option(name);
  }

  public double doubleOption(String name) {
    return (Double) option(name);
  }

  public String textOption(String name) {
    return (String) option(name);
  }

  /** An option given in seconds of story time, as a duration. */
  public Duration secondsOption(String name) {
    return Duration.ofNanos(Math.round(doubleOption(name) * 1e9));
  }

  /**
   * How long, in story time, a timer step really lasts at least: one tick of the actor system's
   * scheduler. A story whose steps are shorter stretches; its deadlines must allow for that.
   */
  public Duration shortestStep() {
    return clock()
        .toStory(kit.system().settings().config().getDuration("akka.scheduler.tick-duration"));
  }

  /**
   * How long to wait for {@code steps} timer steps of {@code step} each, one after another, with
   * room to spare: at least {@code floor}, and four times what the steps take once each lasts at
   * least {@link #shortestStep()}.
   */
  public Duration patience(Duration floor, long steps, Duration step) {
    Duration each = step.compareTo(shortestStep()) < 0 ? shortestStep() : step;
    Duration needed = each.multipliedBy(Math.max(1, steps)).multipliedBy(4);
    return needed.compareTo(floor) > 0 ? needed : floor;
  }

  /**
   * Blocks for {@code storyTime} on the kit clock: for a demo's own threads, never inside an actor.
   */
  public void pause(Duration storyTime) throws InterruptedException {
    Duration real = clock().toReal(storyTime);
    Thread.sleep(real.toMillis(), real.toNanosPart() % 1_000_000);
  }

  private Object option(String name) {
    Object value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException("the scenario declared no option --" + name);
    }
    return value;
  }
}
