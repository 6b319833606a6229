package dev.actorkit.bench.cluster;

import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ClusterEvent;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import dev.actorkit.cluster.ChildJvm;
import dev.actorkit.cluster.ClusterNames;
import dev.actorkit.cluster.ClusterNode;
import dev.actorkit.core.ActorKit;
import dev.actorkit.patterns.mutex.Mutex;
import dev.actorkit.patterns.mutex.MutexClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How long a lock held by a JVM that is killed stays held: a child JVM takes a mutex that lives in
 * this JVM, is killed with SIGKILL, and a waiter here gets the lock next. Measured in one run, per
 * round: the SIGKILL to the member being marked unreachable (failure detection), to it being
 * removed (the split brain resolver's downing, after {@code stable-after}), and to the next grant
 * (the mutex sees the holder's death and grants the waiter, with the next fencing token).
 *
 * <pre>
 * java -cp benchmarks/target/actorkit-benchmarks.jar dev.actorkit.bench.cluster.RecoveryBench [rounds]
 * </pre>
 */
public final class RecoveryBench {

  private static final Duration WAIT = Duration.ofSeconds(120);

  private RecoveryBench() {}

  /** The child: joins, takes the lock named "till", says so, and waits to be killed. */
  public static final class Holder {
    public static void main(String[] args) throws Exception {
      ChildJvm.exitWhenParentDies();
      ActorKit kit = ClusterNode.join(args[0], ClusterNode.port(0));
      MutexClient till =
          MutexClient.of(
              ClusterNames.lookup(kit, "till", Mutex.Command.class, Duration.ofSeconds(30)),
              kit.system());
      MutexClient.Lock lock = till.acquire(Duration.ofSeconds(30));
      System.out.println("holding " + lock.token());
      new java.util.concurrent.CountDownLatch(1).await(); // until SIGKILL
    }
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    List<double[]> all = new ArrayList<>();
    try (ActorKit parent = ClusterNode.startFirst(ClusterNode.port(0))) {
      MutexClient till = MutexClient.create(parent, "till", Mutex.Settings.defaults());
      ClusterNames.register(parent, "till", Mutex.Command.class, till.ref());
      for (int round = 1; round <= rounds; round++) {
        CompletableFuture<String> holding = new CompletableFuture<>();
        try (ChildJvm child =
            ChildJvm.start(
                Holder.class,
                List.of(ClusterNode.address(parent)),
                "[holder] ",
                line -> {
                  if (line.contains("holding ")) {
                    holding.complete(line);
                  }
                })) {
          holding.get(WAIT.toSeconds(), TimeUnit.SECONDS);
          CompletableFuture<Long> unreachable = new CompletableFuture<>();
          CompletableFuture<Long> removed = new CompletableFuture<>();
          watchMembership(parent, round, unreachable, removed);
          CompletableFuture<MutexClient.Lock> next =
              CompletableFuture.supplyAsync(() -> till.acquire(WAIT));
          Thread.sleep(500); // the waiter is queued behind the child's hold
          long killed = System.nanoTime();
          child.kill(true);
          MutexClient.Lock granted = next.get(WAIT.toSeconds(), TimeUnit.SECONDS);
          long grantedAt = System.nanoTime();
          double[] r = {
            ms(unreachable.get(WAIT.toSeconds(), TimeUnit.SECONDS) - killed),
            ms(removed.get(WAIT.toSeconds(), TimeUnit.SECONDS) - killed),
            ms(grantedAt - killed)
          };
          all.add(r);
          System.out.printf(
              Locale.ROOT,
              "round %d: SIGKILL -> unreachable %.0f ms, removed %.0f ms, next grant %.0f ms (token %d)%n",
              round,
              r[0],
              r[1],
              r[2],
              granted.token());
          granted.close();
        }
      }
    }
    double[] median = new double[3];
    for (int i = 0; i < 3; i++) {
      int column = i;
      double[] values = all.stream().mapToDouble(r -> r[column]).sorted().toArray();
      median[i] = values[values.length / 2];
    }
    System.out.printf(
        Locale.ROOT,
        "median of %d: unreachable %.0f ms, removed %.0f ms, next grant %.0f ms after SIGKILL%n",
        all.size(),
        median[0],
        median[1],
        median[2]);
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  /**
   * Completes the futures (System.nanoTime) at the first unreachable and the first removed member.
   */
  public static void watchMembership(
      ActorKit kit,
      int round,
      CompletableFuture<Long> unreachable,
      CompletableFuture<Long> removed) {
    Behavior<Object> watcher =
        Behaviors.setup(
            context -> {
              Cluster.get(kit.system())
                  .subscriptions()
                  .tell(
                      Subscribe.create(
                          context.getSelf().narrow(), ClusterEvent.UnreachableMember.class));
              Cluster.get(kit.system())
                  .subscriptions()
                  .tell(
                      Subscribe.create(
                          context.getSelf().narrow(), ClusterEvent.MemberRemoved.class));
              return Behaviors.receive(Object.class)
                  .onMessage(
                      ClusterEvent.UnreachableMember.class,
                      event -> {
                        unreachable.complete(System.nanoTime());
                        return Behaviors.same();
                      })
                  .onMessage(
                      ClusterEvent.MemberRemoved.class,
                      event -> {
                        removed.complete(System.nanoTime());
                        return removed.isDone() && unreachable.isDone()
                            ? Behaviors.stopped()
                            : Behaviors.same();
                      })
                  .build();
            });
    kit.system().systemActorOf(watcher, "recovery-watch-" + round, Props.empty());
  }
}
