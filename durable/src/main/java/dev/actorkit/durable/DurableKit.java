package dev.actorkit.durable;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.ShardRegion;
import akka.cluster.sharding.typed.ClusterShardingSettings;
import akka.cluster.sharding.typed.GetClusterShardingStats;
import akka.cluster.sharding.typed.GetShardRegionState;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.cluster.typed.Cluster;
import akka.persistence.jdbc.testkit.javadsl.SchemaUtils;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Ask;
import dev.actorkit.core.Branch;
import dev.actorkit.core.KitDispatcher;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.patterns.account.Account;
import dev.actorkit.patterns.account.AccountClient;
import dev.actorkit.patterns.account.Bank;
import dev.actorkit.patterns.account.BankClient;
import dev.actorkit.patterns.buffer.BoundedBuffer;
import dev.actorkit.patterns.buffer.BufferClient;
import dev.actorkit.patterns.event.EventClient;
import dev.actorkit.patterns.manager.SharedListClient;
import dev.actorkit.patterns.manager.SharedMapClient;
import dev.actorkit.patterns.mutex.MutexClient;
import dev.actorkit.patterns.semaphore.ReadWriteLockClient;
import dev.actorkit.patterns.semaphore.Semaphore;
import dev.actorkit.patterns.semaphore.SemaphoreClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The durable primitives of a clustered kit: named primitives that live as Cluster Sharding
 * entities (one per name, cluster-wide) and keep their state in a JDBC store, so that they outlive
 * the JVM that hosts them.
 *
 * <pre>{@code
 * try (ActorKit kit = ClusterNode.startFirst(config)) {
 *   DurableKit durable = DurableKit.start(kit);        // on every node of the cluster
 *   MutexClient till = durable.mutex("till");          // the same mutex from any node
 *   try (MutexClient.Lock lock = till.acquire()) { ... lock.token() ... }
 * }
 * }</pre>
 *
 * <p><b>One owner per name.</b> Two nodes that ask for the same name reach the same entity, hosted
 * on one node of the cluster; when that node dies, the entity starts on another node with its state
 * (sharding remembers its entities, so it starts again even if nobody sends it anything). The
 * clients are the plain ones ({@link MutexClient}): each node reaches an entity through one local
 * forwarding actor per name, so every caller rule of the kit holds as for a local primitive.
 *
 * <p><b>The store.</b> {@code akka-persistence-jdbc}'s durable state, one row per primitive, or its
 * event journal for the account, the shared map and the shared list; an embedded H2 file by
 * default, PostgreSQL in production (see {@code reference.conf}). {@link #start} creates the tables
 * if they are missing, and fails with {@link IllegalStateException}, naming the database, if it
 * cannot reach it.
 *
 * <p>Thread-safe. Call {@link #start} once per node, on every node that may host or use a durable
 * primitive; it returns the same instance for the same kit.
 */
public final class DurableKit {

  /** The entity type of durable mutexes. */
  public static final EntityTypeKey<Object> MUTEXES =
      EntityTypeKey.create(Object.class, DurableMutex.KIND);

  /** The entity type of durable accounts. */
  public static final EntityTypeKey<Object> ACCOUNTS =
      EntityTypeKey.create(Object.class, DurableAccount.KIND);

  /** The entity type of durable events. */
  public static final EntityTypeKey<Object> EVENTS =
      EntityTypeKey.create(Object.class, DurableEvent.KIND);

  /** The entity type of durable semaphores. */
  public static final EntityTypeKey<Object> SEMAPHORES =
      EntityTypeKey.create(Object.class, DurableSemaphore.KIND);

  /** The entity type of durable read-write locks. */
  public static final EntityTypeKey<Object> READ_WRITE_LOCKS =
      EntityTypeKey.create(Object.class, DurableReadWriteLock.KIND);

  /** The entity type of durable banks. */
  public static final EntityTypeKey<Object> BANKS =
      EntityTypeKey.create(Object.class, DurableBank.KIND);

  /** The entity type of durable buffers. */
  public static final EntityTypeKey<Object> BUFFERS =
      EntityTypeKey.create(Object.class, DurableBuffer.KIND);

  /** The entity type of durable shared maps. */
  public static final EntityTypeKey<Object> MAPS =
      EntityTypeKey.create(Object.class, DurableSharedMap.KIND);

  /** The entity type of durable shared lists. */
  public static final EntityTypeKey<Object> LISTS =
      EntityTypeKey.create(Object.class, DurableSharedList.KIND);

  /** The durable state store of every durable primitive (akka-persistence-jdbc's). */
  static final String STATE_STORE = "jdbc-durable-state-store";

  /** Where sharding remembers the entities (see {@code reference.conf}). */
  static final String JOURNAL = "actorkit.durable.journal";

  static final String SNAPSHOT_STORE = "actorkit.durable.snapshot-store";

  /**
   * The started ones, by their node's classic actor system: a typed {@code ActorSystem} is an
   * {@code ActorRef}, equal to any other system of the same name, so two nodes in one JVM (tests)
   * would share one entry.
   */
  private static final Map<akka.actor.ActorSystem, DurableKit> started = new ConcurrentHashMap<>();

  private final ActorKit kit;
  private final ClusterSharding sharding;
  private final Map<String, MutexClient> mutexes = new ConcurrentHashMap<>();

  /** One local forwarder per entity type and name: {@code kind|name}. */
  private final Map<String, ActorRef<Object>> forwarders = new ConcurrentHashMap<>();

  /** The durable account each account forwarder of this node reaches, for the bank's transfers. */
  private final Map<ActorRef<?>, String> accountNames = new ConcurrentHashMap<>();

  private DurableKit(ActorKit kit) {
    this.kit = kit;
    this.sharding = ClusterSharding.get(kit.system());
  }

  /**
   * Makes the store ready (its tables created if missing) and starts the durable primitives'
   * sharding on this node.
   *
   * @throws IllegalStateException if the kit is not clustered, or the store cannot be reached
   *     within {@code actorkit.durable.store-start-timeout}
   */
  public static DurableKit start(ActorKit kit) {
    Objects.requireNonNull(kit, "kit");
    ActorSystem<?> system = kit.system();
    if (!system.settings().config().getString("akka.actor.provider").equals("cluster")) {
      throw new IllegalStateException(
          "durable primitives need a clustered kit (ActorKit.clustered or ClusterNode), even one"
              + " of a single node");
    }
    Cluster.get(system); // fails early if the cluster extension cannot start
    refuseEmbeddedStoreAcrossMachines(system);
    boolean[] made = {false};
    DurableKit durable =
        started.computeIfAbsent(
            system.classicSystem(),
            s -> {
              createStore(kit);
              DurableKit fresh = new DurableKit(kit);
              fresh.initSharding();
              made[0] = true;
              return fresh;
            });
    if (made[0]) {
      system.getWhenTerminated().thenRun(() -> started.remove(system.classicSystem()));
    }
    return durable;
  }

  /**
   * The embedded H2 store is one file on one machine: nodes on other machines would each open a
   * store of their own, and a primitive that moved would start from another record. So a node
   * reachable from other machines (not bound to loopback) must name a shared store.
   */
  private static void refuseEmbeddedStoreAcrossMachines(ActorSystem<?> system) {
    var config = system.settings().config();
    String url = config.getString("akka-persistence-jdbc.shared-databases.actorkit.db.url");
    String host = config.getString("akka.remote.artery.canonical.hostname");
    boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    if (url.startsWith("jdbc:h2:") && !loopback) {
      throw new IllegalStateException(
          "this node is reachable as "
              + host
              + ", but its durable store is the embedded H2 file "
              + url
              + ", which only the JVMs of one machine can share: configure a shared database"
              + " (PostgreSQL, see docs/durable.md) for a cluster across machines");
    }
  }

  private static void createStore(ActorKit kit) {
    var config = kit.system().settings().config();
    Duration timeout = config.getDuration("actorkit.durable.store-start-timeout");
    String url = config.getString("akka-persistence-jdbc.shared-databases.actorkit.db.url");
    try {
      SchemaUtils.createIfNotExists(JOURNAL, kit.system())
          .toCompletableFuture()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "the durable store " + url + " cannot be reached: " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "the durable store " + url + " did not answer within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while opening the durable store " + url, e);
    }
  }

  private void initSharding() {
    ClusterShardingSettings settings =
        ClusterShardingSettings.create(kit.system())
            // Remembered, so that an entity whose host died starts again at once on another node
            // and hands a dead holder's lock on even if no message is sent to it.
            .withRememberEntities(true)
            .withRememberEntitiesStoreMode(
                ClusterShardingSettings.RememberEntitiesStoreModeEventSourced$.MODULE$)
            .withJournalPluginId(JOURNAL)
            .withSnapshotPluginId(SNAPSHOT_STORE)
            .withNoPassivationStrategy();
    sharding.init(
        Entity.of(MUTEXES, entity -> DurableMutex.create(entity.getEntityId()))
            .withSettings(settings)
            .withEntityProps(KitDispatcher.COORDINATION.selector()));
    sharding.init(
        Entity.of(SEMAPHORES, entity -> DurableSemaphore.create(entity.getEntityId()))
            .withSettings(settings)
            .withEntityProps(KitDispatcher.COORDINATION.selector()));
    sharding.init(
        Entity.of(ACCOUNTS, entity -> DurableAccount.create(entity.getEntityId()))
            .withSettings(settings)
            .withEntityProps(KitDispatcher.COORDINATION.selector()));
    sharding.init(
        Entity.of(EVENTS, entity -> DurableEvent.create(entity.getEntityId()))
            .withSettings(settings)
            .withEntityProps(KitDispatcher.COORDINATION.selector()));
    sharding.init(
        Entity.of(BANKS, entity -> DurableBank.create(entity.getEntityId()))
            .withSettings(settings)
            .withEntityProps(KitDispatcher.COORDINATION.selector()));
    sharding.init(
        Entity.of(READ_WRITE_LOCKS, entity -> DurableReadWriteLock.create(entity.getEntityId()))
            .withSettings(settings)
            .withEntityProps(KitDispatcher.COORDINATION.selector()));
    sharding.init(
        Entity.of(BUFFERS, entity -> DurableBuffer.create(entity.getEntityId()))
            .withSettings(settings)
            .withEntityProps(KitDispatcher.COORDINATION.selector()));
    sharding.init(
        Entity.of(MAPS, entity -> DurableSharedMap.create(entity.getEntityId()))
            .withSettings(settings)
            .withEntityProps(KitDispatcher.COORDINATION.selector()));
    sharding.init(
        Entity.of(LISTS, entity -> DurableSharedList.create(entity.getEntityId()))
            .withSettings(settings)
            .withEntityProps(KitDispatcher.COORDINATION.selector()));
  }

  /**
   * The durable mutex named {@code name}, the same one from every node; created (free, token 0) the
   * first time anyone uses it. See {@link DurableMutex} for what it keeps and answers.
   *
   * @throws IllegalArgumentException if the name is blank
   */
  public MutexClient mutex(String name) {
    checkName(name);
    return mutexes.computeIfAbsent(
        name, n -> MutexClient.of(forwarder(MUTEXES, n).narrow(), kit.system()));
  }

  /**
   * The durable semaphore named {@code name}, the same one from every node. The first call anywhere
   * creates it with {@code settings}; later calls (on any node, at any time, after any restart)
   * must give the same settings — for an unbounded semaphore, the same kind — or are refused. See
   * {@link DurableSemaphore} for what it keeps and answers.
   *
   * @throws IllegalArgumentException if the name is blank, or the semaphore exists with other
   *     settings
   * @throws IllegalStateException if the store did not take its creation (try again)
   * @throws dev.actorkit.core.errors.TimedOutException if it could not be reached within {@code
   *     actorkit.ask-timeout}
   */
  public SemaphoreClient semaphore(String name, Semaphore.Settings settings) {
    checkName(name);
    Objects.requireNonNull(settings, "settings");
    ActorRef<Object> forwarder = forwarder(SEMAPHORES, name);
    Semaphore.Reply created =
        askCreate(
            forwarder,
            (ActorRef<Semaphore.Reply> replyTo) ->
                new DurableSemaphore.Create(settings.permits(), settings.bounded(), replyTo),
            "creating the durable semaphore " + name);
    if (created instanceof Semaphore.Rejected rejected) {
      if (rejected.reason().equals(PendingWrite.STORE_FAILED)) {
        throw new IllegalStateException("the durable semaphore " + name + ": " + rejected.reason());
      }
      throw new IllegalArgumentException(
          "the durable semaphore " + name + " cannot be made: " + rejected.reason());
    }
    return SemaphoreClient.of(forwarder.narrow(), kit.system());
  }

  /**
   * The durable account named {@code name}, the same one from every node. The first call anywhere
   * opens it with {@code settings}; later calls must give the same settings, or are refused. See
   * {@link DurableAccount} for what its journal keeps.
   *
   * @throws IllegalArgumentException if the name is blank, or the account is open with other
   *     settings
   * @throws IllegalStateException if the store did not take its opening (try again)
   */
  public AccountClient account(String name, DurableAccount.Settings settings) {
    checkName(name);
    Objects.requireNonNull(settings, "settings");
    ActorRef<Object> forwarder = forwarder(ACCOUNTS, name);
    Account.Reply opened =
        askCreate(
            forwarder,
            (ActorRef<Account.Reply> replyTo) -> new DurableAccount.Open(settings, replyTo),
            "opening the durable account " + name);
    if (opened instanceof Account.Rejected rejected) {
      if (rejected.reason().equals(PendingWrite.STORE_FAILED)) {
        throw new IllegalStateException("the durable account " + name + ": " + rejected.reason());
      }
      throw new IllegalArgumentException(
          "the durable account " + name + " cannot be opened: " + rejected.reason());
    }
    accountNames.put(forwarder, name);
    return AccountClient.of(forwarder.narrow(), kit.system());
  }

  /**
   * The durable bank named {@code name}, the same one from every node. The first call anywhere
   * opens it with {@code settings}; later calls must give the same settings, or are refused. Its
   * transfers move money between durable accounts: pass the {@code ref()} of clients that {@link
   * #account} made on this node (any other account is refused with {@code Rejected} before anything
   * is written). See {@link DurableBank} for what its journal keeps and how a transfer goes on when
   * the bank moves.
   *
   * @throws IllegalArgumentException if the name is blank, or the bank is open with other settings
   * @throws IllegalStateException if the store did not take its opening (try again)
   */
  public BankClient bank(String name, Bank.Settings settings) {
    checkName(name);
    Objects.requireNonNull(settings, "settings");
    EntityRef<Object> entity = sharding.entityRefFor(BANKS, name);
    ActorRef<Object> forwarder = forwarder(BANKS, name, transfersByName(entity));
    Bank.Reply opened =
        askCreate(
            forwarder,
            (ActorRef<Bank.Reply> replyTo) ->
                new DurableBank.Open(
                    settings.stepTimeout().toMillis(),
                    settings.maxAttempts(),
                    settings.rememberedOutcomes(),
                    replyTo),
            "opening the durable bank " + name);
    if (opened instanceof Bank.Rejected rejected) {
      if (rejected.reason().equals(PendingWrite.STORE_FAILED)) {
        throw new IllegalStateException("the durable bank " + name + ": " + rejected.reason());
      }
      throw new IllegalArgumentException(
          "the durable bank " + name + " cannot be opened: " + rejected.reason());
    }
    return BankClient.of(forwarder.narrow(), kit.system());
  }

  /**
   * A bank's local stand-in: a transfer between account clients of this node goes on as a transfer
   * between the durable accounts they name (references are local to a node; names are not), and
   * everything else is passed on as it is.
   */
  private Behavior<Object> transfersByName(EntityRef<Object> bank) {
    return Behaviors.receiveMessage(
        message -> {
          if (message instanceof Bank.Transfer transfer) {
            String from = transfer.from() == null ? null : accountNames.get(transfer.from());
            String to = transfer.to() == null ? null : accountNames.get(transfer.to());
            if ((transfer.from() != null && from == null)
                || (transfer.to() != null && to == null)) {
              transfer
                  .replyTo()
                  .tell(
                      new Bank.Rejected(
                          "a durable bank moves money between durable accounts: pass the ref() of"
                              + " clients that DurableKit.account made on this node"));
            } else {
              bank.tell(
                  new DurableBank.Transfer(
                      transfer.transferId(), from, to, transfer.amount(), transfer.replyTo()));
            }
          } else {
            bank.tell(message);
          }
          return Behaviors.same();
        });
  }

  /**
   * The durable event named {@code name}, the same one from every node; it starts clear. See {@link
   * DurableEvent} for what it keeps and answers.
   *
   * @throws IllegalArgumentException if the name is blank
   */
  public EventClient event(String name) {
    checkName(name);
    return EventClient.of(forwarder(EVENTS, name).narrow(), kit.system());
  }

  /**
   * The durable read-write lock named {@code name}, the same one from every node; it starts free
   * (token 0) the first time anyone uses it. See {@link DurableReadWriteLock} for what it keeps and
   * answers.
   *
   * @throws IllegalArgumentException if the name is blank
   */
  public ReadWriteLockClient readWriteLock(String name) {
    checkName(name);
    return ReadWriteLockClient.of(forwarder(READ_WRITE_LOCKS, name).narrow(), kit.system());
  }

  /**
   * The durable bounded buffer named {@code name}, the same one from every node. The first call
   * anywhere creates it with {@code settings}' capacity and delivery mode (at least once or at most
   * once); later calls (on any node, at any time, after any restart) must give the same ones, or
   * are refused. Its items must be the kit's payload types ({@code KitMessage} records, strings,
   * booleans, characters, numbers); others are refused when put. See {@link DurableBuffer} for what
   * it keeps and answers.
   *
   * @throws IllegalArgumentException if the name is blank, the order is not FIFO (a LIFO or
   *     priority buffer is not kept durably: a comparator cannot be stored), or the buffer exists
   *     with other settings
   * @throws IllegalStateException if the store did not take its creation (try again)
   * @throws dev.actorkit.core.errors.TimedOutException if it could not be reached within {@code
   *     actorkit.ask-timeout}
   */
  public <T> BufferClient<T> buffer(String name, BoundedBuffer.Settings settings) {
    checkName(name);
    Objects.requireNonNull(settings, "settings");
    if (settings.order() != BoundedBuffer.Order.FIFO) {
      throw new IllegalArgumentException(
          "the durable buffer "
              + name
              + " cannot be "
              + settings.order()
              + ": a durable buffer is first in, first out (a comparator cannot be stored)");
    }
    ActorRef<Object> forwarder = forwarder(BUFFERS, name);
    BoundedBuffer.Reply<Object> created =
        askCreate(
            forwarder,
            (ActorRef<BoundedBuffer.Reply<Object>> replyTo) ->
                new DurableBuffer.Create(settings.capacity(), settings.atLeastOnce(), replyTo),
            "creating the durable buffer " + name);
    if (created instanceof BoundedBuffer.Rejected<Object> rejected) {
      if (rejected.reason().equals(PendingWrite.STORE_FAILED)) {
        throw new IllegalStateException("the durable buffer " + name + ": " + rejected.reason());
      }
      throw new IllegalArgumentException(
          "the durable buffer " + name + " cannot be made: " + rejected.reason());
    }
    return BufferClient.of(forwarder.narrow(), kit.system());
  }

  /**
   * The durable shared map named {@code name}, the same one from every node; empty the first time
   * anyone uses it. See {@link DurableSharedMap} for what its journal keeps and how it differs from
   * an in-memory map.
   *
   * @throws IllegalArgumentException if the name is blank
   */
  public SharedMapClient map(String name) {
    checkName(name);
    return SharedMapClient.of(forwarder(MAPS, name).narrow(), kit.system());
  }

  /**
   * The durable shared list named {@code name}, the same one from every node; empty the first time
   * anyone uses it. See {@link DurableSharedList} for what its journal keeps.
   *
   * @throws IllegalArgumentException if the name is blank
   */
  public SharedListClient list(String name) {
    checkName(name);
    return SharedListClient.of(forwarder(LISTS, name).narrow(), kit.system());
  }

  /** This node's forwarder to the entity {@code name} of {@code type}, made on first use. */
  private ActorRef<Object> forwarder(EntityTypeKey<Object> type, String name) {
    return forwarder(type, name, forwardingTo(sharding.entityRefFor(type, name)));
  }

  /** {@link #forwarder(EntityTypeKey, String)} that behaves as {@code forwarding}. */
  private ActorRef<Object> forwarder(
      EntityTypeKey<Object> type, String name, Behavior<Object> forwarding) {
    return forwarders.computeIfAbsent(
        type.name() + "|" + name,
        key ->
            kit.spawn(
                Branch.PRIMITIVES,
                "durable-"
                    + type.name().substring("actorkit-".length())
                    + "-"
                    + URLEncoder.encode(name, StandardCharsets.UTF_8),
                forwarding,
                SpawnOptions.daemon()));
  }

  /** Asks an entity to create itself (or to confirm it exists as asked), within the ask timeout. */
  private <R> R askCreate(
      ActorRef<Object> forwarder, Function<ActorRef<R>, Object> create, String what) {
    Duration timeout = kit.clock().toReal(kit.settings().askTimeout());
    return Ask.await(
        AskPattern.ask(forwarder, create::apply, timeout, kit.system().scheduler()), timeout, what);
  }

  /**
   * The names of the durable primitives of {@code type} ({@link #MUTEXES}, {@link #BUFFERS}, ...)
   * whose entity runs on this node now (for tests, demos and the curious: where a name lives is
   * sharding's choice, and it moves when its host dies).
   */
  public Set<String> hostedHere(EntityTypeKey<Object> type, Duration timeout) {
    CompletionStage<ShardRegion.CurrentShardRegionState> state =
        AskPattern.ask(
            sharding.shardState(),
            (ActorRef<ShardRegion.CurrentShardRegionState> replyTo) ->
                new GetShardRegionState(type, replyTo),
            timeout,
            kit.system().scheduler());
    Set<String> names = new TreeSet<>();
    Ask.await(state, timeout, "the shards of this node")
        .getShards()
        .forEach(shard -> names.addAll(shard.getEntityIds()));
    return names;
  }

  /**
   * The address of the node that hosts the durable primitive {@code name} of {@code type} now
   * ({@code akka://system@host:port}, as {@code ClusterNode.address} gives it), or empty if it is
   * not running anywhere (never used, or between a host's death and its start elsewhere).
   */
  public Optional<String> hostOf(EntityTypeKey<Object> type, String name, Duration timeout) {
    int shards = kit.system().settings().config().getInt("akka.cluster.sharding.number-of-shards");
    String shard = ShardRegion.HashCodeMessageExtractor$.MODULE$.shardId(name, shards);
    CompletionStage<ShardRegion.ClusterShardingStats> stats =
        AskPattern.ask(
            sharding.shardState(),
            (ActorRef<ShardRegion.ClusterShardingStats> replyTo) ->
                new GetClusterShardingStats(type, timeout, replyTo),
            timeout.plus(timeout),
            kit.system().scheduler());
    for (var region :
        Ask.await(stats, timeout.plus(timeout), "where the shards are").getRegions().entrySet()) {
      if (region.getValue().getStats().containsKey(shard)) {
        return Optional.of(region.getKey().toString());
      }
    }
    return Optional.empty();
  }

  /** The kit these primitives belong to. */
  public ActorKit kit() {
    return kit;
  }

  /**
   * A local stand-in for an entity, so that the plain clients, which talk to an {@code ActorRef},
   * reach it: every message is passed on, in order.
   */
  private static <T> Behavior<T> forwardingTo(EntityRef<Object> entity) {
    return Behaviors.receiveMessage(
        message -> {
          entity.tell(message);
          return Behaviors.same();
        });
  }

  private static void checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a durable primitive needs a name, got a blank one");
    }
  }
}
