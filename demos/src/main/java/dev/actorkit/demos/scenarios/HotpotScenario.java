package dev.actorkit.demos.scenarios;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.ScenarioContext;
import dev.actorkit.demos.ScenarioOption;
import dev.actorkit.demos.ScenarioResult;
import dev.actorkit.demos.Story;
import dev.actorkit.demos.ThreadsTrace;
import dev.actorkit.patterns.event.Event;
import dev.actorkit.patterns.event.EventClient;
import dev.actorkit.patterns.event.Latch;
import dev.actorkit.patterns.event.LatchClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The hotpot dinner, Python's {@code threading.Event} example: friends sit down and wait; the host
 * counts down and announces "start eating"; every friend who was waiting wakes at once, and nobody
 * eats before the signal.
 */
public final class HotpotScenario implements Scenario {

  /** A thread costs a stack: the shared-memory telling seats at most this many friends. */
  static final int MAX_THREADS = 200;

  /** Friends tell their story line by line only at a small table. */
  private static final int CHATTY_TABLE = 12;

  @Override
  public String name() {
    return "hotpot";
  }

  @Override
  public String title() {
    return "Friends wait for the host's signal (threading.Event): Event wakes every waiter exactly once";
  }

  @Override
  public List<ScenarioOption> options() {
    return List.of(
        ScenarioOption.integer(
                "friends", 2, "how many friends sit at the table (any number; 10,000 works)")
            .atLeast(1),
        ScenarioOption.integer(
                "countdown", 3, "the host counts down from this, one story second a number")
            .atLeast(0));
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    int friends = context.intOption("friends");
    int countdown = context.intOption("countdown");
    Story story = context.story();
    // The friends will wait all evening: long enough, even at --speed 100, for 10,000+ of them
    // to be seated (spawning them is real time) before the host starts to count.
    Duration patience = Duration.ofHours(4);

    Observed threads = withThreads(context, Math.min(friends, MAX_THREADS), countdown, patience);
    Observed actors = withActors(context, friends, countdown, patience);

    story.section("What happened");
    story.note(
        "threads: %d of %d woke after the signal, %d ate before it, the last woke %.2f ms after it",
        threads.woke, threads.seated, threads.ateBefore, threads.spreadMs);
    story.note(
        "actors:  %d of %d woke after the signal, %d ate before it, the last woke %.2f ms after it",
        actors.woke, actors.seated, actors.ateBefore, actors.spreadMs);
    story.note(
        "(wake spreads are wall-clock milliseconds, from the host's signal to the last friend eating.)");

    boolean ok =
        actors.seated == friends
            && actors.woke == friends
            && actors.ateBefore == 0
            && threads.woke == threads.seated
            && threads.ateBefore == 0;
    return ScenarioResult.of(ok)
        .with("friends", actors.seated)
        .with("woke", actors.woke)
        .with("ate_before_signal", actors.ateBefore)
        .with("wake_spread_ms", round(actors.spreadMs))
        .with("threads_friends", threads.seated)
        .with("threads_woke", threads.woke)
        .with("threads_wake_spread_ms", round(threads.spreadMs));
  }

  /** What one telling observed. */
  private record Observed(int seated, int woke, int ateBefore, double spreadMs) {
    static Observed of(int seated, long signalAt, AtomicLongArray ateAt) {
      int woke = 0;
      int ateBefore = 0;
      long last = signalAt;
      for (int i = 0; i < ateAt.length(); i++) {
        long at = ateAt.get(i);
        if (at == 0) {
          continue;
        }
        if (at < signalAt) {
          ateBefore++;
        } else {
          woke++;
          last = Math.max(last, at);
        }
      }
      return new Observed(seated, woke, ateBefore, (last - signalAt) / 1e6);
    }
  }

  // --- first telling: threads and java.util.concurrent ---

