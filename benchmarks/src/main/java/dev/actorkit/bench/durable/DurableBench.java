package dev.actorkit.bench.durable;

import akka.actor.typed.ActorRef;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.actorkit.bench.GrantLoop;
import dev.actorkit.bench.cluster.RecoveryBench;
import dev.actorkit.bench.mutex.AccountBenchmark;
import dev.actorkit.bench.mutex.MutexBenchmark;
import dev.actorkit.cluster.ChildJvm;
import dev.actorkit.cluster.ClusterNode;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.durable.DurableAccount;
import dev.actorkit.durable.DurableKit;
import dev.actorkit.patterns.account.Account;
import dev.actorkit.patterns.account.AccountClient;
import dev.actorkit.patterns.mutex.Mutex;
import dev.actorkit.patterns.mutex.MutexClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What durability costs and how fast a durable primitive comes back, in one run (a timed harness:
 * the recovery half kills a second JVM).
 *
 * <ul>
 *   <li><b>Grants per second</b>, 4 client actors contending for one mutex (each releases at once
 *       and asks again, {@link GrantLoop}), on a single-node cluster: the in-memory {@link Mutex}
 *       and the {@code DurableMutex} whose every grant is written to the store first (an H2 file in
 *       a temporary directory, the embedded default), round by round;
 *   <li><b>Account deposits per second</b> from {@link AccountBenchmark}'s four senders (each with
 *       its window of deposits outstanding, every one answered): the in-memory {@link Account} and
 *       the event-sourced {@code DurableAccount}, whose every deposit is a journal event written
 *       before it is answered;
 *   <li><b>Recovery</b>: a child JVM holds eight durable mutexes, about half of them hosted on its
 *       own node, and is killed with SIGKILL; the time from the kill to the member's removal (the
 *       cluster's downing) and to the next grant of each mutex here, for the mutexes hosted here
 *       and for those that had to start again on this node from the store.
 * </ul>
 *
 * <p>Beside them, the floors measured in the same run: the store's own writes, one after another,
 * through akka-persistence-jdbc's API, and plain JDBC updates of one row on the same H2 file.
 *
 * <pre>
 * java -cp benchmarks/target/actorkit-benchmarks.jar dev.actorkit.bench.durable.DurableBench [rounds]
 * </pre>
 */
public final class DurableBench {

  private static final int CLIENTS = MutexBenchmark.CLIENTS;
  private static final int MEMORY_GRANTS = 200_000;
  private static final int DURABLE_GRANTS = 20_000;
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int ACCOUNT_OPERATIONS = 20_000;

