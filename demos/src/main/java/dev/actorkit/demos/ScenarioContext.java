package dev.actorkit.demos;

import dev.actorkit.core.ActorKit;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.errors.TimedOutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

  /**
   * While this story is traced, the events of {@code other}, a kit the story starts (a cluster
   * node), are traced with the story's own until the returned handle is closed, so its timeline
   * shows the primitives that live there too; when the story is not traced, the handle does
   * nothing. Close it before {@code other}.
   */
  public AutoCloseable traceAlso(ActorKit other) {
    if (!kit.tracer().enabled()) {
      return () -> {};
    }
    return other.tracer().forwardTo(kit.tracer());
  }

  /**
   * Runs {@code work} on a (daemon) thread named {@code participant} and waits for it, at most
   * {@code timeout} (real time): for a story's step that one of its characters does through a
   * plain-Java client, so the timeline names the cook rather than the thread that tells the story.
   * Its exception is rethrown here. If the time runs out, or the waiting thread is interrupted, the
   * worker is interrupted and {@link TimedOutException} (or the interrupt) is thrown.
   */
  public <T> T actingAs(String participant, Duration timeout, Callable<T> work) throws Exception {
    FutureTask<T> task = new FutureTask<>(work);
    Thread actor = new Thread(task, participant);
    actor.setDaemon(true);
    actor.start();
    try {
      return task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException late) {
      actor.interrupt();
      throw new TimedOutException(participant + "'s step of the story", timeout);
    } catch (InterruptedException interrupted) {
      actor.interrupt();
      throw interrupted;
    } catch (ExecutionException failed) {
      if (failed.getCause() instanceof Exception exception) {
        throw exception;
      }
      throw failed;
    }
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
