package dev.actorkit.bench.manager;

import dev.actorkit.core.ActorKit;
import dev.actorkit.patterns.manager.Operation;
import dev.actorkit.patterns.manager.SharedMapClient;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A set+get pair on a shared map from a plain thread in the map's own JVM, beside the same pair on
 * a {@code ConcurrentHashMap} (the java.util.concurrent baseline), and an atomic increment beside
 * {@code ConcurrentHashMap.merge}. From another JVM see {@code
 * dev.actorkit.bench.pipe.CrossJvmBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SharedMapBenchmark {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private ActorKit kit;
  private SharedMapClient map;
  private final ConcurrentHashMap<String, Object> baseline = new ConcurrentHashMap<>();
  private long i;

  @Setup(Level.Trial)
  public void start() {
    kit = ActorKit.create("map-bench");
    map = SharedMapClient.create(kit, "bench");
  }

  @TearDown(Level.Trial)
  public void stop() {
    kit.close();
  }

  @Benchmark
  public Object sharedMapSetGet() {
    String key = "k" + (i++ & 1023);
    map.put(key, i);
    return map.get(key);
  }

  @Benchmark
  public Object sharedMapIncrement() {
    return Ask.await(map.updateAsync("hits", Operation.Increment.by(1), WAIT), WAIT);
  }

  @Benchmark
  public Object concurrentHashMapSetGet() {
    String key = "k" + (i++ & 1023);
    baseline.put(key, i);
    return baseline.get(key);
  }

  @Benchmark
  public Object concurrentHashMapIncrement() {
    return baseline.merge("hits", 1L, (a, b) -> (Long) a + (Long) b);
  }

  /** Blocking wait for a stage, bounded. */
  private static final class Ask {
    static Object await(java.util.concurrent.CompletionStage<?> stage, Duration timeout) {
      return dev.actorkit.core.Ask.await(stage, timeout, "a shared-map update");
    }
  }
}
