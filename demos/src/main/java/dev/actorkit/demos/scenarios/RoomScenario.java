package dev.actorkit.demos.scenarios;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.KitClock;
import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.ScenarioContext;
import dev.actorkit.demos.ScenarioOption;
import dev.actorkit.demos.ScenarioResult;
import dev.actorkit.demos.Story;
import dev.actorkit.demos.ThreadsTrace;
import dev.actorkit.patterns.semaphore.Semaphore;
import dev.actorkit.patterns.semaphore.SemaphoreClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The semaphore room: a room admits {@code --capacity} people at a time; {@code --people} arrive
 * together and each stays {@code --stay} seconds, so they go in waves. Told first with threads and
 * {@code java.util.concurrent.Semaphore} (Python's {@code threading.Semaphore}), then with one
 * actor per person and a {@link Semaphore} actor as the door.
 */
public final class RoomScenario implements Scenario {

  private static final String[] NAMES = {
    "Ann", "Bob", "Cid", "Dee", "Eve", "Fay", "Gus", "Hal", "Ivy", "Jon", "Kim", "Lou", "Max",
    "Ned", "Oda", "Pip"
  };

  @Override
  public String name() {
    return "room";
  }

  @Override
  public String title() {
    return "A room that admits N people at a time: Semaphore(N), with threads and then with actors";
  }

  @Override
  public List<ScenarioOption> options() {
    return List.of(
        ScenarioOption.integer("people", 7, "how many people arrive together").atLeast(1),
        ScenarioOption.integer(
                "capacity", 2, "how many may be inside at once (the semaphore's permits)")
            .atLeast(1),
        ScenarioOption.seconds("stay", 2.0, "how long each stays inside, in seconds of story time")
            .above(0));
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    int people = context.intOption("people");
    int capacity = context.intOption("capacity");
    Duration stay = context.secondsOption("stay");
    Story story = context.story();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < people; i++) {
      names.add(i < NAMES.length ? NAMES[i] : "P" + (i + 1));
    }

    story.section("With threads and java.util.concurrent.Semaphore");
    story.note(
        "room = new Semaphore(%d, true); each person is a thread: room.acquire(); stay %ss; room.release().",
        capacity, seconds(stay));
    story.note(
        "Python: room = threading.Semaphore(%d); with room: time.sleep(%s)",
        capacity, seconds(stay));
    story.note(
        "Someone may be told to wait just before the one who took the last place walks in; and a");
    story.note(
        "thread says it waits just before it blocks in acquire(), so two waiting lines may come");
    story.note("in the other order than the semaphore's queue.");
    Door threadsDoor = new Door(context.clock(), story);
    withThreads(context, names, capacity, stay, threadsDoor);
    threadsDoor.summary(stay);

    story.section("With actors: a Semaphore actor at the door, one actor per person");
    story.note(
        "Each person sends Acquire(1, self) to the room and waits for Granted; after its stay");
    story.note(
        "(a timer, not a sleep) it sends Release and stops. The room grants strictly in arrival");
    story.note(
        "order, and a person who dies inside gives the permit back: the room watches everyone.");
    Door actorsDoor = new Door(context.clock(), story);
    boolean joined = withActors(context, names, capacity, stay, actorsDoor);
    actorsDoor.summary(stay);

    boolean ok =
        joined
            && threadsDoor.maxInside <= capacity
            && actorsDoor.maxInside <= capacity
            && threadsDoor.entered.size() == people
            && actorsDoor.entered.size() == people
            && threadsDoor.left == people
            && actorsDoor.left == people;
    return ScenarioResult.of(ok)
        .with("people", people)
        .with("capacity", capacity)
        .with("max_inside", actorsDoor.maxInside)
        .with("waves", actorsDoor.waves(stay))
        .with("story_elapsed_ms", story.elapsed().toMillis())
        .with("threads_max_inside", threadsDoor.maxInside)
        .with("threads_waves", threadsDoor.waves(stay));
  }

  private static void withThreads(
      ScenarioContext context, List<String> names, int capacity, Duration stay, Door door)
      throws InterruptedException {
    java.util.concurrent.Semaphore room = new java.util.concurrent.Semaphore(capacity, true);
    ThreadsTrace trace = ThreadsTrace.of(context, "room");
    java.util.concurrent.CountDownLatch together = new java.util.concurrent.CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (String name : names) {
      Thread person =
          new Thread(
              () -> {
                try {
                  together.await();
                  // tryAcquire with a timeout honours the fair queue; tryAcquire() would barge.
                  if (!room.tryAcquire(0, TimeUnit.NANOSECONDS)) {
                    door.waits(name);
                    trace.waiting("x1");
                    room.acquire();
                  }
                  trace.granted("x1");
                  trace.level(room.availablePermits());
                  door.enters(name);
                  context.pause(stay);
                  door.leaves(name);
                  trace.release(room, 1);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "person-" + name);
      threads.add(person);
      person.start();
    }
    door.story.say("%d people arrive together at a door that admits %d", names.size(), capacity);
    together.countDown();
    for (Thread person : threads) {
      person.join();
    }
  }

  private static boolean withActors(
      ScenarioContext context, List<String> names, int capacity, Duration stay, Door door) {
    ActorKit kit = context.kit();
    SemaphoreClient room =
        SemaphoreClient.create(kit, "room", Semaphore.Settings.bounded(capacity));
    List<ActorRef<Person.Message>> persons = new ArrayList<>();
    for (String name : names) {
      persons.add(
          kit.spawn(
              Branch.PRIMITIVES, "person-" + name, Person.create(name, room.ref(), stay, door)));
    }
    door.story.say("%d people arrive together at a door that admits %d", names.size(), capacity);
    persons.forEach(person -> person.tell(Person.Arrive.INSTANCE));
    boolean all = true;
    Duration bound = stay.multipliedBy(names.size() + 2L).plusSeconds(30);
    for (ActorRef<Person.Message> person : persons) {
      all &= kit.join(person, bound);
    }
    Semaphore.StatusReport after = room.status();
    door.story.note(
        "Afterwards the room reports %d of %d permits free, %d holders, %d waiters.",
        after.available(), after.total(), after.holders().size(), after.waiters().size());
    return all && after.available() == capacity;
  }

  /** A person: arrives, tries the door, waits if it is full, stays, leaves, stops. */
  static final class Person extends AbstractBehavior<Person.Message> {

    sealed interface Message {}

    enum Arrive implements Message {
      INSTANCE
    }

    enum TimeToLeave implements Message {
      INSTANCE
    }

    record FromRoom(Semaphore.Reply reply) implements Message {}

    static Behavior<Message> create(
        String name, ActorRef<Semaphore.Command> room, Duration stay, Door door) {
      return Behaviors.setup(
          context ->
              Behaviors.withTimers(timers -> new Person(context, timers, name, room, stay, door)));
    }

    private final TimerScheduler<Message> timers;
    private final String name;
    private final ActorRef<Semaphore.Command> room;
    private final Duration stay;
    private final Door door;
    private final ActorRef<Semaphore.Reply> replies;

    private Person(
        ActorContext<Message> context,
        TimerScheduler<Message> timers,
        String name,
        ActorRef<Semaphore.Command> room,
        Duration stay,
        Door door) {
      super(context);
      this.timers = timers;
      this.name = name;
      this.room = room;
      this.stay = stay;
      this.door = door;
      this.replies = context.messageAdapter(Semaphore.Reply.class, FromRoom::new);
    }

    @Override
    public Receive<Message> createReceive() {
      return newReceiveBuilder()
          .onMessageEquals(Arrive.INSTANCE, this::onArrive)
          .onMessage(FromRoom.class, this::onReply)
          .onMessageEquals(TimeToLeave.INSTANCE, this::onTimeToLeave)
          .build();
    }

    /** Tries the door without queueing first, only to be able to say "waits" when it is full. */
    private Behavior<Message> onArrive() {
      room.tell(new Semaphore.TryAcquire(1, Duration.ZERO, getContext().getSelf(), replies));
      return this;
    }

    private Behavior<Message> onReply(FromRoom from) {
      Semaphore.Reply reply = from.reply();
      if (reply instanceof Semaphore.TimedOut) {
        door.waits(
            name, () -> room.tell(new Semaphore.Acquire(1, getContext().getSelf(), replies)));
      } else if (reply instanceof Semaphore.Granted) {
        door.enters(name);
        timers.startSingleTimer(
            TimeToLeave.INSTANCE, KitClock.get(getContext().getSystem()).toReal(stay));
      } else if (reply instanceof Semaphore.Released) {
        return Behaviors.stopped();
      } else {
        door.story.say("%s: the room answered %s", name, reply);
        return Behaviors.stopped();
      }
      return this;
    }

    private Behavior<Message> onTimeToLeave() {
      door.leaves(name);
      room.tell(new Semaphore.Release(1, getContext().getSelf(), replies));
      return this;
    }
  }

  /** What an observer at the door sees: who is inside, the most at once, and when each entered. */
  static final class Door {
    final KitClock clock;
    final Story story;
    final List<Long> entered = Collections.synchronizedList(new ArrayList<>());
    final List<String> inside = new ArrayList<>();
    int maxInside;
    int left;
    private final Duration start;

    Door(KitClock clock, Story story) {
      this.clock = clock;
      this.story = story;
      this.start = clock.now();
    }

    synchronized void waits(String name) {
      story.say("%-4s waits: no place is free", name);
    }

    /**
     * Says who waits and queues it in the same breath, so the lines come in the room's queue order.
     */
    synchronized void waits(String name, Runnable queue) {
      waits(name);
      queue.run();
    }

    synchronized void enters(String name) {
      inside.add(name);
      maxInside = Math.max(maxInside, inside.size());
      entered.add(clock.now().minus(start).toMillis());
      story.say("%-4s enters  (%d inside: %s)", name, inside.size(), String.join(", ", inside));
    }

    synchronized void leaves(String name) {
      inside.remove(name);
      left++;
      story.say("%-4s leaves  (%d inside)", name, inside.size());
    }

    /**
     * Groups of entries: a new wave starts when an entry comes half a stay or more after the wave's
     * first.
     */
    synchronized int waves(Duration stay) {
      List<Long> times = new ArrayList<>(entered);
      Collections.sort(times);
      int waves = 0;
      long waveStart = Long.MIN_VALUE;
      for (long at : times) {
        if (waves == 0 || at - waveStart >= stay.toMillis() / 2) {
          waves++;
          waveStart = at;
        }
      }
      return waves;
    }

    synchronized void summary(Duration stay) {
      List<Long> times = new ArrayList<>(entered);
      Collections.sort(times);
      story.note(
          "Observed: at most %d inside at once; %d entered in %d waves (entry times, story ms: %s).",
          maxInside,
          times.size(),
          waves(stay),
          times.stream().map(String::valueOf).collect(Collectors.joining(" ")));
    }
  }

  private static String seconds(Duration duration) {
    return String.valueOf(duration.toMillis() / 1000.0);
  }
}
