package dev.actorkit.patterns.pipe;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.RejectedReply;
import dev.actorkit.core.TimedOutReply;
import dev.actorkit.core.trace.Tracer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One end of a pipe, Python's {@code multiprocessing.Pipe()} connection: {@code send},
 * {@code recv} with a timeout, {@code poll}, {@code close}. A pipe is two such ends created
 * together ({@link PipeClient#open}); what one end sends, the other receives.
 *
 * <ul>
 *   <li><b>Order:</b> values arrive in the order they were sent, per direction (sends are
 *       acknowledged once the value is on its way to the peer, and one end forwards to the other
 *       in order).
 *   <li><b>Fairness:</b> concurrent {@code recv}s on one end are served first come, first served.
 *   <li><b>Timeouts:</b> a {@code recv} or {@code poll} that waits has a deadline (story time) kept
 *       by this actor's timer; when it passes the caller gets {@link TimedOut} (or
 *       {@code Ready(false)} for poll) and leaves the queue; nothing is consumed.
 *   <li><b>End of stream:</b> once the peer has closed, {@code recv} still hands out what had
 *       arrived, in order, and then answers {@link EndOfStream} (Python's {@code EOFError}) to
 *       every later call. A {@code send} to a closed peer gets {@link EndClosed}
 *       ({@code BrokenPipeError}); any call on an end closed itself gets {@link EndClosed}.
 *   <li><b>One-way pipes:</b> the receiving end refuses {@code send} and the sending end refuses
 *       {@code recv}/{@code poll}, with {@link Rejected}.
 *   <li><b>Death:</b> a waiter that dies (its JVM too) is dropped from the queue: the end
 *       watches the waiter's owner actor if the request names one, else the waiter itself.
 * </ul>
 */
public final class Pipe extends AbstractBehavior<Pipe.Command> {

  /** Who may do what at this end. Python's {@code Pipe(duplex=False)} returns (receive-only, send-only). */
  public enum Role {
    DUPLEX(true, true),
    RECEIVE_ONLY(false, true),
    SEND_ONLY(true, false);

    private final boolean canSend;
    private final boolean canReceive;

    Role(boolean canSend, boolean canReceive) {
      this.canSend = canSend;
      this.canReceive = canReceive;
    }

    public boolean canSend() {
      return canSend;
    }

    public boolean canReceive() {
      return canReceive;
    }
  }

  /** Settings of one end. */
  public record Settings(Role role) {
    public Settings {
      if (role == null) {
        throw new IllegalArgumentException("a pipe end needs a role");
      }
    }

    public static Settings duplex() {
      return new Settings(Role.DUPLEX);
    }
  }

  /** What a pipe end understands. */
  public sealed interface Command extends KitMessage {}

  /** Send {@code payload} to the peer. Answers {@link Sent}, {@link Rejected} or {@link EndClosed}. */
  public record Send(Payload payload, ActorRef<Reply> replyTo) implements Command {}

  /**
   * Receive the next value, waiting at most {@code timeout} (story time; zero means do not wait).
   * Answers {@link Received}, {@link EndOfStream}, {@link TimedOut}, {@link Rejected} or {@link EndClosed}.
   *
   * <p>{@code owner}, if not null, is a long-lived actor in the caller's JVM (every
   * {@link PipeClient} of an actor system uses the same one): the end watches it once and drops the caller's waits when it dies, instead of watching
   * every {@code replyTo}. Across JVMs each watch costs acknowledged system messages, so this is
   * what keeps a remote waiting {@code recv} cheap. Without an owner, {@code replyTo} is watched.
   */
  public record Recv(Duration timeout, ActorRef<Void> owner, ActorRef<Reply> replyTo) implements Command {
    /** A receive without an owner: {@code replyTo} is watched. */
    public Recv(Duration timeout, ActorRef<Reply> replyTo) {
      this(timeout, null, replyTo);
    }
  }

  /** Whether a recv would answer at once, waiting at most {@code timeout} for that. Answers {@link Ready}. {@code owner} as for {@link Recv}. */
  public record Poll(Duration timeout, ActorRef<Void> owner, ActorRef<Reply> replyTo) implements Command {
    /** A poll without an owner: {@code replyTo} is watched. */
    public Poll(Duration timeout, ActorRef<Reply> replyTo) {
      this(timeout, null, replyTo);
    }
  }

  /** Close this end; the peer sees the end of the stream after draining. Answers {@link CloseDone}. Idempotent. */
  public record Close(ActorRef<Reply> replyTo) implements Command {}

  /** Connects an end to its peer; sent once by whoever created the pair, before anything else. */
  record Connect(ActorRef<Command> peer) implements Command {}

  private record Deliver(Payload payload) implements Command {}

  private enum PeerClosed implements Command {
    INSTANCE
  }

  private record WaitExpired(long id) implements Command {}

  private record WaiterTerminated(long id) implements Command {}

  private record OwnerTerminated(ActorRef<Void> owner) implements Command {}

  /** Every answer of a pipe end. */
  public sealed interface Reply extends KitMessage {}

  /** The value is on its way to the peer. */
  public enum Sent implements Reply {
    INSTANCE
  }

  /** The next value from the peer. */
  public record Received(Payload payload) implements Reply {}

  /** The peer has closed and everything it sent has been received: Python's {@code EOFError}. */
  public enum EndOfStream implements Reply {
    INSTANCE
  }

  /** Answer to {@link Poll}: whether a recv would answer at once (true also at the end of the stream). */
  public record Ready(boolean ready) implements Reply {}

  /** This end is closed now (or was already). */
  public enum CloseDone implements Reply {
    INSTANCE
  }

  /** The call cannot be done because this end, or for a send the peer, is closed. */
  public record EndClosed(String reason) implements Reply {}

  /** Refused; nothing changed. */
  public record Rejected(String reason) implements Reply, RejectedReply {}

  /** No value came within the wait; the caller has left the queue. */
  public record TimedOut(Duration waited) implements Reply, TimedOutReply {}

  private record Waiter(long id, ActorRef<Void> owner, ActorRef<Reply> replyTo, Duration waited) {}

  /** One end with these settings; it stashes nothing and expects {@link Connect} as its first message. */
  public static Behavior<Command> create(Settings settings) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new Pipe(context, timers, settings)));
  }

  private final TimerScheduler<Command> timers;
  private final KitClock clock;
  private final Tracer tracer;
  private final PipeEndState<Waiter> state;
  private final Map<ActorRef<Void>, Set<Long>> waitsByOwner = new HashMap<>();
  private ActorRef<Command> peer;
  private long nextId;

  private Pipe(ActorContext<Command> context, TimerScheduler<Command> timers, Settings settings) {
    super(context);
    this.timers = timers;
    this.clock = KitClock.get(context.getSystem());
    this.tracer = Tracer.get(context.getSystem());
    this.state = new PipeEndState<>(settings.role().canSend(), settings.role().canReceive());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Connect.class, this::onConnect)
        .onMessage(Send.class, this::onSend)
        .onMessage(Recv.class, this::onRecv)
        .onMessage(Poll.class, this::onPoll)
        .onMessage(Close.class, this::onClose)
        .onMessage(Deliver.class, this::onDeliver)
        .onMessageEquals(PeerClosed.INSTANCE, this::onPeerClosed)
        .onMessage(WaitExpired.class, this::onWaitExpired)
        .onMessage(WaiterTerminated.class, this::onWaiterTerminated)
        .onMessage(OwnerTerminated.class, this::onOwnerTerminated)
        .build();
  }

  private Behavior<Command> onConnect(Connect connect) {
    if (peer != null) {
      getContext().getLog().warn("{} is already connected to {}; ignoring {}", getContext().getSelf(), peer, connect.peer());
      return this;
    }
    peer = connect.peer();
    return this;
  }

  private Behavior<Command> onSend(Send send) {
    if (state.closed()) {
      send.replyTo().tell(new EndClosed("this end is closed"));
      return this;
    }
    Optional<String> refusal = send.payload() == null ? Optional.of("nothing to send") : state.refuseSend(send.payload());
    if (refusal.isPresent()) {
      send.replyTo().tell(new Rejected(refusal.get()));
      return this;
    }
    if (peer == null) {
      send.replyTo().tell(new Rejected("this end is not connected to a peer yet"));
      return this;
    }
    if (state.peerClosed()) {
      send.replyTo().tell(new EndClosed("the other end is closed (broken pipe)"));
      return this;
    }
    peer.tell(new Deliver(send.payload()));
    tracer.emit(getContext().getSelf(), "sent", send.payload());
    send.replyTo().tell(Sent.INSTANCE);
    return this;
  }

  private Behavior<Command> onDeliver(Deliver deliver) {
    Optional<PipeEndState.Handoff<Waiter>> handoff = state.deliver(deliver.payload());
    tracer.emit(getContext().getSelf(), "put", deliver.payload());
    handoff.ifPresent(h -> answer(h.receiver(), new Received(h.payload())));
    wakePollers();
    return this;
  }

  private Behavior<Command> onRecv(Recv recv) {
    Optional<Reply> refusal = refuseReceive(recv.timeout());
    if (refusal.isPresent()) {
      recv.replyTo().tell(refusal.get());
      return this;
    }
    boolean mayWait = recv.timeout().compareTo(Duration.ZERO) > 0;
    Waiter waiter = new Waiter(nextId++, recv.owner(), recv.replyTo(), recv.timeout());
    PipeEndState.Take take = state.receive(waiter.id(), waiter, mayWait);
    if (take instanceof PipeEndState.Value value) {
      tracer.emit(getContext().getSelf(), "taken", value.payload());
      recv.replyTo().tell(new Received(value.payload()));
    } else if (take == PipeEndState.Eof.INSTANCE) {
      recv.replyTo().tell(EndOfStream.INSTANCE);
    } else if (mayWait) {
      startWaiting(waiter);
    } else {
      recv.replyTo().tell(new TimedOut(recv.timeout()));
    }
    return this;
  }

  private Behavior<Command> onPoll(Poll poll) {
    Optional<Reply> refusal = refuseReceive(poll.timeout());
    if (refusal.isPresent()) {
      poll.replyTo().tell(refusal.get());
      return this;
    }
    boolean mayWait = poll.timeout().compareTo(Duration.ZERO) > 0;
    Waiter waiter = new Waiter(nextId++, poll.owner(), poll.replyTo(), poll.timeout());
    if (state.poll(waiter.id(), waiter, mayWait)) {
      poll.replyTo().tell(new Ready(true));
    } else if (mayWait) {
      startWaiting(waiter);
    } else {
      poll.replyTo().tell(new Ready(false));
    }
    return this;
  }

  private Behavior<Command> onClose(Close close) {
    if (!state.closed()) {
      for (Waiter waiter : state.closeNow()) {
        answer(waiter, new EndClosed("this end was closed while waiting"));
      }
      if (peer != null) {
        peer.tell(PeerClosed.INSTANCE);
      }
      tracer.emit(getContext().getSelf(), "closed", "");
    }
    close.replyTo().tell(CloseDone.INSTANCE);
    return this;
  }

  private Behavior<Command> onPeerClosed() {
    for (Waiter waiter : state.peerClosedNow()) {
      answer(waiter, EndOfStream.INSTANCE);
    }
    wakePollers();
    tracer.emit(getContext().getSelf(), "peer closed", "pending " + state.pending());
    return this;
  }

  private Behavior<Command> onWaitExpired(WaitExpired expired) {
    boolean receiver = state.isReceiver(expired.id());
    state.leave(expired.id()).ifPresent(w -> answer(w, receiver ? new TimedOut(w.waited()) : new Ready(false)));
    return this;
  }

  private Behavior<Command> onWaiterTerminated(WaiterTerminated terminated) {
    drop(terminated.id());
    return this;
  }

  private Behavior<Command> onOwnerTerminated(OwnerTerminated terminated) {
    Set<Long> waits = waitsByOwner.remove(terminated.owner());
    if (waits != null) {
      for (long id : waits) {
        drop(id);
      }
    }
    return this;
  }

  private void drop(long id) {
    timers.cancel(id);
    state.leave(id).ifPresent(w -> tracer.emit(getContext().getSelf(), "dropped", w.replyTo().path().name()));
  }

  private Optional<Reply> refuseReceive(Duration timeout) {
    if (state.closed()) {
      return Optional.of(new EndClosed("this end is closed"));
    }
    if (timeout == null || timeout.isNegative()) {
      return Optional.of(new Rejected("a wait needs a timeout of zero or more, got " + timeout));
    }
    return state.refuseReceive().map(Rejected::new);
  }

  private void startWaiting(Waiter waiter) {
    tracer.emit(getContext().getSelf(), "waiting", waiter.replyTo().path().name());
    if (waiter.owner() == null) {
      getContext().watchWith(waiter.replyTo(), new WaiterTerminated(waiter.id()));
    } else {
      Set<Long> waits = waitsByOwner.get(waiter.owner());
      if (waits == null) {
        waits = new HashSet<>();
        waitsByOwner.put(waiter.owner(), waits);
        getContext().watchWith(waiter.owner(), new OwnerTerminated(waiter.owner()));
      }
      waits.add(waiter.id());
    }
    timers.startSingleTimer(waiter.id(), new WaitExpired(waiter.id()), clock.toReal(waiter.waited()));
  }

  private void wakePollers() {
    List<Waiter> woken = state.wakePollers();
    for (Waiter poller : woken) {
      answer(poller, new Ready(true));
    }
  }

  /** Answers a waiter that had been waiting: stop its timer and the watch on it. */
  private void answer(Waiter waiter, Reply reply) {
    timers.cancel(waiter.id());
    if (waiter.owner() == null) {
      getContext().unwatch(waiter.replyTo());
    } else {
      Set<Long> waits = waitsByOwner.get(waiter.owner());
      if (waits != null) {
        waits.remove(waiter.id()); // the owner stays watched: it will wait again
      }
    }
    if (reply instanceof Received received) {
      tracer.emit(getContext().getSelf(), "woke", received.payload());
    }
    waiter.replyTo().tell(reply);
  }
}
