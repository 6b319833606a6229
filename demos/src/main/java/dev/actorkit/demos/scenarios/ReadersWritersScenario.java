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
import dev.actorkit.patterns.semaphore.ReadWriteLock;
import dev.actorkit.patterns.semaphore.ReadWriteLockClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Readers and writers over one shared "file": many readers may read at once, a writer needs the
 * file alone, and a stream of readers must not starve the writers. Told first with threads and
 * {@code ReentrantReadWriteLock(fair)}, then with reader and writer actors and a {@link
 * ReadWriteLock} actor.
 */
public final class ReadersWritersScenario implements Scenario {

  @Override
  public String name() {
    return "readers-writers";
  }

  @Override
  public String title() {
    return "Many readers or one writer over a shared file; writers are not starved by a stream of readers";
  }

  @Override
  public List<ScenarioOption> options() {
    return List.of(
        ScenarioOption.integer("readers", 5, "how many readers").atLeast(0),
        ScenarioOption.integer("writers", 2, "how many writers").atLeast(0),
        ScenarioOption.integer(
                "rounds", 3, "how many times each reader reads and each writer writes")
            .atLeast(1),
        ScenarioOption.seconds("read", 1.0, "how long one read takes, in seconds of story time")
            .atLeast(0),
        ScenarioOption.seconds("write", 0.5, "how long one write takes, in seconds of story time")
            .atLeast(0));
  }

  @Override
  public void check(Map<String, Object> options) {
    if ((Integer) options.get("readers") + (Integer) options.get("writers") == 0) {
      throw new IllegalArgumentException(
          "--readers and --writers must not both be 0: the story needs someone at the file");
    }
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    int readers = context.intOption("readers");
    int writers = context.intOption("writers");
    int rounds = context.intOption("rounds");
    Duration read = context.secondsOption("read");
    Duration write = context.secondsOption("write");
    Story story = context.story();
    Plan plan = new Plan(readers, writers, rounds, read, write);

    story.section(
        "With threads and java.util.concurrent.locks.ReentrantReadWriteLock(fair = true)");
    story.note(
        "Readers start one after another so that someone is always reading; the writers arrive");
    story.note(
        "a moment later. In fair mode a waiting writer holds off readers that come after it.");
    File threadsFile = new File(context.clock(), story);
    withThreads(context, plan, threadsFile);
    threadsFile.summary();

    story.section("With actors: a ReadWriteLock actor, reader and writer actors");
    story.note("Same plan. Once a writer waits, later readers queue behind it (writer preference");
    story.note(
        "against reader streams). Each writer downgrades to a read lock after its first write,");
    story.note("to read back what it wrote before anyone else can write.");
    File actorsFile = new File(context.clock(), story);
    boolean joined = withActors(context, plan, actorsFile);
    actorsFile.summary();

    int expectedReads = readers * rounds;
    int expectedWrites = writers * rounds;
    boolean ok =
        joined
            && threadsFile.writerOverlaps == 0
            && actorsFile.writerOverlaps == 0
            && threadsFile.reads == expectedReads
            && actorsFile.reads == expectedReads
            && threadsFile.writes == expectedWrites
            && actorsFile.writes == expectedWrites;
    return ScenarioResult.of(ok)
        .with("readers", readers)
        .with("writers", writers)
        .with("max_concurrent_readers", actorsFile.maxReaders)
        .with("writer_overlaps", actorsFile.writerOverlaps)
        .with("writer_max_wait_ms", actorsFile.writerMaxWaitMs)
        .with("reads", actorsFile.reads)
        .with("writes", actorsFile.writes)
        .with("threads_max_concurrent_readers", threadsFile.maxReaders)
        .with("threads_writer_overlaps", threadsFile.writerOverlaps)
        .with("threads_writer_max_wait_ms", threadsFile.writerMaxWaitMs);
  }

  /** Who does what when, the same for both tellings. */
  record Plan(int readers, int writers, int rounds, Duration read, Duration write) {
    /**
     * Reader i starts a fraction of a read after reader i-1, so that reads overlap without a gap.
     */
    Duration readerStart(int i) {
      return readers == 0 ? Duration.ZERO : read.multipliedBy(i).dividedBy(readers);
    }