  private DurableBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    Path dir = Files.createTempDirectory("actorkit-durable-bench");
    Config store =
        ConfigFactory.parseMap(
                Map.of(
                    "akka-persistence-jdbc.shared-databases.actorkit.db.url",
                    "jdbc:h2:file:"
                        + dir.resolve("actorkit")
                        + ";AUTO_SERVER=TRUE;DATABASE_TO_UPPER=false",
                    "akka.loglevel",
                    "ERROR"))
            .withFallback(ClusterNode.port(0));
    try (ActorKit kit = ClusterNode.startFirst(store)) {
      DurableKit durable = DurableKit.start(kit);
      ActorRef<Mutex.Command> inMemory =
          MutexClient.create(kit, "in-memory", Mutex.Settings.defaults()).ref();
      ActorRef<Mutex.Command> persisted = durable.mutex("persisted").ref();
      List<ActorRef<Object>> memoryClients = clients(kit, inMemory, "memory");
      List<ActorRef<Object>> durableClients = clients(kit, persisted, "durable");
      double[] memory = new double[rounds];
      double[] stored = new double[rounds];
      for (int round = 0; round < rounds; round++) {
        memory[round] = grantsPerSecond(memoryClients, MEMORY_GRANTS);
        stored[round] = grantsPerSecond(durableClients, DURABLE_GRANTS);
        System.out.printf(
            Locale.ROOT,
            "round %d: in memory %,.0f grants/s; durable (H2) %,.0f grants/s%n",
            round + 1,
            memory[round],
            stored[round]);
      }
      System.out.printf(
          Locale.ROOT,
          "median of %d rounds, %d clients: in memory %,.0f grants/s; durable %,.0f grants/s (%.1f%%)%n",
          rounds,
          CLIENTS,
          median(memory),
          median(stored),
          100 * median(stored) / median(memory));
      double[] memoryAccount = new double[rounds];
      double[] durableAccount = new double[rounds];
      for (int round = 0; round < rounds; round++) {
        memoryAccount[round] =
            depositsPerSecond(
                kit,
                AccountClient.create(kit, "memory-account-" + round, Account.Settings.opening(0))
                    .ref(),
                "memory-" + round,
                ACCOUNT_OPERATIONS * 10);
        durableAccount[round] =
            depositsPerSecond(
                kit,
                durable
                    .account("durable-account-" + round, DurableAccount.Settings.opening(0))
                    .ref(),
                "durable-" + round,
                ACCOUNT_OPERATIONS);
        System.out.printf(
            Locale.ROOT,
            "round %d: account deposits, %d senders: in memory %,.0f/s; durable (journal) %,.0f/s%n",
            round + 1,
            AccountBenchmark.SENDERS,
            memoryAccount[round],
            durableAccount[round]);
      }
      System.out.printf(
          Locale.ROOT,
          "median: account deposits in memory %,.0f/s; durable %,.0f/s%n",
          median(memoryAccount),
          median(durableAccount));
      double[] storeFloor = new double[rounds];
      double[] jdbcFloor = new double[rounds];
      for (int round = 0; round < rounds; round++) {
        storeFloor[round] = storeWritesPerSecond(kit, DURABLE_GRANTS);
        jdbcFloor[round] = jdbcWritesPerSecond(dir, DURABLE_GRANTS);
      }
      System.out.printf(
          Locale.ROOT,
          "floors, median of %d rounds: one write after another through the plugin's store API"
              + " %,.0f/s; plain JDBC updates of one row on the same H2 file %,.0f/s%n",
          rounds,
          median(storeFloor),
          median(jdbcFloor));
      recovery(kit, durable, dir);
    }
    System.exit(0);
  }

  /**
   * Deposits per second into {@code account} from {@link AccountBenchmark}'s four senders, each
   * keeping its window of deposits outstanding, every one answered.
   */
  private static double depositsPerSecond(
      ActorKit kit, ActorRef<Account.Command> account, String prefix, int operations)
      throws InterruptedException {
    int perSender = operations / AccountBenchmark.SENDERS;
    List<ActorRef<Object>> senders = new ArrayList<>();
    for (int s = 0; s < AccountBenchmark.SENDERS; s++) {
      String[] ids = new String[perSender];
      for (int i = 0; i < perSender; i++) {
        ids[i] = prefix + "-" + s + "-" + i;
      }
      senders.add(
          kit.spawn(
              Branch.PRIMITIVES,
              prefix + "-sender-" + s,
              AccountBenchmark.sender(account, ids),
              SpawnOptions.daemon()));
    }
    CountDownLatch done = new CountDownLatch(senders.size());
    long start = System.nanoTime();
    senders.forEach(sender -> sender.tell(new AccountBenchmark.Run(done)));
    if (!done.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
      throw new IllegalStateException("the senders did not finish");
    }
    return perSender * senders.size() / ((System.nanoTime() - start) / 1e9);
  }

  private static List<ActorRef<Object>> clients(
      ActorKit kit, ActorRef<Mutex.Command> mutex, String prefix) {
    List<ActorRef<Object>> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      clients.add(
          kit.spawn(
              Branch.PRIMITIVES,
              prefix + "-client-" + i,
              MutexBenchmark.client(mutex),
              SpawnOptions.daemon()));
    }
    return clients;
  }

  private static double grantsPerSecond(List<ActorRef<Object>> clients, int grants)
      throws InterruptedException {
    long start = System.nanoTime();
    GrantLoop.runAll(clients, grants / clients.size());
    return grants / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * The floor under a durable grant: the same store ({@code jdbc-durable-state-store}) writing one
   * primitive's state, each write after the previous one has been acknowledged, with a record of
   * the size a mutex with a holder and no waiters has.
   */
  private static double storeWritesPerSecond(ActorKit kit, int writes) {
    @SuppressWarnings("unchecked")
    akka.persistence.state.javadsl.DurableStateUpdateStore<Object> store =
        akka.persistence.state.DurableStateStoreRegistry.get(kit.system())
            .getDurableStateStoreFor(
                akka.persistence.state.javadsl.DurableStateUpdateStore.class,
                "jdbc-durable-state-store");
    String id = "floor-" + System.nanoTime();
    ActorRef<Mutex.Reply> someone = kit.system().ignoreRef();
    long start = System.nanoTime();
    for (int revision = 1; revision <= writes; revision++) {
      Object value =
          new dev.actorkit.durable.MutexRecord(
              revision,
              1,
              new dev.actorkit.durable.MutexRecord.Hold(someone, someone, revision, 1, 0),
              List.of(),
              List.of());
      store.upsertObject(id, revision, value, "").toCompletableFuture().join();
    }
    return writes / ((System.nanoTime() - start) / 1e9);
  }

  /** The floor under the store: plain JDBC, one row updated again and again, autocommit. */
  private static double jdbcWritesPerSecond(Path dir, int writes) throws java.sql.SQLException {
    String url =
        "jdbc:h2:file:" + dir.resolve("actorkit") + ";AUTO_SERVER=TRUE;DATABASE_TO_UPPER=false";
    try (java.sql.Connection connection = java.sql.DriverManager.getConnection(url, "sa", "");
        java.sql.Statement setup = connection.createStatement()) {
      setup.execute(
          "CREATE TABLE IF NOT EXISTS floor (id VARCHAR PRIMARY KEY, rev BIGINT, v BLOB)");
      setup.execute("MERGE INTO floor KEY (id) VALUES ('x', 0, X'00')");
      byte[] payload = new byte[200];
      try (java.sql.PreparedStatement update =
          connection.prepareStatement(
              "UPDATE floor SET rev = ?, v = ? WHERE id = 'x' AND rev = ?")) {
        long start = System.nanoTime();
        for (int revision = 1; revision <= writes; revision++) {
          update.setLong(1, revision);
          update.setBytes(2, payload);
          update.setLong(3, revision - 1);
          update.executeUpdate();
        }
        return writes / ((System.nanoTime() - start) / 1e9);
      } finally {
        setup.execute("DROP TABLE floor");
      }
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** The child: joins, takes the durable mutexes named in args[1], says "ready", waits. */
  public static final class Holder {
    public static void main(String[] args) throws Exception {
      ChildJvm.exitWhenParentDies();
      ActorKit kit =
          ClusterNode.join(
              args[0],
              ConfigFactory.parseString("akka.loglevel = ERROR").withFallback(ClusterNode.port(0)));
      DurableKit durable = DurableKit.start(kit);
      List<MutexClient.Lock> held = new ArrayList<>(); // reachable until the kill
      for (String name : args[1].split(",")) {
        held.add(durable.mutex(name).acquire(Duration.ofSeconds(30)));
      }
      System.out.println("ready holding " + held.size());
      new CountDownLatch(1).await(); // until SIGKILL
    }
  }

  private static void recovery(ActorKit kit, DurableKit durable, Path dir) throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      names.add("recovery-" + i);
    }
    CompletableFuture<Void> ready = new CompletableFuture<>();
    try (ChildJvm child =
        ChildJvm.start(
            Holder.class,
            List.of(ClusterNode.address(kit), String.join(",", names)),
            List.of(
                "-Xmx256m",
                "-Dakka-persistence-jdbc.shared-databases.actorkit.db.url=jdbc:h2:file:"
                    + dir.resolve("actorkit")
                    + ";AUTO_SERVER=TRUE;DATABASE_TO_UPPER=false"),
            "[holder] ",
            line -> {
              if (line.contains("ready")) {
                ready.complete(null);
              }
            })) {
      ready.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      Set<String> hostedHere = durable.hostedHere(DurableKit.MUTEXES, WAIT);
      Map<String, CompletableFuture<Long>> grantedAt = new LinkedHashMap<>();
      Map<String, MutexClient.Lock> locks = new ConcurrentHashMap<>();
      for (String name : names) {
        CompletableFuture<Long> at = new CompletableFuture<>();
        durable
            .mutex(name)
            .acquireAsync(WAIT)
            .thenAccept(
                lock -> {
                  at.complete(System.nanoTime());
                  locks.put(name, lock);
                });
        grantedAt.put(name, at);
      }
      for (String name : names) { // every waiter queued before the kill
        while (durable.mutex(name).status().waiters().isEmpty()) {
          Thread.sleep(10);
        }
      }
      CompletableFuture<Long> unreachable = new CompletableFuture<>();
      CompletableFuture<Long> removed = new CompletableFuture<>();
      RecoveryBench.watchMembership(kit, 1, unreachable, removed);
      long killed = System.nanoTime();
      child.kill(true);
      List<Double> here = new ArrayList<>();
      List<Double> moved = new ArrayList<>();
      for (String name : names) {
        double ms = (grantedAt.get(name).get(WAIT.toSeconds(), TimeUnit.SECONDS) - killed) / 1e6;
        (hostedHere.contains(name) ? here : moved).add(ms);
      }
      double removedMs = (removed.get(WAIT.toSeconds(), TimeUnit.SECONDS) - killed) / 1e6;
      System.out.printf(
          Locale.ROOT,
          "recovery: SIGKILL -> unreachable %.0f ms, removed %.0f ms; next grant of the %d"
              + " mutexes hosted here %s ms; of the %d that moved here from the dead node %s ms"
              + " (%.0f ms after the removal, at the latest)%n",
          (unreachable.get(WAIT.toSeconds(), TimeUnit.SECONDS) - killed) / 1e6,
          removedMs,
          here.size(),
          rounded(here),
          moved.size(),
          rounded(moved),
          moved.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN) - removedMs);
      locks.values().forEach(MutexClient.Lock::close);
    }
  }

  private static List<Long> rounded(List<Double> values) {
    return values.stream().map(Math::round).sorted().toList();
  }
}
