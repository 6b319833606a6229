package dev.actorkit.demos.scenarios;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.core.trace.TraceKind;
import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.ScenarioContext;
import dev.actorkit.demos.ScenarioOption;
import dev.actorkit.demos.ScenarioResult;
import dev.actorkit.demos.Story;
import dev.actorkit.demos.ThreadsTrace;
import dev.actorkit.patterns.event.Barrier;
import dev.actorkit.patterns.event.BarrierClient;
import dev.actorkit.patterns.event.Latch;
import dev.actorkit.patterns.event.LatchClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runners at a start line, Python's {@code threading.Barrier} example: nobody starts until all are
 * at the line, race after race. Then one runner is taken ill and the barrier breaks for the rest:
 * with threads only a timeout notices; with actors the barrier watches its waiting parties and
 * breaks the moment one dies.
 */
public final class BarrierScenario implements Scenario {

  @Override
  public String name() {
    return "barrier";
  }

  @Override
  public String title() {
    return "Runners start together race after race (threading.Barrier); one falls ill and the barrier breaks";
  }

  @Override
  public List<ScenarioOption> options() {
    return List.of(
        ScenarioOption.integer("runners", 4, "how many runners line up: the barrier's parties")
            .atLeast(2),
        ScenarioOption.integer("races", 3, "races run together before runner 1 is taken ill")
            .atLeast(1),
        ScenarioOption.seconds("lap", 2.0, "story seconds the fastest runner takes for a lap")
            .above(0));
  }

  /**
   * The shortest lap, in real time, for which the threads' timeouts mean a missing runner, not a
   * slow scheduler.
   */
  static final double SHORTEST_LAP_REAL_MS = 20;

