package dev.actorkit.bench.console;

import akka.actor.typed.ActorRef;
import dev.actorkit.bench.GrantLoop;
import dev.actorkit.bench.mutex.MutexBenchmark;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.core.console.KitConsole;
import dev.actorkit.patterns.mutex.Mutex;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Grants per second of a {@link Mutex} in a kit, taken and given back by one client actor, as
 * {@link MutexBenchmark#mutexUncontended()} does, in three settings of the live console:
 *
 * <ul>
 *   <li>{@code none}: no console;
 *   <li>{@code unwatched}: a console is serving, and no page is open (the promise: this costs
 *       nothing, as the console then does not listen to the tracer at all);
 *   <li>{@code watched}: a page (an HTTP client reading {@code /events}) is open, so every request,
 *       grant and release is built as a trace event, handed to the console's inbox, folded and
 *       sent.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ConsoleOverheadBenchmark {

  static final int GRANTS = 100_000;

  @Param({"none", "unwatched", "watched"})
  public String console;

  private ActorKit kit;
  private KitConsole served;
  private InputStream page;
  private ActorRef<Object> client;

  @Setup(Level.Trial)
  public void start() throws IOException, InterruptedException {
    kit = ActorKit.create("console-bench");
    ActorRef<Mutex.Command> mutex =
        kit.spawn(
            Branch.PRIMITIVES,
            "mutex",
            Mutex.create(Mutex.Settings.defaults()),
            SpawnOptions.daemon());
    client =
        kit.spawn(Branch.PRIMITIVES, "client", MutexBenchmark.client(mutex), SpawnOptions.daemon());
    if (!console.equals("none")) {
      served = kit.console(0);
    }
    if (console.equals("watched")) {
      page =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(served.uri().resolve("/events")).build(),
                  HttpResponse.BodyHandlers.ofInputStream())
              .body();
      Thread reader =
          new Thread(
              () -> {
                byte[] buffer = new byte[64 * 1024];
                try {
                  while (page.read(buffer) >= 0) {
                    // A page reads and draws; this one only reads.
                  }
                } catch (IOException closed) {
                  // The trial is over.
                }
              },
              "bench-page");
      reader.setDaemon(true);
      reader.start();
      served.firstViewer().toCompletableFuture().join();
    }
  }

  @TearDown(Level.Trial)
  public void stop() throws IOException {
    if (served != null) {
      System.out.printf(
          "%n[console=%s] events dropped by the console: %d%n", console, served.dropped());
    }
    if (page != null) {
      page.close();
    }
    kit.close();
  }

  /** One client actor: acquire, on the grant release and acquire again. */
  @Benchmark
  @OperationsPerInvocation(GRANTS)
  public void mutexGrants() throws InterruptedException {
    GrantLoop.runAll(List.of(client), GRANTS);
  }
}
