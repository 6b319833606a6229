package dev.actorkit.bench.pipe;

import akka.actor.typed.ActorRef;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.actorkit.cluster.ChildJvm;
import dev.actorkit.cluster.ClusterNames;
import dev.actorkit.cluster.ClusterNode;
import dev.actorkit.core.ActorKit;
import dev.actorkit.patterns.manager.SharedMap;
import dev.actorkit.patterns.manager.SharedMapClient;
import dev.actorkit.patterns.pipe.Pipe;
import dev.actorkit.patterns.pipe.PipeClient;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A timed harness (not JMH: the measured side must be a second JVM that this one starts, joined to
 * it as an Akka Cluster node over loopback TCP). It measures, in one run:
 *
 * <ul>
 *   <li>pipe round trips per second, one at a time and with 16 in flight, first with both ends in
 *       this JVM, then with the echoing end in a child JVM: found by name and either used in place
 *       (every call an ask across the JVMs) or moved into the child; this side either loops in one
 *       thread, blocking in {@code recv}, or answers from the stages of the async calls; everything
 *       crosses as Jackson CBOR;
 *   <li>shared-map set+get pairs per second, one pair at a time from this JVM and from the child,
 *       and with 16 pairs in flight from the child;
 *   <li>the floors under the two-JVM figures, between the same two JVMs: round trips over a plain
 *       loopback TCP socket and between two plain Akka actors ({@link TransportFloor}).
 * </ul>
 *
 * <p>Each figure is the count in a measured window after a warm-up window.
 *
 * <pre>
 * java -cp benchmarks/target/actorkit-benchmarks.jar dev.actorkit.bench.pipe.CrossJvmBench [warmup-s] [measure-s]
 * </pre>
 */
public final class CrossJvmBench {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private CrossJvmBench() {}

  public static void main(String[] args) throws Exception {
    CompletableFuture<Double> childMapInFlight = new CompletableFuture<>();
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int measure = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Map<String, Double> results = new LinkedHashMap<>();
    CompletableFuture<Double> childMap = new CompletableFuture<>();
    try (ActorKit node = ClusterNode.startFirst(quiet().withFallback(ClusterNode.port(0)))) {
      for (int window : new int[] {1, PipeBenchmark.IN_FLIGHT}) {
        PipeClient.Ends pipe = PipeClient.open(node, "local-" + window, true);
        Echo echo = Echo.start(pipe.second(), window);
        results.put(
            "pipe round trips/s, one JVM, " + label(window),
            roundTrips(pipe.first(), window, warmup, measure));
        pipe.first().close();
        echo.awaitEnd(WAIT);
      }
      SharedMapClient map = SharedMapClient.create(node, "bench-map");
      results.put("shared-map set+get pairs/s, one JVM", setGetPairs(map, warmup, measure));
      ClusterNames.register(node, "bench-map", SharedMap.Command.class, map.ref());

      Map<String, PipeClient> nearEnds = new LinkedHashMap<>();
      for (String name : CROSS_PIPES) {
        PipeClient.Ends pipe = PipeClient.open(node, name, true);
        ClusterNames.register(node, name, Pipe.Command.class, pipe.second().ref());
        nearEnds.put(name, pipe.first());
      }
      ServerSocket socketFloor = TransportFloor.listen();
      List<String> childArgs =
          List.of(
              ClusterNode.address(node),
              Integer.toString(warmup),
              Integer.toString(measure),
              Integer.toString(socketFloor.getLocalPort()));
      try (socketFloor;
          ChildJvm child =
              ChildJvm.start(
                  Child.class,
                  childArgs,
                  List.of("-Xmx512m"),
                  "[child] ",
                  line -> {
                    System.out.println(line);
                    if (line.startsWith("[child] RESULT map ")) {
                      childMap.complete(
                          Double.parseDouble(line.substring("[child] RESULT map ".length())));
                    } else if (line.startsWith("[child] RESULT map16 ")) {
                      childMapInFlight.complete(
                          Double.parseDouble(line.substring("[child] RESULT map16 ".length())));
                    }
                  })) {
        for (int window : new int[] {1, PipeBenchmark.IN_FLIGHT}) {
          results.put(
              "floor: TCP socket round trips/s, " + label(window),
              TransportFloor.socketRoundTrips(socketFloor.accept(), window, warmup, measure));
        }
        for (int window : new int[] {1, PipeBenchmark.IN_FLIGHT}) {
          results.put(
              "floor: Akka actor round trips/s, " + label(window),
              TransportFloor.actorRoundTrips(node, "floor-echo", window, warmup, measure));
        }
        for (String name : CROSS_PIPES) {
          int window = windowOf(name);
          String how =
              name.startsWith("moved") ? "end moved to the other JVM" : "end used in place";
          boolean async = name.contains("async");
          double rate =
              async
                  ? asyncRoundTrips(nearEnds.get(name), window, warmup, measure)
                  : roundTrips(nearEnds.get(name), window, warmup, measure);
          results.put(
              "pipe round trips/s, two JVMs, "
                  + how
                  + ", "
                  + label(window)
                  + (async ? ", async client" : ""),
              rate);
          nearEnds.get(name).close();
        }
        results.put(
            "shared-map set+get pairs/s, from another JVM",
            childMap.get(warmup + measure + 120L, TimeUnit.SECONDS));
        results.put(
            "shared-map set+get pairs/s, from another JVM, " + label(PipeBenchmark.IN_FLIGHT),
            childMapInFlight.get(warmup + measure + 60L, TimeUnit.SECONDS));
        child.waitFor(WAIT);
      }
    }
    System.out.println();
    System.out.printf(
        "%-50s %12s%n",
        "measurement (warm-up " + warmup + " s, measured " + measure + " s)", "per second");
    results.forEach((name, rate) -> System.out.printf("%-50s %,12.0f%n", name, rate));
    System.exit(0);
  }