  @Override
  public void check(Map<String, Object> options, double speed) {
    double lapMs = (Double) options.get("lap") * 1000 / speed;
    if (lapMs < SHORTEST_LAP_REAL_MS) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "--lap %s at --speed %s is %.2f ms of real time; it must be at least %.0f ms, or the threads' timeouts"
                  + " fire while healthy runners are still being scheduled",
              options.get("lap"),
              speed,
              lapMs,
              SHORTEST_LAP_REAL_MS));
    }
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    int runners = context.intOption("runners");
    int races = context.intOption("races");
    Duration lap = context.secondsOption("lap");
    Tally threads = withThreads(context, runners, races, lap);
    Tally actors = withActors(context, runners, races, lap);

    Story story = context.story();
    story.section("What happened");
    story.note(
        "threads: %d races started together; after the illness %d runners saw the barrier broken (%d of them by their own timeout)",
        threads.generations.get(),
        threads.broken.get() + threads.timedOut.get(),
        threads.timedOut.get());
    story.note(
        "actors:  %d races started together; after the illness %d runners saw the barrier broken, none needed a timeout",
        actors.generations.get(), actors.broken.get());

    boolean ok =
        actors.generations.get() == races
            && actors.broken.get() == runners - 1
            && actors.timedOut.get() == 0
            && actors.illStopped
            && threads.generations.get() == races
            && threads.broken.get() + threads.timedOut.get() == runners - 1;
    return ScenarioResult.of(ok)
        .with("runners", runners)
        .with("generations", actors.generations.get())
        .with("broken_seen", actors.broken.get())
        .with("threads_generations", threads.generations.get())
        .with("threads_broken_seen", threads.broken.get() + threads.timedOut.get())
        .with("threads_timeouts", threads.timedOut.get());
  }

  /** What one telling observed. */
  private static final class Tally {
    final AtomicInteger generations = new AtomicInteger();
    final AtomicInteger broken = new AtomicInteger();
    final AtomicInteger timedOut = new AtomicInteger();
    volatile boolean illStopped;
  }

  /**
   * Runner {@code bib} (1-based) takes a little longer than the one before: lap × (1 + (bib-1)/10).
   */
  private static Duration lapOf(Duration lap, int bib) {
    return Duration.ofNanos(Math.round(lap.toNanos() * (1 + (bib - 1) / 10.0)));
  }

  // --- first telling: threads and java.util.concurrent.CyclicBarrier ---

  private Tally withThreads(ScenarioContext context, int runners, int races, Duration lap)
      throws InterruptedException {
    Story story = context.story();
    Tally tally = new Tally();
    story.section("With threads: a java.util.concurrent.CyclicBarrier");
    story.note(
        "Python: line = threading.Barrier(%d, action=fire_gun, timeout=...); each runner thread calls line.wait().",
        runners);
    story.note(
        "Java's CyclicBarrier is the same: await() parks until %d threads are there; the action runs once per race.",
        runners);
    story.note(
        "In race %d runner 1 is taken ill and goes home: its thread ends. Nobody tells the barrier;",
        races);
    story.note(
        "the others wait at the line until one of them times out, which breaks it for the rest.");
    ThreadsTrace trace = ThreadsTrace.of(context, "start-line");
    CyclicBarrier line =
        new CyclicBarrier(
            runners,
            () -> {
              int race = tally.generations.incrementAndGet();
              trace.event("passed", "", "race " + race);
              story.say(
                  "starter: bang! race %d (the barrier action, run by the last thread to arrive)",
                  race);
            });
    // Ten laps: far more than the slowest runner keeps the others waiting in a healthy race, so
    // only the missing runner can make a thread time out, even on a busy machine.
    long patience = context.clock().toReal(lap.multipliedBy(10)).toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int bib = 1; bib <= runners; bib++) {
      int me = bib;
      Thread runner =
          new Thread(
              () -> {
                try {
                  for (int race = 1; ; race++) {
                    trace.waiting("race " + race);
                    int index = runners - 1 - line.await(patience, TimeUnit.NANOSECONDS);
                    trace.woke("race " + race + ", arrived #" + index);
                    if (me == 1 && race == races) {
                      story.say(
                          "runner 1 (arrived #%d) starts race %d, is taken ill and goes home: its thread ends",
                          index, race);
                      return;
                    }
                    context.pause(lapOf(lap, me));
                  }
                } catch (TimeoutException e) {
                  trace.timedOut("nobody came; the barrier breaks");
                  tally.timedOut.incrementAndGet();
                  story.say(
                      "runner %d: TimeoutException, nobody came; the barrier is now broken", me);
                } catch (BrokenBarrierException e) {
                  trace.event(TraceKind.DROPPED, "the barrier is broken");
                  tally.broken.incrementAndGet();
                  story.say("runner %d: BrokenBarrierException", me);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "runner-" + bib);
      runner.setDaemon(true);
      threads.add(runner);
      runner.start();
    }
    for (Thread runner : threads) {
      runner.join(TimeUnit.NANOSECONDS.toMillis(patience) * (races + 2) + 10_000);
    }
    return tally;
  }

  // --- second telling: actors and a Barrier actor ---

  private enum LapDone {
    INSTANCE
  }

  private Tally withActors(ScenarioContext context, int runners, int races, Duration lap) {
    ActorKit kit = context.kit();
    Story story = context.story();
    Tally tally = new Tally();
    story.section("With actors: a Barrier actor");
    story.note(
        "Each runner is an actor that sends Await to the start line and runs its lap when Passed arrives.");
    story.note(
        "The barrier watches every party waiting at it. In race %d runner 1 is taken ill, walks back to the",
        races);
    story.note(
        "line and collapses there: its actor stops while it waits. The barrier learns of the death at once");
    story.note("and answers Broken to everyone; no timeout is involved.");

    BarrierClient line =
        BarrierClient.create(
            kit,
            "start-line",
            Barrier.Settings.of(runners)
                .withAction(
                    () -> {
                      int race = tally.generations.incrementAndGet();
                      story.say(
                          "starter: bang! race %d (the barrier action, run by the barrier once per generation)",
                          race);
                    }));
    LatchClient finished = LatchClient.create(kit, "finished", runners - 1);
    Duration patience = lap.multipliedBy(100);
    List<ActorRef<Object>> refs = new ArrayList<>();
    for (int bib = 1; bib <= runners; bib++) {
      ActorRef<Object> ill = refs.isEmpty() ? null : refs.get(0);
      refs.add(
          kit.spawn(
              Branch.PRIMITIVES,
              "runner-" + bib,
              runner(
                  bib,
                  races,
                  line.ref(),
                  finished.ref(),
                  lapOf(lap, bib),
                  patience,
                  story,
                  tally,
                  ill),
              SpawnOptions.daemon()));
    }
    boolean allDone = finished.await(patience);
    tally.illStopped = kit.join(refs.get(0), patience);
    story.say(
        "%s; runner 1's actor has %s",
        allDone ? "every healthy runner has heard Broken" : "some runners never heard back",
        tally.illStopped ? "stopped" : "not stopped");
    Barrier.Status broken = line.status();
    long generation = line.reset();
    story.say(
        "the officials reset the line (it was broken: %s); the next race would be generation %d",
        broken.broken(), generation);
    return tally;
  }

  private static Behavior<Object> runner(
      int bib,
      int races,
      ActorRef<Barrier.Command> line,
      ActorRef<Latch.Command> finished,
      Duration lap,
      Duration patience,
      Story story,
      Tally tally,
      ActorRef<Object> ill) {
    // In the last race the healthy runners come back to the line only once runner 1 has
    // collapsed there: runner 1 stops only after its Await is in the barrier's mailbox, so the
    // barrier always breaks, and never trips because a healthy runner happened to be quicker.
    boolean[] illHasCollapsed = {ill == null};
    boolean[] lapDoneInLastRace = {false};
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  if (ill != null) {
                    context.watch(ill);
                  }
                  ActorRef<Barrier.Reply> self = context.getSelf().narrow();
                  Duration realLap = KitClock.get(context.getSystem()).toReal(lap);
                  line.tell(new Barrier.Await(patience, self));
                  return Behaviors.receive(Object.class)
                      .onMessage(
                          Barrier.Passed.class,
                          passed -> {
                            if (bib == 1 && passed.generation() == races - 1) {
                              story.say(
                                  "runner 1 (arrived #%d) starts race %d, pulls up ill, walks back to the line, waits and collapses: its actor stops",
                                  passed.index(), passed.generation() + 1);
                              line.tell(new Barrier.Await(patience, self));
                              return Behaviors.stopped();
                            }
                            timers.startSingleTimer(LapDone.INSTANCE, realLap);
                            return Behaviors.same();
                          })
                      .onMessageEquals(
                          LapDone.INSTANCE,
                          () -> {
                            if (tally.generations.get() >= races && !illHasCollapsed[0]) {
                              lapDoneInLastRace[0] = true;
                              return Behaviors.same();
                            }
                            line.tell(new Barrier.Await(patience, self));
                            return Behaviors.same();
                          })
                      .onSignal(
                          akka.actor.typed.Terminated.class,
                          terminated -> {
                            illHasCollapsed[0] = true;
                            if (lapDoneInLastRace[0]) {
                              line.tell(new Barrier.Await(patience, self));
                            }
                            return Behaviors.same();
                          })
                      .onMessage(
                          Barrier.Broken.class,
                          broken -> {
                            tally.broken.incrementAndGet();
                            story.say(
                                "runner %d comes back to the line and hears Broken: %s",
                                bib, broken.reason());
                            finished.tell(new Latch.CountDown(context.getSystem().ignoreRef()));
                            return Behaviors.stopped();
                          })
                      .onMessage(
                          Barrier.TimedOut.class,
                          timedOut -> {
                            tally.timedOut.incrementAndGet();
                            story.say("runner %d timed out at the line", bib);
                            finished.tell(new Latch.CountDown(context.getSystem().ignoreRef()));
                            return Behaviors.stopped();
                          })
                      .build();
                }));
  }
}
