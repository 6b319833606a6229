package dev.actorkit.bench.pipe;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.cluster.ClusterNames;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.SpawnOptions;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floors under a pipe between two JVMs, measured in the same run as the pipe itself: a round
 * trip over a plain loopback TCP socket (what the operating system gives, the analogue of Python's
 * {@code multiprocessing.Pipe}), and a round trip between two plain Akka actors, one in each JVM,
 * over the cluster's Artery TCP connection (what Akka gives before actorkit adds anything).
 */
final class TransportFloor {

  private TransportFloor() {}

  /** What the echoing actor in the other JVM understands. */
  record Ping(long seq, ActorRef<Pong> replyTo) implements KitMessage {}

  /** Its answer. */
  record Pong(long seq) implements KitMessage {}

  /** Answers every ping; registered by name in the child JVM. */
  static Behavior<Ping> echo() {
    return Behaviors.receiveMessage(
        ping -> {
          ping.replyTo().tell(new Pong(ping.seq()));
          return Behaviors.same();
        });
  }

  static void startEcho(ActorKit kit, String name) {
    ActorRef<Ping> ref = kit.spawn(Branch.PRIMITIVES, name, echo(), SpawnOptions.daemon());
    ClusterNames.register(kit, name, Ping.class, ref);
  }

  /**
   * Round trips per second between an actor here and the echo actor {@code name} in another JVM,
   * keeping {@code window} pings in flight. The driving is done by an actor, so no thread outside
   * Akka takes part.
   */
  static double actorRoundTrips(ActorKit kit, String name, int window, int warmup, int measure)
      throws InterruptedException {
    ActorRef<Ping> echo = ClusterNames.lookup(kit, name, Ping.class, Duration.ofSeconds(30));
    AtomicLong answered = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    kit.spawn(
        Branch.PRIMITIVES,
        "floor-driver-" + window,
        Behaviors.<Pong>setup(
            context -> {
              for (int i = 0; i < window; i++) {
                echo.tell(new Ping(i, context.getSelf()));
              }
              return Behaviors.receiveMessage(
                  pong -> {
                    answered.lazySet(answered.get() + 1);
                    if (!running.get()) {
                      return Behaviors.stopped();
                    }
                    echo.tell(new Ping(pong.seq(), context.getSelf()));
                    return Behaviors.same();
                  });
            }),
        SpawnOptions.daemon());
    double rate = countRate(answered, warmup, measure);
    running.set(false);
    return rate;
  }

  /**
   * The rate at which {@code counter} grows in a {@code measure}-second window after a {@code
   * warmup}-second one.
   */
  static double countRate(AtomicLong counter, int warmup, int measure) throws InterruptedException {
    TimeUnit.SECONDS.sleep(warmup);
    long before = counter.get();
    long start = System.nanoTime();
    TimeUnit.SECONDS.sleep(measure);
    long after = counter.get();
    return (after - before) / ((System.nanoTime() - start) / 1e9);
  }

  /** A loopback socket whose other end, in the child JVM, echoes 8-byte values. */
  static ServerSocket listen() throws IOException {
    return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
  }

  /** Round trips per second over an accepted socket, keeping {@code window} values in flight. */
  static double socketRoundTrips(Socket socket, int window, int warmup, int measure)
      throws IOException {
    socket.setTcpNoDelay(true);
    DataOutputStream out = new DataOutputStream(socket.getOutputStream());
    DataInputStream in = new DataInputStream(socket.getInputStream());
    for (int i = 0; i < window; i++) {
      out.writeLong(i);
    }
    out.flush();
    long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
    while (System.nanoTime() < warmEnd) {
      out.writeLong(in.readLong());
      out.flush();
    }
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(measure);
    long count = 0;
    while (System.nanoTime() < end) {
      out.writeLong(in.readLong());
      out.flush();
      count++;
    }
    double rate = count / ((System.nanoTime() - start) / 1e9);
    for (int i = 0; i < window; i++) {
      in.readLong();
    }
    socket.close();
    return rate;
  }

  /** The child's side of the socket floor: echo until the parent closes. */
  static void echoSocket(int port) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setTcpNoDelay(true);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      DataInputStream in = new DataInputStream(socket.getInputStream());
      while (true) {
        long value;
        try {
          value = in.readLong();
        } catch (IOException e) {
          return;
        }
        out.writeLong(value);
        out.flush();
      }
    }
  }
}
