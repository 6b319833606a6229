package dev.actorkit.patterns.pipe;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.Branch;
import dev.actorkit.core.Payload;
import dev.actorkit.core.SpawnOptions;
import dev.actorkit.core.call.Call;
import dev.actorkit.core.call.Callers;
import dev.actorkit.core.errors.ClosedException;
import dev.actorkit.core.errors.EndOfStreamException;
import dev.actorkit.core.errors.RejectedException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * One end of a pipe for plain Java: Python's {@code Connection}. Thread-safe; every method takes or
 * defaults ({@code actorkit.ask-timeout}) a timeout in story time.
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
 * is a tell to the same end. A wait that runs out throws {@code TimedOutException} and consumes
 * nothing. The same class works on an end in another JVM, given its reference ({@link #of}), for
 * example one looked up by name in the cluster module.
 *
 * <p>Each {@code recv} and {@code poll} is made by its own stand-in (the rules of {@link Callers}):
 * a value is held by the end until the caller has it, so a caller that walks away (interrupted,
 * cancelled stage, timed out with the value on its way) leaves it to be received next, in its turn;
 * a wait it leaves is withdrawn. The stages of the {@code *Async} methods complete on the kit's
 * blocking dispatcher, never on the end's thread.
 */
public final class PipeClient implements AutoCloseable {

  /**
   * Both ends of a new pipe, in Python's order: for a one-way pipe {@code first} receives and
   * {@code second} sends.
   */
  public record Ends(PipeClient first, PipeClient second) {}

  private final ActorRef<Pipe.Command> end;
  private final Callers callers;
  private final String name;

  private PipeClient(ActorRef<Pipe.Command> end, ActorSystem<?> system) {
    this.end = Objects.requireNonNull(end, "end");
    this.callers = Callers.get(system);
    this.name = Callers.nameOf(end);
  }

  /**
   * Creates a pipe: two daemon ends under the kit's primitives branch, named {@code name-1} and
   * {@code name-2}. Python's {@code multiprocessing.Pipe(duplex)}.
   *
   * @throws RejectedException if the names are taken
   */
  public static Ends open(ActorKit kit, String name, boolean duplex) {
    return create(kit, name, new PairSettings(duplex));
  }

  /** How a pipe is made: duplex, or one-way (the first end receives, the second sends). */
  public record PairSettings(boolean duplex) {
    public static PairSettings bothWays() {
      return new PairSettings(true);
    }

    public static PairSettings oneWay() {
      return new PairSettings(false);
    }
  }

  /** {@link #open} in the shape every client has: a pipe named {@code name} with these settings. */
  public static Ends create(ActorKit kit, String name, PairSettings settings) {
    Objects.requireNonNull(settings, "settings");
    boolean duplex = settings.duplex();
    Pipe.Settings first = new Pipe.Settings(duplex ? Pipe.Role.DUPLEX : Pipe.Role.RECEIVE_ONLY);
    Pipe.Settings second = new Pipe.Settings(duplex ? Pipe.Role.DUPLEX : Pipe.Role.SEND_ONLY);
    ActorRef<Pipe.Command> a =
        kit.spawn(Branch.PRIMITIVES, name + "-1", Pipe.create(first), SpawnOptions.daemon());
    ActorRef<Pipe.Command> b =
        kit.spawn(Branch.PRIMITIVES, name + "-2", Pipe.create(second), SpawnOptions.daemon());
    connect(a, b);
    return new Ends(new PipeClient(a, kit.system()), new PipeClient(b, kit.system()));
  }

  /**
   * Connects two freshly spawned ends to each other. Call it before the references are given to
   * anyone else, so that {@link Pipe.Connect} is the first message each end sees.
   */
  public static void connect(ActorRef<Pipe.Command> a, ActorRef<Pipe.Command> b) {
    a.tell(new Pipe.Connect(b));
    b.tell(new Pipe.Connect(a));
  }

  /**
   * A client for an existing end, possibly in another JVM (calls without a timeout wait {@code
   * actorkit.ask-timeout}). An end in another JVM learns that this JVM uses it ({@link
   * Pipe.UsedFrom}): if this JVM dies (killed, or cut off and downed), the end closes and its peer
   * sees the end of the stream, as Python's does when the child holding the connection dies; if
   * this JVM leaves in an orderly way (its kit closes), the end stays open for its other users.
   * Known limits: an end moved to another JVM afterwards ({@link #moveHere}) no longer closes for
   * this JVM's death, and this JVM remembers every remote end it used until it stops.
   */
  public static PipeClient of(ActorRef<Pipe.Command> end, ActorSystem<?> system) {
    PipeClient client = new PipeClient(end, system);
    PipeUsers.get(system).using(end);
    return client;
  }

  /**
   * Moves the end {@code end}, typically one in another JVM found by name, into this kit and
   * returns a client for it here: Python's {@code Process(target=f, args=(child_conn,))}, after
   * which the connection lives in the child. From then on the other end sends straight into this
   * JVM and a {@code recv} here is answered here, so a value crosses between the JVMs once per
   * direction instead of as four asks. Values that had arrived, callers waiting on the end, and the
   * end of the stream all move along; clients that still hold the old reference keep working (their
   * calls are forwarded). The new end is a daemon named like the old one, under the primitives
   * branch.
   *
   * @param timeout how long to wait for the end to arrive (story time)
   * @throws ClosedException if the end is closed (or had moved to a JVM that is gone), or did not
   *     answer in time; the new end then stops
   * @throws RejectedException if an actor of that name already exists here
   */
  public static PipeClient moveHere(ActorKit kit, ActorRef<Pipe.Command> end, Duration timeout) {
    return moveHere(kit, end.path().name(), end, timeout);
  }

  /**
   * {@link #moveHere(ActorKit, ActorRef, Duration)} under another name, for an end moving within
   * one kit.
   */
  public static PipeClient moveHere(
      ActorKit kit, String name, ActorRef<Pipe.Command> end, Duration timeout) {
    Duration real = kit.clock().toReal(timeout);
    ActorRef<Pipe.Command> home =
        kit.spawn(Branch.PRIMITIVES, name, Pipe.movedFrom(end, real), SpawnOptions.daemon());
    PipeClient client = new PipeClient(home, kit.system());
    client
        .call(
            Pipe.Status.class, Pipe.MoveIn::new, timeout, "moving " + Callers.nameOf(end) + " here")
        .await();
    return client;
  }

  /** How the end stands now; Python has no such call, it helps tests and demos explain. */
  public CompletionStage<Pipe.Status> statusAsync(Duration timeout) {
    return call(Pipe.Status.class, Pipe.GetStatus::new, timeout, "the status of " + name).async();
  }

  /** Blocking {@link #statusAsync}. */
  public Pipe.Status status(Duration timeout) {
    return call(Pipe.Status.class, Pipe.GetStatus::new, timeout, "the status of " + name).await();
  }

  /** How the end stands now, waiting at most {@code actorkit.ask-timeout}. */
  public Pipe.Status status() {
    return status(callers.defaultTimeout());
  }

  /** The end this client talks to, for example to register it under a name. */
  public ActorRef<Pipe.Command> ref() {
    return end;
  }

  /**
   * Sends {@code value} to the other end; completes once this end has passed it on. The stage fails
   * with {@link RejectedException} for a value a pipe cannot carry (anything but {@code
   * KitMessage}, {@code String}, numbers and {@code byte[]}) or at the receiving end of a one-way
   * pipe, and with {@link ClosedException} if either end is closed.
   */
  public CompletionStage<Void> sendAsync(Object value, Duration timeout) {
    Payload payload;
    try {
      payload = Payload.of(value);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new RejectedException(name, e.getMessage()));
    }
    return sending(payload, timeout).async();
  }

  /** Blocking {@link #sendAsync} with the default timeout. */
  public void send(Object value) {
    send(value, callers.defaultTimeout());
  }

  /** Blocking {@link #sendAsync}. */
  public void send(Object value, Duration timeout) {
    Payload payload;
    try {
      payload = Payload.of(value);
    } catch (IllegalArgumentException e) {
      throw new RejectedException(name, e.getMessage());
    }
    sending(payload, timeout).await();
  }

  private Call<Void> sending(Payload payload, Duration timeout) {
    return callers.ask(
        end,
        timeout,
        "a send on " + name,
        (ActorRef<Pipe.Reply> replyTo) -> new Pipe.Send(payload, replyTo),
        reply -> {
          expect(Pipe.Sent.class, reply);
          return null;
        });
  }

  /**
   * The next value from the other end, waiting at most {@code timeout} (story time) for one. Fails
   * with {@link EndOfStreamException} once the other end is closed and drained, {@code
   * TimedOutException} if nothing came in time (nothing is consumed), {@link ClosedException} if
   * this end is closed, {@link RejectedException} on the sending end of a one-way pipe. Cancelling
   * the stage before the value comes leaves it for the next receive.
   */
  public CompletionStage<Object> recvAsync(Duration timeout) {
    return receiving(timeout).async();
  }

  /** Blocking {@link #recvAsync} with the default timeout. */
  public Object recv() {
    return recv(callers.defaultTimeout());
  }

  /** Blocking {@link #recvAsync}. */
  public Object recv(Duration timeout) {
    return receiving(timeout).await();
  }

  /**
   * A receive whose value the end holds until the caller has it; the stand-in then acknowledges it.
   */
  private Call<Object> receiving(Duration timeout) {
    return callers.through(
        end,
        timeout,
        "a recv on " + name,
        (ActorRef<Pipe.Reply> standIn) -> new Pipe.Recv(timeout, standIn, true, standIn),
        (reply, standIn) -> {
          Pipe.Received received = expect(Pipe.Received.class, reply);
          standIn.afterAccepted(() -> end.tell(new Pipe.Ack(received.seq())));
          return received.payload().value();
        });
  }

  /**
   * Whether a {@link #recv} would answer at once, waiting at most {@code timeout} for that (zero:
   * look only).
   */
  public CompletionStage<Boolean> pollAsync(Duration timeout) {
    return polling(timeout).async();
  }

  /** Blocking {@link #pollAsync}; Python's {@code conn.poll(timeout)}. */
  public boolean poll(Duration timeout) {
    return polling(timeout).await();
  }

  private Call<Boolean> polling(Duration timeout) {
    return callers.through(
        end,
        timeout,
        "a poll on " + name,
        (ActorRef<Pipe.Reply> standIn) -> new Pipe.Poll(timeout, standIn, standIn),
        (reply, standIn) -> expect(Pipe.Ready.class, reply).ready());
  }

  /**
   * Closes this end; the other end receives what is left and then the end of the stream.
   * Idempotent.
   */
  public CompletionStage<Void> closeAsync() {
    return closing().async();
  }

  /** Blocking {@link #closeAsync}. */
  @Override
  public void close() {
    closing().await();
  }

  private Call<Void> closing() {
    return callers.ask(
        end,
        callers.defaultTimeout(),
        "closing " + name,
        Pipe.Close::new,
        reply -> {
          expect(Pipe.CloseDone.class, reply);
          return null;
        });
  }

  private <S extends Pipe.Reply> Call<S> call(
      Class<S> expected,
      Function<ActorRef<Pipe.Reply>, Pipe.Command> message,
      Duration timeout,
      String what) {
    return callers.ask(end, timeout, what, message, reply -> expect(expected, reply));
  }

  private <S extends Pipe.Reply> S expect(Class<S> expected, Pipe.Reply reply) {
    if (expected.isInstance(reply)) {
      return expected.cast(reply);
    }
    throw failureFor(reply);
  }

  private RuntimeException failureFor(Pipe.Reply reply) {
    if (reply == Pipe.EndOfStream.INSTANCE) {
      return new EndOfStreamException(
          "the other end of " + name + " is closed and everything it sent was received");
    }
    if (reply instanceof Pipe.EndClosed closed) {
      return new ClosedException(name + ": " + closed.reason());
    }
    return Callers.refusal(reply, end);
  }
}