    /** Writers arrive while the readers are busy. */
    Duration writerStart(int i) {
      return read.dividedBy(2).plus(write.multipliedBy(i).dividedBy(4));
    }

    /** A short pause between a reader's reads, shorter than a read, so reading never stops. */
    Duration readerPause() {
      return read.dividedBy(5);
    }

    /** Writers rest longer between writes, so the readers get the file in between. */
    Duration writerPause() {
      return read.multipliedBy(2);
    }
  }

  private static void withThreads(ScenarioContext context, Plan plan, File file)
      throws InterruptedException {
    ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);
    // Named as the actor half names its ReadWriteLock, so both halves share the lanes.
    ThreadsTrace trace = ThreadsTrace.of(context, "file-lock");
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < plan.readers(); i++) {
      String name = "reader-" + (i + 1);
      Duration start = plan.readerStart(i);
      threads.add(
          new Thread(
              () -> {
                try {
                  context.pause(start);
                  for (int round = 0; round < plan.rounds(); round++) {
                    file.readerAsks(name);
                    trace.lock(lock.readLock(), "read");
                    try {
                      trace.level(lock.getReadLockCount());
                      file.readerIn(name);
                      context.pause(plan.read());
                      file.readerOut(name);
                    } finally {
                      trace.unlock(lock.readLock(), "read");
                      trace.level(lock.getReadLockCount());
                    }
                    context.pause(plan.readerPause());
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              name));
    }
    for (int i = 0; i < plan.writers(); i++) {
      String name = "writer-" + (i + 1);
      Duration start = plan.writerStart(i);
      threads.add(
          new Thread(
              () -> {
                try {
                  context.pause(start);
                  for (int round = 0; round < plan.rounds(); round++) {
                    Duration asked = file.writerAsks(name);
                    trace.lock(lock.writeLock(), "write");
                    try {
                      file.writerIn(name, asked);
                      context.pause(plan.write());
                      if (round == 0) {
                        trace.lock(lock.readLock(), "read");
                        file.downgraded(name);
                        trace.unlock(lock.writeLock(), "write");
                        trace.level(lock.getReadLockCount());
                        try {
                          file.readerOut(name);
                        } finally {
                          trace.unlock(lock.readLock(), "read");
                          trace.level(lock.getReadLockCount());
                        }
                      } else {
                        file.writerOut(name);
                      }
                    } finally {
                      if (lock.isWriteLockedByCurrentThread()) {
                        trace.unlock(lock.writeLock(), "write");
                      }
                    }
                    context.pause(plan.writerPause());
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              name));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }
  }

  private static boolean withActors(ScenarioContext context, Plan plan, File file) {
    ActorKit kit = context.kit();
    ReadWriteLockClient lock = ReadWriteLockClient.create(kit, "file-lock");
    List<ActorRef<Worker.Message>> workers = new ArrayList<>();
    for (int i = 0; i < plan.readers(); i++) {
      workers.add(
          kit.spawn(
              Branch.PRIMITIVES,
              "reader-" + (i + 1),
              Worker.create(
                  "reader-" + (i + 1), false, plan.readerStart(i), plan, lock.ref(), file)));
    }
    for (int i = 0; i < plan.writers(); i++) {
      workers.add(
          kit.spawn(
              Branch.PRIMITIVES,
              "writer-" + (i + 1),
              Worker.create(
                  "writer-" + (i + 1), true, plan.writerStart(i), plan, lock.ref(), file)));
    }
    long steps = plan.rounds() * (plan.readers() + plan.writers() + 1L);
    Duration bound =
        context.patience( // also when the steps are shorter than the timer's tick
            plan.read()
                .plus(plan.write())
                .plus(plan.writerPause())
                .multipliedBy(steps)
                .plusSeconds(30),
            steps * 3,
            plan.read());
    workers.forEach(worker -> worker.tell(Worker.Begin.INSTANCE));
    boolean all = true;
    for (ActorRef<Worker.Message> worker : workers) {
      all &= kit.join(worker, bound);
    }
    ReadWriteLock.StatusReport after = lock.status();
    return all && after.writer() == null && after.readers().isEmpty() && after.waiters().isEmpty();
  }

  /** A reader or a writer actor: waits for its start, then does its rounds through the lock. */
  static final class Worker extends AbstractBehavior<Worker.Message> {

    sealed interface Message {}

    /** Everyone exists: start the clock towards this worker's first request. */
    enum Begin implements Message {
      INSTANCE
    }

    enum Go implements Message {
      INSTANCE
    }

    enum Done implements Message {
      INSTANCE
    }

    record FromLock(ReadWriteLock.Reply reply) implements Message {}

    static Behavior<Message> create(
        String name,
        boolean writer,
        Duration start,
        Plan plan,
        ActorRef<ReadWriteLock.Command> lock,
        File file) {
      return Behaviors.setup(
          context ->
              Behaviors.withTimers(
                  timers -> new Worker(context, timers, name, writer, start, plan, lock, file)));
    }

    private static final Duration WAIT = Duration.ofSeconds(600);

    private final TimerScheduler<Message> timers;
    private final String name;
    private final boolean writer;
    private final Plan plan;
    private final ActorRef<ReadWriteLock.Command> lock;
    private final File file;
    private final KitClock clock;
    private final ActorRef<ReadWriteLock.Reply> replies;
    private final Duration start;
    private int round;
    private Duration asked;

    private Worker(
        ActorContext<Message> context,
        TimerScheduler<Message> timers,
        String name,
        boolean writer,
        Duration start,
        Plan plan,
        ActorRef<ReadWriteLock.Command> lock,
        File file) {
      super(context);
      this.timers = timers;
      this.name = name;
      this.writer = writer;
      this.plan = plan;
      this.lock = lock;
      this.file = file;
      this.clock = KitClock.get(context.getSystem());
      this.replies = context.messageAdapter(ReadWriteLock.Reply.class, FromLock::new);
      this.start = start;
    }

    @Override
    public Receive<Message> createReceive() {
      return newReceiveBuilder()
          .onMessageEquals(Begin.INSTANCE, this::onBegin)
          .onMessageEquals(Go.INSTANCE, this::onGo)
          .onMessageEquals(Done.INSTANCE, this::onDone)
          .onMessage(FromLock.class, this::onReply)
          .build();
    }

    private Behavior<Message> onBegin() {
      timers.startSingleTimer(Go.INSTANCE, clock.toReal(start));
      return this;
    }

    /**
     * Asks for the lock; the file notes the request and the message leaves in the same breath, in
     * queue order.
     */
    private Behavior<Message> onGo() {
      if (writer) {
        asked =
            file.writerAsks(
                name,
                () ->
                    lock.tell(
                        new ReadWriteLock.AcquireWrite(WAIT, getContext().getSelf(), replies)));
      } else {
        file.readerAsks(
            name,
            () -> lock.tell(new ReadWriteLock.AcquireRead(WAIT, getContext().getSelf(), replies)));
      }
      return this;
    }

    private Behavior<Message> onReply(FromLock from) {
      ReadWriteLock.Reply reply = from.reply();
      if (reply instanceof ReadWriteLock.ReadGranted) {
        file.readerIn(name);
        timers.startSingleTimer(Done.INSTANCE, clock.toReal(plan.read()));
      } else if (reply instanceof ReadWriteLock.WriteGranted) {
        file.writerIn(name, asked);
        timers.startSingleTimer(Done.INSTANCE, clock.toReal(plan.write()));
      } else if (reply == ReadWriteLock.Downgraded.INSTANCE) {
        timers.startSingleTimer(Done.INSTANCE, clock.toReal(plan.read().dividedBy(4)));
      } else if (reply == ReadWriteLock.Released.INSTANCE) {
        round++;
        if (round == plan.rounds()) {
          return Behaviors.stopped();
        }
        timers.startSingleTimer(
            Go.INSTANCE, clock.toReal(writer ? plan.writerPause() : plan.readerPause()));
      } else {
        file.story.say("%s: the lock answered %s", name, reply);
        return Behaviors.stopped();
      }
      return this;
    }

    /** The current read or write is over: release, or (a writer's first round) downgrade first. */
    private Behavior<Message> onDone() {
      if (writer && round == 0 && !file.isReading(name)) {
        // Noted before it is sent: once the lock downgrades, queued readers may get in at once.
        file.downgraded(name);
        lock.tell(new ReadWriteLock.Downgrade(getContext().getSelf(), replies));
      } else if (writer && !file.isReading(name)) {
        file.writerOut(name);
        lock.tell(new ReadWriteLock.ReleaseWrite(getContext().getSelf(), replies));
      } else {
        file.readerOut(name);
        lock.tell(new ReadWriteLock.ReleaseRead(getContext().getSelf(), replies));
      }
      return this;
    }
  }

  /**
   * The shared file and an observer of who is inside it; every figure of the JSON comes from here.
   */
  static final class File {
    final KitClock clock;
    final Story story;
    private final List<String> readersInside = new ArrayList<>();

    /**
     * Writers that downgraded and read back: inside as readers, but not counted among the readers.
     */
    private final List<String> downgradedInside = new ArrayList<>();

    private String writerInside;
    private int writersWaiting;
    private int version;
    int maxReaders;
    int writerOverlaps;
    long writerMaxWaitMs;
    int reads;
    int writes;

    File(KitClock clock, Story story) {
      this.clock = clock;
      this.story = story;
    }

    synchronized Duration writerAsks(String name) {
      story.say(
          "%s asks to write%s",
          name,
          readersInside.isEmpty()
              ? ""
              : " (reading now: " + String.join(", ", readersInside) + ")");
      writersWaiting++;
      return clock.now();
    }

    /**
     * Notes the request and sends it while holding the observer's lock, so lines come in queue
     * order.
     */
    synchronized Duration writerAsks(String name, Runnable send) {
      Duration asked = writerAsks(name);
      send.run();
      return asked;
    }

    /** A reader that will have to wait says so: a writer is inside or waiting. */
    synchronized void readerAsks(String name) {
      if (writerInside != null || writersWaiting > 0) {
        story.say(
            "%s asks to read and waits: %s",
            name, writerInside != null ? writerInside + " is writing" : "a writer is waiting");
      }
    }

    synchronized void readerAsks(String name, Runnable send) {
      readerAsks(name);
      send.run();
    }

    synchronized void readerIn(String name) {
      if (writerInside != null) {
        writerOverlaps++;
      }
      readersInside.add(name);
      reads++;
      maxReaders = Math.max(maxReaders, readersInside.size());
      story.say("%s reads version %d   (%s)", name, version, inside());
    }

    synchronized void readerOut(String name) {
      if (!readersInside.remove(name)) {
        downgradedInside.remove(name);
      }
    }

    synchronized boolean isReading(String name) {
      return readersInside.contains(name) || downgradedInside.contains(name);
    }

    /** "3 reading" or "3 reading, and writer-1 reading back what it wrote". */
    private String inside() {
      return readersInside.size()
          + " reading"
          + (downgradedInside.isEmpty()
              ? ""
              : ", and " + String.join(", ", downgradedInside) + " reading back what it wrote");
    }

    synchronized void writerIn(String name, Duration asked) {
      if (writerInside != null || !readersInside.isEmpty() || !downgradedInside.isEmpty()) {
        writerOverlaps++;
      }
      writerInside = name;
      writersWaiting--;
      long waited = clock.now().minus(asked).toMillis();
      writerMaxWaitMs = Math.max(writerMaxWaitMs, waited);
      version++;
      writes++;
      story.say("%s writes version %d alone, after waiting %.2fs", name, version, waited / 1000.0);
    }

    synchronized void writerOut(String name) {
      writerInside = null;
    }

    /**
     * The writer keeps the file as a reader, with no moment in which another writer could get in.
     */
    synchronized void downgraded(String name) {
      writerInside = null;
      downgradedInside.add(name);
      story.say(
          "%s downgrades to a read lock and reads back version %d   (%s)", name, version, inside());
    }

    synchronized void summary() {
      story.note(
          "Observed: %d reads, %d writes, at most %d readers at once, %d overlaps of a writer with anyone,",
          reads, writes, maxReaders, writerOverlaps);
      story.note(
          "and the longest a writer waited was %.2fs of story time.", writerMaxWaitMs / 1000.0);
    }
  }
}
