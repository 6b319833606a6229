package dev.actorkit.bench.mutex;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SpawnProtocol;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import dev.actorkit.bench.BenchSystems;
import dev.actorkit.patterns.account.Account;
import dev.actorkit.patterns.mutex.Mutex;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Heap bytes per idle actor: a bare actor, a {@link Mutex}, an {@link Account}.
 *
 * <p>Method: in a fresh actor system per kind, one parent actor spawns N children of that kind
 * (anonymous, on the coordination dispatcher) in a single message; each child is then asked one
 * question that leaves no state behind (GetStatus; a Balance without a request id, which is refused
 * and so not remembered; a ping) and every answer awaited, so every child has run its setup and
 * sits idle with its real state. Heap in use is read through {@link MemoryMXBean} after repeated
 * full collections, before the spawn and after the answers; the difference divided by N is the
 * footprint per actor, including Akka's cell, mailbox, the parent's child entry, and the
 * behaviour's state. The harness's own share (the parent's child table, the list of references) is
 * in every row, so compare each row with the bare actor's. Run: {@code java -cp
 * benchmarks/target/actorkit-benchmarks.jar dev.actorkit.bench.mutex.IdleFootprint [N]} (default
 * 100,000); give the JVM a fixed heap ({@code -Xms1g -Xmx1g}) so resizing does not blur the
 * figures.
 */
public final class IdleFootprint {

  private IdleFootprint() {}

  private record Ping(ActorRef<Object> replyTo) {}

  private static final class Bare extends AbstractBehavior<Object> {
    Bare(ActorContext<Object> context) {
      super(context);
    }

    @Override
    public Receive<Object> createReceive() {
      return newReceiveBuilder()
          .onMessage(
              Ping.class,
              ping -> {
                ping.replyTo().tell(ping);
                return this;
              })
          .build();
    }
  }

  private record SpawnAll(
      int count, Supplier<Behavior<?>> behavior, ActorRef<List<ActorRef<?>>> replyTo) {}

  private static Behavior<SpawnAll> parent() {
    return Behaviors.receive(SpawnAll.class)
        .onMessage(
            SpawnAll.class,
            all ->
                Behaviors.setup(
                    context -> {
                      ActorRef<?>[] children = new ActorRef<?>[all.count()];
                      for (int i = 0; i < all.count(); i++) {
                        children[i] =
                            context.spawnAnonymous(
                                all.behavior().get(), BenchSystems.dispatcher("coordination"));
                      }
                      all.replyTo().tell(List.of(children));
                      return Behaviors.same();
                    }))
        .build();
  }

  @SuppressWarnings("unchecked") // each question knows the protocol of the actor it measures
  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    System.out.printf(Locale.ROOT, "%-10s %12s %14s%n", "actor", "count", "bytes/actor");
    measure(
        "bare",
        count,
        () -> Behaviors.setup(Bare::new),
        (ref, probe) -> ((ActorRef<Object>) ref).tell(new Ping(probe)));
    measure(
        "mutex",
        count,
        () -> Mutex.create(Mutex.Settings.defaults()),
        (ref, probe) ->
            ((ActorRef<Mutex.Command>) ref).tell(new Mutex.GetStatus(probe.unsafeUpcast())));
    measure(
        "account",
        count,
        () -> Account.create(Account.Settings.opening(100)),
        (ref, probe) ->
            ((ActorRef<Account.Command>) ref)
                .tell(new Account.Balance(null, probe.unsafeUpcast())));
  }

  private interface Question {
    void ask(ActorRef<?> child, ActorRef<Object> replyTo);
  }

  @SuppressWarnings("unchecked")
  private static void measure(
      String kind, int count, Supplier<Behavior<?>> behavior, Question question) throws Exception {
    ActorSystem<SpawnProtocol.Command> system = BenchSystems.start("footprint-" + kind);
    try {
      ActorRef<SpawnAll> parent =
          BenchSystems.spawn(system, parent(), "parent", BenchSystems.dispatcher("coordination"));
      CountDownLatch answered = new CountDownLatch(count);
      ActorRef<Object> counter =
          BenchSystems.spawn(
              system,
              Behaviors.receive(Object.class)
                  .onAnyMessage(
                      any -> {
                        answered.countDown();
                        return Behaviors.same();
                      })
                  .build(),
              "counter",
              BenchSystems.dispatcher("coordination"));
      long before = usedAfterGc();
      List<ActorRef<?>> children =
          AskPattern.<SpawnAll, List<ActorRef<?>>>ask(
                  parent,
                  replyTo -> new SpawnAll(count, behavior, replyTo),
                  Duration.ofSeconds(60),
                  system.scheduler())
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      for (ActorRef<?> child : children) {
        question.ask(child, counter);
      }
      if (!answered.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("not every " + kind + " answered");
      }
      long after = usedAfterGc();
      System.out.printf(
          Locale.ROOT,
          "%-10s %12d %14.0f%n",
          kind,
          children.size(),
          (after - before) / (double) count);
    } finally {
      BenchSystems.stop(system);
    }
  }

  private static long usedAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