  /**
   * The pipes between the two JVMs. The child uses the far end of the "in-place" ones where it is,
   * every call an ask across the JVMs; it moves the far end of the "moved" ones into its own JVM
   * ({@link PipeClient#moveHere}), so only the values cross.
   */
  private static final List<String> CROSS_PIPES =
      List.of("in-place-1", "in-place-16", "moved-1", "moved-16", "moved-async-16");

  private static int windowOf(String pipe) {
    return Integer.parseInt(pipe.substring(pipe.lastIndexOf('-') + 1));
  }

  private static String label(int window) {
    return window == 1 ? "one at a time" : window + " in flight";
  }

  /** Keeps {@code window} values in flight: each echo received is answered by sending the next. */
  static double roundTrips(PipeClient near, int window, int warmup, int measure) {
    for (int i = 0; i < window; i++) {
      near.sendAsync(i, WAIT);
    }
    long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
    while (System.nanoTime() < warmEnd) {
      near.recv(WAIT);
      near.sendAsync(1, WAIT);
    }
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(measure);
    long count = 0;
    while (System.nanoTime() < end) {
      near.recv(WAIT);
      count++;
      near.sendAsync(1, WAIT);
    }
    return count / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * Like {@link #roundTrips}, but this side answers from the stages of {@code recvAsync} and {@code
   * sendAsync} too, as the echoing side does: no thread of this JVM blocks.
   */
  static double asyncRoundTrips(PipeClient near, int window, int warmup, int measure)
      throws InterruptedException {
    for (int i = 0; i < window; i++) {
      near.sendAsync(i, WAIT);
    }
    AtomicLong answered = new AtomicLong();
    Echo.start(near, window, answered); // stops when the caller closes the end
    return TransportFloor.countRate(answered, warmup, measure);
  }

  /** One put and one get of the same key, waiting for each: Python's {@code d[k] = v; d[k]}. */
  static double setGetPairs(SharedMapClient map, int warmup, int measure) {
    long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
    long i = 0;
    while (System.nanoTime() < warmEnd) {
      map.put("k" + (i & 1023), i);
      map.get("k" + (i++ & 1023));
    }
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(measure);
    long count = 0;
    while (System.nanoTime() < end) {
      map.put("k" + (i & 1023), i);
      map.get("k" + (i++ & 1023));
      count++;
    }
    return count / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * Like {@link #setGetPairs}, with {@code window} pairs in flight: each of {@code window} chains
   * puts its own key, gets it back when the put is answered, and starts its next pair when the get
   * is answered. No thread blocks.
   */
  static double setGetPairsInFlight(SharedMapClient map, int window, int warmup, int measure)
      throws InterruptedException {
    AtomicLong pairs = new AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean running =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    for (int chain = 0; chain < window; chain++) {
      pairChain(map, "chain-" + chain, pairs, running);
    }
    try {
      return TransportFloor.countRate(pairs, warmup, measure);
    } finally {
      running.set(false);
    }
  }

  private static void pairChain(
      SharedMapClient map,
      String key,
      AtomicLong pairs,
      java.util.concurrent.atomic.AtomicBoolean running) {
    long value = pairs.get();
    map.putAsync(key, value, WAIT)
        .thenCompose(previous -> map.getAsync(key, WAIT))
        .thenRun(
            () -> {
              pairs.incrementAndGet();
              if (running.get()) {
                pairChain(map, key, pairs, running);
              }
            });
  }

  static Config quiet() {
    return ConfigFactory.parseString("akka.loglevel = ERROR");
  }

  /**
   * The child JVM: echo on both pipes until they close, then measure set+get pairs on the parent's
   * map.
   */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      ChildJvm.exitWhenParentDies();
      int warmup = Integer.parseInt(args[1]);
      int measure = Integer.parseInt(args[2]);
      try (ActorKit kit = ClusterNode.join(args[0], quiet().withFallback(ClusterNode.port(0)))) {
        TransportFloor.startEcho(kit, "floor-echo");
        for (int connection = 0; connection < 2; connection++) {
          TransportFloor.echoSocket(Integer.parseInt(args[3]));
        }
        Duration lookup = Duration.ofSeconds(30);
        SharedMapClient map =
            SharedMapClient.of(
                ClusterNames.lookup(kit, "bench-map", SharedMap.Command.class, lookup),
                kit.system());
        List<Echo> echoes = new java.util.ArrayList<>();
        for (String name : CROSS_PIPES) {
          ActorRef<Pipe.Command> far = ClusterNames.lookup(kit, name, Pipe.Command.class, lookup);
          PipeClient end =
              name.startsWith("moved")
                  ? PipeClient.moveHere(kit, far, lookup)
                  : PipeClient.of(far, kit.system());
          echoes.add(Echo.start(end, windowOf(name)));
        }
        for (Echo echo : echoes) {
          echo.awaitEnd(Duration.ofMinutes(10));
        }
        System.out.println("RESULT map " + setGetPairs(map, warmup, measure));
        System.out.println(
            "RESULT map16 " + setGetPairsInFlight(map, PipeBenchmark.IN_FLIGHT, warmup, measure));
      }
      System.exit(0);
    }
  }
}
