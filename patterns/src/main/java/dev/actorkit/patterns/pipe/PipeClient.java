package dev.actorkit.patterns.pipe;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Ask;
import dev.actorkit.core.Branch;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.core.errors.ClosedException;
import dev.actorkit.core.errors.KitException;
import dev.actorkit.core.errors.RejectedException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * One end of a pipe for plain Java: Python's {@code Connection}. Thread-safe; every method takes
 * or defaults ({@code actorkit.ask-timeout}) a timeout in story time.
 *
 * <pre>{@code
 * PipeClient.Ends pipe = PipeClient.open(kit, "greeting", true);   // multiprocessing.Pipe()
 * pipe.first().send("Hello!");
 * String hello = (String) pipe.second().recv();
 * pipe.first().close();
 * pipe.second().recv();   // throws EndOfStreamException: Python's EOFError
 * }</pre>
 *
 * <p>Values from one thread arrive in the order it sent them: {@link #send} returns once the end
 * has passed the value on. {@link #sendAsync} calls from one thread are ordered too, because each
 * is a tell to the same local end. A wait that runs out throws {@code TimedOutException} and
 * consumes nothing. The same class works on an end in another JVM, given its reference
 * ({@link #of}), for example one looked up by name in the cluster module.
 *
 * <p>The stages the {@code *Async} methods return complete on the kit's thread that delivers the
 * reply (see {@link Ask}); attach long-running work with the {@code *Async} variants.
 */
public final class PipeClient implements AutoCloseable {

  /** Both ends of a new pipe, in Python's order: for a one-way pipe {@code first} receives and {@code second} sends. */
  public record Ends(PipeClient first, PipeClient second) {}

  private final ActorRef<Pipe.Command> end;
  private final ActorSystem<?> system;
  private final KitClock clock;
  private final Duration defaultTimeout;

  private PipeClient(ActorRef<Pipe.Command> end, ActorSystem<?> system, Duration defaultTimeout) {
    this.end = end;
    this.system = system;
    this.clock = KitClock.get(system);
    this.defaultTimeout = defaultTimeout;
  }

  /**
   * Creates a pipe: two daemon ends under the kit's primitives branch, named {@code name-1} and
   * {@code name-2}. Python's {@code multiprocessing.Pipe(duplex)}.
   *
   * @throws RejectedException if the names are taken
   */
  public static Ends open(ActorKit kit, String name, boolean duplex) {
    Pipe.Settings first = new Pipe.Settings(duplex ? Pipe.Role.DUPLEX : Pipe.Role.RECEIVE_ONLY);
    Pipe.Settings second = new Pipe.Settings(duplex ? Pipe.Role.DUPLEX : Pipe.Role.SEND_ONLY);
    ActorRef<Pipe.Command> a = kit.spawn(Branch.PRIMITIVES, name + "-1", Pipe.create(first), SpawnOptions.daemon());
    ActorRef<Pipe.Command> b = kit.spawn(Branch.PRIMITIVES, name + "-2", Pipe.create(second), SpawnOptions.daemon());
    connect(a, b);
    Duration timeout = kit.settings().askTimeout();
    return new Ends(new PipeClient(a, kit.system(), timeout), new PipeClient(b, kit.system(), timeout));
  }

  /**
   * Connects two freshly spawned ends to each other. Call it before the references are given to
   * anyone else, so that {@link Pipe.Connect} is the first message each end sees.
   */
  public static void connect(ActorRef<Pipe.Command> a, ActorRef<Pipe.Command> b) {
    a.tell(new Pipe.Connect(b));
    b.tell(new Pipe.Connect(a));
  }

  /** A client for an existing end, possibly in another JVM, with the system's {@code actorkit.ask-timeout}. */
  public static PipeClient of(ActorRef<Pipe.Command> end, ActorSystem<?> system) {
    return new PipeClient(end, system, system.settings().config().getDuration("actorkit.ask-timeout"));
  }

  /**
   * Moves the end {@code end}, typically one in another JVM found by name, into this kit and
   * returns a client for it here: Python's {@code Process(target=f, args=(child_conn,))}, after
   * which the connection lives in the child. From then on the other end sends straight into this
   * JVM and a {@code recv} here is answered here, so a value crosses between the JVMs once per
   * direction instead of as four asks. Values that had arrived, callers waiting on the end, and
   * the end of the stream all move along; clients that still hold the old reference keep working
   * (their calls are forwarded). The new end is a daemon named like the old one, under the
   * primitives branch.
   *
   * @param timeout how long to wait for the end to arrive (story time)
   * @throws ClosedException if the end is closed (or had moved to a JVM that is gone), or did not
   *     answer in time; the new end then stops
   * @throws RejectedException if an actor of that name already exists here
   */
  public static PipeClient moveHere(ActorKit kit, ActorRef<Pipe.Command> end, Duration timeout) {
    return moveHere(kit, end.path().name(), end, timeout);
  }

  /** {@link #moveHere(ActorKit, ActorRef, Duration)} under another name, for an end moving within one kit. */
  public static PipeClient moveHere(ActorKit kit, String name, ActorRef<Pipe.Command> end, Duration timeout) {
    Duration real = kit.clock().toReal(timeout);
    ActorRef<Pipe.Command> home = kit.spawn(Branch.PRIMITIVES, name, Pipe.movedFrom(end, real), SpawnOptions.daemon());
    PipeClient client = new PipeClient(home, kit.system(), kit.settings().askTimeout());
    Ask.await(client.call(Pipe.Status.class, Pipe.MoveIn::new, timeout), client.askTimeout(timeout), "moving " + end + " here");
    return client;
  }

  /** How the end stands now; Python has no such call, it helps tests and demos explain. */
  public CompletionStage<Pipe.Status> statusAsync(Duration timeout) {
    return call(Pipe.Status.class, Pipe.GetStatus::new, timeout);
  }

  /** Blocking {@link #statusAsync}. */
  public Pipe.Status status(Duration timeout) {
    return Ask.await(statusAsync(timeout), askTimeout(timeout), "the status of " + Ask.targetName(end));
  }

  /** The end this client talks to, for example to register it under a name. */
  public ActorRef<Pipe.Command> ref() {
    return end;
  }

  /**
   * Sends {@code value} to the other end; completes once this end has passed it on.
   * The stage fails with {@link RejectedException} for a value a pipe cannot carry (anything but
   * {@code KitMessage}, {@code String}, numbers and {@code byte[]}) or at the receiving end of a
   * one-way pipe, and with {@link ClosedException} if either end is closed.
   */
  public CompletionStage<Void> sendAsync(Object value, Duration timeout) {
    Payload payload;
    try {
      payload = Payload.of(value);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new RejectedException(Ask.targetName(end), e.getMessage()));
    }
    return call(Pipe.Sent.class, replyTo -> new Pipe.Send(payload, replyTo), timeout).thenApply(sent -> null);
  }

  /** Blocking {@link #sendAsync} with the default timeout. */
  public void send(Object value) {
    send(value, defaultTimeout);
  }

  /** Blocking {@link #sendAsync}. */
  public void send(Object value, Duration timeout) {
    Ask.await(sendAsync(value, timeout), askTimeout(timeout), "a send on " + Ask.targetName(end));
  }

  /**
   * The next value from the other end, waiting at most {@code timeout} (story time) for one.
   * Fails with {@link EndOfStreamException} once the other end is closed and drained,
   * {@code TimedOutException} if nothing came in time (nothing is consumed), {@link ClosedException}
   * if this end is closed, {@link RejectedException} on the sending end of a one-way pipe.
   */
  public CompletionStage<Object> recvAsync(Duration timeout) {
    return Ask.<Pipe.Command, Pipe.Reply>ask(end, replyTo -> new Pipe.Recv(timeout, owner(), replyTo), askTimeout(timeout), system.scheduler())
        .thenApply(this::valueOf);
  }

  /** Blocking {@link #recvAsync} with the default timeout. */
  public Object recv() {
    return recv(defaultTimeout);
  }

  /** Blocking {@link #recvAsync}. */
  public Object recv(Duration timeout) {
    return Ask.await(recvAsync(timeout), askTimeout(timeout).plus(margin(timeout)), "a recv on " + Ask.targetName(end));
  }

  /** Whether a {@link #recv} would answer at once, waiting at most {@code timeout} for that (zero: look only). */
  public CompletionStage<Boolean> pollAsync(Duration timeout) {
    return call(Pipe.Ready.class, replyTo -> new Pipe.Poll(timeout, owner(), replyTo), timeout).thenApply(Pipe.Ready::ready);
  }

  /** Blocking {@link #pollAsync}; Python's {@code conn.poll(timeout)}. */
  public boolean poll(Duration timeout) {
    return Ask.await(pollAsync(timeout), askTimeout(timeout).plus(margin(timeout)), "a poll on " + Ask.targetName(end));
  }

  /** Closes this end; the other end receives what is left and then the end of the stream. Idempotent. */
  public CompletionStage<Void> closeAsync() {
    return call(Pipe.CloseDone.class, Pipe.Close::new, defaultTimeout).thenApply(done -> null);
  }

  /** Blocking {@link #closeAsync}. */
  @Override
  public void close() {
    Ask.await(closeAsync(), askTimeout(defaultTimeout), "closing " + Ask.targetName(end));
  }

  /**
   * The owner of this JVM's waits: one small actor per actor system that pipe ends watch once, so
   * that the waits of a JVM that dies are dropped without watching every request.
   */
  private ActorRef<Void> owner() {
    return Owner.Id.INSTANCE.apply(system).ref;
  }

  /** The owner actor, an Akka extension so there is exactly one per actor system and it lives as long. */
  private static final class Owner implements Extension {
    private final ActorRef<Void> ref;

    private Owner(ActorRef<Void> ref) {
      this.ref = ref;
    }

    private static final class Id extends ExtensionId<Owner> {
      private static final Id INSTANCE = new Id();

      @Override
      public Owner createExtension(ActorSystem<?> system) {
        return new Owner(system.systemActorOf(Behaviors.<Void>empty(), "actorkit-pipe-owner", Props.empty()));
      }
    }
  }

  private <S extends Pipe.Reply> CompletionStage<S> call(
      Class<S> expected, akka.japi.function.Function<ActorRef<Pipe.Reply>, Pipe.Command> message, Duration timeout) {
    return Ask.<Pipe.Command, Pipe.Reply>ask(end, message, askTimeout(timeout), system.scheduler())
        .thenApply(reply -> expect(expected, reply));
  }

  private <S extends Pipe.Reply> S expect(Class<S> expected, Pipe.Reply reply) {
    if (expected.isInstance(reply)) {
      return expected.cast(reply);
    }
    throw new CompletionException(failureFor(reply));
  }

  private Object valueOf(Pipe.Reply reply) {
    if (reply instanceof Pipe.Received received) {
      return received.payload().value();
    }
    throw new CompletionException(failureFor(reply));
  }

  private RuntimeException failureFor(Pipe.Reply reply) {
    if (reply == Pipe.EndOfStream.INSTANCE) {
      return new EndOfStreamException("the other end of " + Ask.targetName(end) + " is closed and everything it sent was received");
    }
    if (reply instanceof Pipe.EndClosed closed) {
      return new ClosedException(Ask.targetName(end) + ": " + closed.reason());
    }
    KitException mapped = Ask.exceptionFor(reply, Ask.targetName(end));
    return mapped != null ? mapped : new IllegalStateException(Ask.targetName(end) + " answered " + reply);
  }

  /** The real-time bound of an ask: the story wait, converted, plus a margin so the actor's own TimedOut wins. */
  private Duration askTimeout(Duration storyTimeout) {
    Duration real = clock.toReal(storyTimeout);
    return real.plus(margin(real));
  }

  private static Duration margin(Duration real) {
    return Duration.ofSeconds(2).plus(real.dividedBy(10));
  }
}
