package dev.actorkit.cluster;

import akka.actor.Address;
import akka.actor.AddressFromURIString;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.cluster.typed.SelfUp;
import akka.cluster.typed.Subscribe;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Ask;
import dev.actorkit.core.errors.TimedOutException;
import dev.actorkit.core.trace.Tracer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Starting a kit as a cluster node and joining it to others, for code that does not list seed nodes
 * in its configuration (tests, demos, a parent and the child JVMs it starts).
 *
 * <pre>{@code
 * try (ActorKit parent = ClusterNode.startFirst(ClusterNode.port(0))) {        // a new cluster
 *   String seed = ClusterNode.address(parent);                                // akka://actorkit@127.0.0.1:41234
 *   // in the child JVM:  ActorKit child = ClusterNode.join(seed, ClusterNode.port(0));
 * }
 * }</pre>
 *
 * <p>A node started here names the other nodes' participants in its trace by their label ({@link
 * #named}): a child JVM's plain-Java calls read {@code caller@holder} rather than {@code
 * caller@127.0.0.1:41234} (see {@link Tracer}).
 *
 * <p>Cluster waits here are <em>real</em> time: joining and gossip are not part of any story, so a
 * kit at speed 100 still gives the cluster the seconds it needs.
 */
public final class ClusterNode {

  /** How long {@link #startFirst} and {@link #join} wait for the node to be Up. */
  public static final Duration DEFAULT_JOIN_TIMEOUT = Duration.ofSeconds(30);

  private static final AtomicLong ids = new AtomicLong();

  private ClusterNode() {}

  /** A configuration that sets only the node's port (0: any free port). */
  public static Config port(int port) {
    return ConfigFactory.parseMap(Map.of("akka.remote.artery.canonical.port", port));
  }

  /** The role that carries a node's label, {@code node:LABEL}. */
  static final String LABEL_ROLE = "node:";

  /**
   * A configuration that labels the node {@code label} (as the role {@code node:LABEL}): the other
   * nodes' traces name its participants {@code NAME@LABEL}. Combine it with the rest: {@code
   * ClusterNode.named("holder").withFallback(ClusterNode.port(0))}.
   */
  public static Config named(String label) {
    if (label == null || label.isBlank() || label.contains("@")) {
      throw new IllegalArgumentException("a node's label must be a non-blank name without '@'");
    }
    return ConfigFactory.parseMap(Map.of("akka.cluster.roles", List.of(LABEL_ROLE + label)));
  }

  /** Starts a clustered kit that founds a new cluster (joins itself) and waits until it is Up. */
  public static ActorKit startFirst(Config config) {
    ActorKit kit = ActorKit.clustered(config);
    try {
      nameNodesByLabel(kit);
      Cluster cluster = Cluster.get(kit.system());
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
      awaitUp(kit, DEFAULT_JOIN_TIMEOUT);
      return kit;
    } catch (RuntimeException e) {
      kit.close();
      throw e;
    }
  }

  /**
   * Starts a clustered kit, joins the cluster that {@code seedAddress} belongs to, and waits until
   * it is Up.
   */
  public static ActorKit join(String seedAddress, Config config) {
    Address seed = AddressFromURIString.parse(seedAddress);
    ActorKit kit = ActorKit.clustered(config);
    try {
      nameNodesByLabel(kit);
      Cluster.get(kit.system()).manager().tell(Join.create(seed));
      awaitUp(kit, DEFAULT_JOIN_TIMEOUT);
      return kit;
    } catch (RuntimeException e) {
      kit.close();
      throw e;
    }
  }

  /**
   * Names remote participants in the kit's trace by their node's label: the member at that address
   * as this node knows it, remembered once found (a member's roles never change), so a node that
   * was downed and removed keeps its name; one entry per member the kit has named.
   */
  private static void nameNodesByLabel(ActorKit kit) {
    Cluster cluster = Cluster.get(kit.system());
    Map<Address, Optional<String>> seen = new ConcurrentHashMap<>();
    kit.tracer()
        .nameNodesBy(
            address -> {
              Optional<String> known = seen.get(address);
              if (known != null) {
                return known;
              }
              for (akka.cluster.Member member : cluster.state().getMembers()) {
                if (member.address().equals(address)) {
                  Optional<String> label =
                      member.getRoles().stream()
                          .filter(role -> role.startsWith(LABEL_ROLE))
                          .map(role -> role.substring(LABEL_ROLE.length()))
                          .findFirst();
                  seen.put(address, label); // a member's roles never change: label or none
                  return label;
                }
              }
              return Optional.empty();
            });
  }

  /** This node's address, as another node passes it to {@link #join}. */
  public static String address(ActorKit kit) {
    return Cluster.get(kit.system()).selfMember().address().toString();
  }

  /** How many members are Up now, as this node sees them. */
  public static int upMembers(ActorKit kit) {
    int up = 0;
    for (akka.cluster.Member member : Cluster.get(kit.system()).state().getMembers()) {
      if (member.status() == MemberStatus.up()) {
        up++;
      }
    }
    return up;
  }

  /**
   * Waits (real time) until this node is Up in its cluster.
   *
   * @throws TimedOutException if it is not Up within {@code timeout}
   */
  public static void awaitUp(ActorKit kit, Duration timeout) {
    ActorSystem<?> system = kit.system();
    CompletableFuture<Boolean> up = new CompletableFuture<>();
    // SelfUp comes at once if the node is Up already; the watcher stops itself either way.
    Behavior<Object> watcher =
        Behaviors.setup(
            context -> {
              Cluster.get(system)
                  .subscriptions()
                  .tell(Subscribe.create(context.getSelf().narrow(), SelfUp.class));
              return Behaviors.withTimers(
                  timers -> {
                    timers.startSingleTimer(GiveUp.INSTANCE, timeout);
                    return Behaviors.receive(Object.class)
                        .onMessage(
                            SelfUp.class,
                            selfUp -> {
                              up.complete(true);
                              return Behaviors.stopped();
                            })
                        .onMessageEquals(GiveUp.INSTANCE, Behaviors::stopped)
                        .build();
                  });
            });
    system.systemActorOf(watcher, "actorkit-await-up-" + ids.incrementAndGet(), Props.empty());
    Ask.await(up, timeout, "cluster node " + address(kit) + " to be Up");
  }

  private enum GiveUp {
    INSTANCE
  }
}