  private Observed withThreads(
      ScenarioContext context, int friends, int countdown, Duration patience) throws Exception {
    Story story = context.story();
    boolean chatty = friends <= CHATTY_TABLE;
    story.section("With threads: a java.util.concurrent.CountDownLatch(1) as the event");
    story.note(
        "Python: dinner = threading.Event(); each friend thread calls dinner.wait(); the host calls dinner.set().");
    story.note(
        "Java's nearest is a CountDownLatch of 1: await() parks the thread, countDown() releases them all, once.");
    if (friends < context.intOption("friends")) {
      story.note(
          "A thread costs a stack, so this telling seats only %d friends; the actors below seat them all.",
          friends);
    }
    CountDownLatch dinner = new CountDownLatch(1);
    ThreadsTrace trace = ThreadsTrace.of(context, "dinner");
    CountDownLatch seated = new CountDownLatch(friends);
    AtomicLongArray ateAt = new AtomicLongArray(friends);
    long patienceNanos = context.clock().toReal(patience).toNanos();
    List<Thread> table = new ArrayList<>();
    for (int i = 0; i < friends; i++) {
      int seat = i;
      Thread friend =
          new Thread(
              () -> {
                if (chatty) {
                  story.say("friend %d sits down and waits (dinner.await())", seat + 1);
                }
                try {
                  if (trace.arriveAndAwait(seated, dinner, patienceNanos, TimeUnit.NANOSECONDS)) {
                    ateAt.set(seat, System.nanoTime());
                    if (chatty) {
                      story.say("friend %d wakes and eats", seat + 1);
                    }
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "friend-" + (i + 1));
      friend.setDaemon(true);
      table.add(friend);
      friend.start();
    }
    if (!seated.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the friends' threads did not sit down within 30 s");
    }
    if (!chatty) {
      story.say("%d friend threads sit down and park in dinner.await()", friends);
    }
    long signalAt = hostCountsDown(context, countdown);
    trace.event("set", "");
    dinner.countDown();
    for (Thread friend : table) {
      friend.join(TimeUnit.NANOSECONDS.toMillis(patienceNanos) + 10_000);
    }
    Observed observed = Observed.of(friends, signalAt, ateAt);
    story.say(
        "all %d threads have eaten; the last woke %.2f ms after the signal",
        observed.woke, observed.spreadMs);
    return observed;
  }

  // --- second telling: actors and an Event ---

  private Observed withActors(
      ScenarioContext context, int friends, int countdown, Duration patience) {
    ActorKit kit = context.kit();
    Story story = context.story();
    boolean chatty = friends <= CHATTY_TABLE;
    story.section("With actors: an Event actor");
    story.note(
        "Each friend is an actor that sends Wait to the dinner event and does nothing until it is answered:");
    story.note(
        "no thread is parked. The host sends Set; the event answers Fired to every waiter, once, in seating order.");
    story.note(
        "A friend eats when its Fired arrives, then counts down the 'fed' latch the host waits on.");

    EventClient dinner = EventClient.create(kit, "dinner");
    LatchClient fed = LatchClient.create(kit, "fed", friends);
    AtomicLongArray ateAt = new AtomicLongArray(friends);
    kit.spawn(
        Branch.PRIMITIVES,
        "table",
        Behaviors.setup(
            table -> {
              for (int i = 0; i < friends; i++) {
                table.spawn(
                    friend(i, dinner.ref(), fed.ref(), patience, ateAt, chatty ? story : null),
                    "friend-" + (i + 1));
              }
              return Behaviors.empty();
            }),
        SpawnOptions.daemon());

    Duration seatingBound = context.clock().toStory(Duration.ofSeconds(60));
    Duration waited = Duration.ZERO;
    Event.Status status = dinner.status();
    while (status.waiting() < friends && waited.compareTo(seatingBound) < 0) {
      pause(context, Duration.ofMillis(100));
      waited = waited.plusMillis(100);
      status = dinner.status();
    }
    story.say(
        "the dinner event has %d friends waiting; is it set? %s", status.waiting(), status.set());

    long signalAt = hostCountsDown(context, countdown);
    int woken = dinner.set();
    story.say("the event answered the host: Set woke %d waiters", woken);
    boolean allFed = fed.await(patience);
    Observed observed = Observed.of(status.waiting(), signalAt, ateAt);
    story.say(
        "%s: %d friends have eaten; the last woke %.2f ms after the signal",
        allFed ? "the 'fed' latch opened" : "the 'fed' latch timed out",
        observed.woke,
        observed.spreadMs);
    story.say(
        "a late guest arrives and waits: %s",
        dinner.await(Duration.ofSeconds(1))
            ? "the event is still set, so Wait is answered at once"
            : "it timed out (unexpected)");
    return observed;
  }

  /**
   * A friend: waits for the dinner event, eats when it fires, counts down the 'fed' latch and stays
   * at the table (the friends are daemons under the table, stopped when the kit closes). Stopping
   * ten thousand actors at the moment they wake would measure Akka's stop and death-watch
   * bookkeeping, not the wake-up: it made the spread twenty times longer.
   */
  private static Behavior<Event.Reply> friend(
      int seat,
      ActorRef<Event.Command> dinner,
      ActorRef<Latch.Command> fed,
      Duration patience,
      AtomicLongArray ateAt,
      Story story) {
    return Behaviors.setup(
        context -> {
          if (story != null) {
            story.say("friend %d sits down and sends Wait to the dinner event", seat + 1);
          }
          dinner.tell(new Event.Wait(patience, context.getSelf()));
          return Behaviors.receive(Event.Reply.class)
              .onMessage(
                  Event.Fired.class,
                  fired -> {
                    ateAt.set(seat, System.nanoTime());
                    if (story != null) {
                      story.say("friend %d receives Fired and eats", seat + 1);
                    }
                    fed.tell(new Latch.CountDown(context.getSystem().ignoreRef()));
                    return Behaviors.same();
                  })
              .onMessage(
                  Event.TimedOut.class,
                  timedOut -> {
                    if (story != null) {
                      story.say("friend %d gave up waiting", seat + 1);
                    }
                    fed.tell(new Latch.CountDown(context.getSystem().ignoreRef()));
                    return Behaviors.stopped();
                  })
              .build();
        });
  }

  /** The host counts down, one story second a number, and returns the instant of the signal. */
  private static long hostCountsDown(ScenarioContext context, int countdown) {
    Story story = context.story();
    for (int n = countdown; n >= 1; n--) {
      story.say("host: %d...", n);
      pause(context, Duration.ofSeconds(1));
    }
    story.say("host: start eating!");
    return System.nanoTime();
  }

  private static void pause(ScenarioContext context, Duration storyTime) {
    try {
      context.pause(storyTime);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static double round(double millis) {
    return Math.round(millis * 1000) / 1000.0;
  }
}
