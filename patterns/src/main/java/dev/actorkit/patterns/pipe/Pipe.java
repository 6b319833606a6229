package dev.actorkit.patterns.pipe;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.StashBuffer;
import akka.actor.typed.javadsl.TimerScheduler;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.Payload;
import dev.actorkit.core.RejectedReply;
import dev.actorkit.core.TimedOutReply;
import dev.actorkit.core.trace.TraceKind;
import dev.actorkit.core.trace.Tracer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One end of a pipe, Python's {@code multiprocessing.Pipe()} connection: {@code send}, {@code recv}
 * with a timeout, {@code poll}, {@code close}. A pipe is two such ends created together ({@link
 * PipeClient#open}); what one end sends, the other receives.
 *
 * <ul>
 *   <li><b>Order:</b> values arrive in the order they were sent, per direction (sends are
 *       acknowledged once the value is on its way to the peer, and one end forwards to the other in
 *       order).
 *   <li><b>Fairness:</b> concurrent {@code recv}s on one end are served first come, first served.
 *   <li><b>Timeouts:</b> a {@code recv} or {@code poll} that waits has a deadline (story time) kept
 *       by this actor's timer; when it passes the caller gets {@link TimedOut} (or {@code
 *       Ready(false)} for poll) and leaves the queue; nothing is consumed.
 *   <li><b>End of stream:</b> once the peer has closed, {@code recv} still hands out what had
 *       arrived, in order, and then answers {@link EndOfStream} (Python's {@code EOFError}) to
 *       every later call. A {@code send} to a closed peer gets {@link EndClosed} ({@code
 *       BrokenPipeError}); any call on an end closed itself gets {@link EndClosed}.
 *   <li><b>One-way pipes:</b> the receiving end refuses {@code send} and the sending end refuses
 *       {@code recv}/{@code poll}, with {@link Rejected}.
 *   <li><b>Death:</b> a waiter that dies (its JVM too) is dropped from the queue: the end watches
 *       the waiter's owner actor if the request names one, else the waiter itself (each once,
 *       however many requests it makes). A value received {@code untilAck} stays held by this end
 *       until the receiver sends {@link Ack}; if the receiver dies first, the value is received
 *       again, before anything that arrived after it — a receiver that walks away loses nothing
 *       ({@link PipeClient} always receives this way). An end whose peer dies without closing (its
 *       JVM too) sees the end of the stream after what had arrived; a send then gets {@link
 *       EndClosed}.
 *   <li><b>Moving:</b> an end can move to another actor, typically in the JVM that uses it ({@link
 *       #movedFrom}; Python hands {@code child_conn} to the child {@code Process}). The new home
 *       takes over what had arrived, the waiters and the peer; the peer sends there directly from
 *       then on, and the old home forwards whatever still reaches it, so clients that hold the old
 *       reference keep working. Every value carries its number in the sender's sequence, so values
 *       that overtake each other on the way (forwarded and direct) are still received once each and
 *       in the order they were sent. Once the old home learns that the new one is gone, it answers
 *       every command with {@link EndClosed}; a command it forwarded before it learned is lost with
 *       the new home, and its caller is answered by its own timeout (as every {@link PipeClient}
 *       call is).
 * </ul>
 */
public final class Pipe extends AbstractBehavior<Pipe.Command> {

  /**
   * Who may do what at this end. Python's {@code Pipe(duplex=False)} returns (receive-only,
   * send-only).
   */
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

  /**
   * Send {@code payload} to the peer. Answers {@link Sent}, {@link Rejected} or {@link EndClosed}.
   */
  public record Send(Payload payload, ActorRef<Reply> replyTo) implements Command {}

  /**
   * Receive the next value, waiting at most {@code timeout} (story time; zero means do not wait).
   * Answers {@link Received}, {@link EndOfStream}, {@link TimedOut}, {@link Rejected} or {@link
   * EndClosed}.
   *
   * <p>{@code owner}, if not null, is the actor on whose behalf the caller waits (a long-lived
   * actor whose many requests should cost one watch); the end watches it once and drops its waits
   * when it dies. Without an owner, {@code replyTo} is watched. With {@code untilAck} the value
   * stays held by this end until the owner (or {@code replyTo}) sends {@link Ack} with its number;
   * if that one dies first, the value is received again, in its turn.
   */
  public record Recv(Duration timeout, ActorRef<?> owner, boolean untilAck, ActorRef<Reply> replyTo)
      implements Command {
    /** A receive for {@code owner}, with no acknowledgement. */
    public Recv(Duration timeout, ActorRef<?> owner, ActorRef<Reply> replyTo) {
      this(timeout, owner, false, replyTo);
    }

    /** A receive without an owner: {@code replyTo} is watched. */
    public Recv(Duration timeout, ActorRef<Reply> replyTo) {
      this(timeout, null, false, replyTo);
    }
  }

  /**
   * The value numbered {@code seq}, received {@code untilAck}, is the receiver's for good. No
   * reply; idempotent.
   */
  public record Ack(long seq) implements Command {}

  /**
   * Whether a recv would answer at once, waiting at most {@code timeout} for that. Answers {@link
   * Ready}. {@code owner} as for {@link Recv}.
   */
  public record Poll(Duration timeout, ActorRef<?> owner, ActorRef<Reply> replyTo)
      implements Command {
    /** A poll without an owner: {@code replyTo} is watched. */
    public Poll(Duration timeout, ActorRef<Reply> replyTo) {
      this(timeout, null, replyTo);
    }
  }

  /**
   * Close this end; the peer sees the end of the stream after draining. Answers {@link CloseDone}.
   * Idempotent.
   */
  public record Close(ActorRef<Reply> replyTo) implements Command {}

  /**
   * A client in another JVM uses this end where it is ({@link PipeClient#of}); {@code user} lives
   * in that JVM. If {@code user} stops without {@link NoLongerUsedFrom} first (its JVM was killed,
   * or cut off and downed), this end closes as if that client had closed it, and the peer sees the
   * end of the stream after what had arrived: Python's end of file when the child holding the
   * connection dies. No answer.
   */
  public record UsedFrom(ActorRef<?> user) implements Command {}

  /** {@code user}'s JVM is leaving in an orderly way: its end of use closes nothing. No answer. */
  public record NoLongerUsedFrom(ActorRef<?> user) implements Command {}

  /**
   * How this end stands: its role, whether its peer is closed, values and callers waiting. Answers
   * {@link Status}, or {@link EndClosed} for a closed end.
   */
  public record GetStatus(ActorRef<Reply> replyTo) implements Command {}

  /**
   * To an end made by {@link #movedFrom}: start the move. Answers {@link Status} once the end has
   * arrived, or {@link EndClosed} saying why it cannot come. To an end that is already at home:
   * answers {@link Status}.
   */
  public record MoveIn(ActorRef<Reply> replyTo) implements Command {}

  /** Connects an end to its peer; sent once by whoever created the pair, before anything else. */
  record Connect(ActorRef<Command> peer) implements Command {}

  /** Value number {@code seq} (from 0, per sending end) from the peer. */
  record Deliver(long seq, Payload payload) implements Command {}

  /** The peer closed after sending {@code sent} values. */
  record PeerClosed(long sent) implements Command {}

  /**
   * The peer now lives at {@code peer}, after its {@code moves}-th move; send there. An end that
   * moves twice sends two of these from two places, which may arrive in either order: the one with
   * more moves wins.
   */
  record PeerMoved(ActorRef<Command> peer, long moves) implements Command {}

  /**
   * Move this end to {@code newHome}: answered there with {@link Handover} or {@link MoveRefused}.
   */
  record MoveTo(ActorRef<Command> newHome) implements Command {}

  /**
   * Everything a new home needs: the state, who holds each value received until acknowledged, the
   * next number to send, the peer, how often this end has moved (this move included) and how often
   * its peer had. Waiters follow as their own requests.
   */
  record Handover(
      PipeEndState.Snapshot state,
      List<HeldBy> holders,
      long nextSendSeq,
      ActorRef<Command> peer,
      long moves,
      long peerMoves)
      implements Command {
    Handover {
      holders = List.copyOf(holders);
    }
  }

  /** Value {@code seq} is held for {@code holder} until it acknowledges it. */
  record HeldBy(long seq, ActorRef<?> holder) implements KitMessage {}

  /** The end did not move (it is closed, or it had moved away and its new home is gone). */
  record MoveRefused(String reason) implements Command {}

  private enum MoveTimedOut implements Command {
    INSTANCE
  }

  private enum GiveUp implements Command {
    INSTANCE
  }

  private enum OldHomeTerminated implements Command {
    INSTANCE
  }

  private record PeerTerminated(ActorRef<Command> peer) implements Command {}

  private enum HomeTerminated implements Command {
    INSTANCE
  }

  private record WaitExpired(long id) implements Command {}

  private record WatchedTerminated(ActorRef<?> who) implements Command {}

  private record UserGone(ActorRef<?> user) implements Command {}

  /** Every answer of a pipe end. */
  public sealed interface Reply extends KitMessage {}

  /** The value is on its way to the peer. */
  public enum Sent implements Reply {
    INSTANCE
  }

  /**
   * The next value from the peer, number {@code seq} in its sequence (acknowledge it with {@link
   * Ack} if it was received {@code untilAck}).
   */
  public record Received(Payload payload, long seq) implements Reply {}

  /** The peer has closed and everything it sent has been received: Python's {@code EOFError}. */
  public enum EndOfStream implements Reply {
    INSTANCE
  }

  /**
   * Answer to {@link Poll}: whether a recv would answer at once (true also at the end of the
   * stream).
   */
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

  /**
   * Answer to {@link GetStatus}. {@code pending}: values arrived and not yet received; {@code
   * held}: values received until acknowledged and not acknowledged yet; {@code waiting}: recv and
   * poll calls waiting.
   */
  public record Status(Role role, boolean peerClosed, int pending, int held, int waiting)
      implements Reply {}

  /**
   * A recv or poll waiting since {@code since} (story time) for at most {@code waited}; {@code
   * owner} may be null.
   */
  private record Waiter(
      long id,
      boolean receives,
      ActorRef<?> owner,
      boolean untilAck,
      ActorRef<Reply> replyTo,
      Duration waited,
      Duration since) {
    /** The actor this end watches for the waiter: its owner, else its reply address. */
    ActorRef<?> watched() {
      return owner != null ? owner : replyTo;
    }
  }

  /**
   * One end with these settings; it stashes nothing and expects {@link Connect} as its first
   * message.
   */
  public static Behavior<Command> create(Settings settings) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    new Pipe(
                        context,
                        timers,
                        new PipeEndState<>(settings.role().canSend(), settings.role().canReceive()),
                        null,
                        0,
                        0,
                        0)));
  }

  /**
   * How many callers' requests a moving end keeps until it has arrived; more are refused. What the
   * other end sends is always kept.
   */
  static final int MOVING_STASH = 10_000;

  /**
   * The new home of the end {@code from}. On {@link MoveIn} it asks {@code from} to move here and
   * keeps every other request until the state has arrived, then carries on as that end and answers
   * {@link Status}. If {@code from} refuses (it is closed) or stops, everyone who asked meanwhile
   * gets {@link EndClosed} saying why, and this actor stops. If {@code from} does not answer within
   * {@code timeout} (real time), the callers who asked so far get {@link EndClosed}, but this actor
   * stays ready for the state: the request to move may still be on its way, and if the end does
   * arrive later, references to its old home keep working through it.
   */
  public static Behavior<Command> movedFrom(ActorRef<Command> from, Duration timeout) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    Behaviors.withStash(
                        Integer
                            .MAX_VALUE, // bounded for callers by MOVING_STASH; what the peer sends
                        // is never dropped
                        stash -> {
                          int[] callers = {0};
                          return Behaviors.receive(Command.class)
                              .onMessage(
                                  MoveIn.class,
                                  moveIn -> {
                                    from.tell(new MoveTo(context.getSelf()));
                                    context.watchWith(from, OldHomeTerminated.INSTANCE);
                                    timers.startSingleTimer(
                                        MoveTimedOut.INSTANCE, MoveTimedOut.INSTANCE, timeout);
                                    stashWhileMoving(
                                        stash, callers, new GetStatus(moveIn.replyTo()));
                                    return movingIn(context, timers, stash, callers, from);
                                  })
                              .onAnyMessage(command -> stashWhileMoving(stash, callers, command))
                              .build();
                        })));
  }

  private static Behavior<Command> movingIn(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      StashBuffer<Command> stash,
      int[] callers,
      ActorRef<Command> from) {
    return Behaviors.receive(Command.class)
        .onMessage(
            Handover.class,
            handover -> {
              timers.cancel(MoveTimedOut.INSTANCE);
              context.unwatch(from);
              Tracer.get(context.getSystem())
                  .emit(context.getSelf(), "moved in", from.path().toString());
              Pipe arrived =
                  new Pipe(
                      context,
                      timers,
                      PipeEndState.restore(handover.state()),
                      handover.peer(),
                      handover.nextSendSeq(),
                      handover.moves(),
                      handover.peerMoves());
              handover.holders().forEach(held -> arrived.heldFor(held.holder(), held.seq()));
              return stash.unstashAll(arrived);
            })
        .onMessage(
            MoveRefused.class,
            refused ->
                giveUp(context, timers, stash, "the end did not move here: " + refused.reason()))
        .onMessageEquals(
            OldHomeTerminated.INSTANCE,
            () -> giveUp(context, timers, stash, "the end did not move here: " + from + " is gone"))
        .onMessageEquals(
            MoveTimedOut.INSTANCE,
            () -> {
              refuseCallers(
                  stash,
                  callers,
                  new EndClosed("the end did not move here: " + from + " did not answer in time"));
              return Behaviors.same();
            })
        .onMessage(
            MoveIn.class,
            moveIn -> stashWhileMoving(stash, callers, new GetStatus(moveIn.replyTo())))
        .onAnyMessage(command -> stashWhileMoving(stash, callers, command))
        .build();
  }

  /**
   * The caller waiting for an answer to {@code command}, if it is a caller's request (not a message
   * between ends).
   */
  private static Optional<ActorRef<Reply>> callerOf(Command command) {
    if (command instanceof Send send) {
      return Optional.of(send.replyTo());
    } else if (command instanceof Recv recv) {
      return Optional.of(recv.replyTo());
    } else if (command instanceof Poll poll) {
      return Optional.of(poll.replyTo());
    } else if (command instanceof Close close) {
      return Optional.of(close.replyTo());
    } else if (command instanceof GetStatus status) {
      return Optional.of(status.replyTo());
    }
    return Optional.empty();
  }

  private static Behavior<Command> stashWhileMoving(
      StashBuffer<Command> stash, int[] callers, Command command) {
    Optional<ActorRef<Reply>> caller = callerOf(command);
    if (caller.isPresent()) {
      if (callers[0] >= MOVING_STASH) {
        caller
            .get()
            .tell(
                new Rejected(
                    "the end is still moving here and has " + MOVING_STASH + " requests queued"));
        return Behaviors.same();
      }
      callers[0]++;
    }
    stash.stash(command);
    return Behaviors.same();
  }

  /**
   * Answers every caller kept so far with {@code refusal}; what the ends sent each other stays
   * kept.
   */
  private static void refuseCallers(StashBuffer<Command> stash, int[] callers, Reply refusal) {
    List<Command> kept = new ArrayList<>();
    stash.forEach(kept::add);
    stash.clear();
    for (Command command : kept) {
      Optional<ActorRef<Reply>> caller = callerOf(command);
      if (caller.isPresent()) {
        caller.get().tell(refusal);
      } else {
        stash.stash(command);
      }
    }
    callers[0] = 0;
  }

  /** The move failed: everyone who asked meanwhile is told why, and this would-be home stops. */
  private static Behavior<Command> giveUp(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      StashBuffer<Command> stash,
      String reason) {
    Pipe end = new Pipe(context, timers, new PipeEndState<>(true, true), null, 0, 0, 0);
    end.state.closeNow();
    end.closedReason = reason;
    context.getLog().info("{}", reason);
    context.getSelf().tell(GiveUp.INSTANCE);
    return stash.unstashAll(end);
  }

  private final TimerScheduler<Command> timers;
  private final KitClock clock;
  private final Tracer tracer;
  private final PipeEndState<Waiter> state;

  /**
   * Every actor this end watches (each once, until it dies), with its waits and the values held for
   * it.
   */
  private final Map<ActorRef<?>, Watched> watched = new HashMap<>();

  /** Who holds each value received until acknowledged, by the value's number. */
  private final Map<Long, ActorRef<?>> holderOf = new HashMap<>();

  /** The users in other JVMs ({@link UsedFrom}) whose death closes this end. */
  private final Set<ActorRef<?>> remoteUsers = new HashSet<>();

  private ActorRef<Command> peer;
  private long nextSendSeq;
  private long moves;
  private long peerMoves;
  private long nextId;
  private String closedReason = "this end is closed";

  private Pipe(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      PipeEndState<Waiter> state,
      ActorRef<Command> peer,
      long nextSendSeq,
      long moves,
      long peerMoves) {
    super(context);
    this.timers = timers;
    this.clock = KitClock.get(context.getSystem());
    this.tracer = Tracer.get(context.getSystem());
    this.state = state;
    this.nextSendSeq = nextSendSeq;
    this.moves = moves;
    this.peerMoves = peerMoves;
    if (peer != null) {
      watchPeer(peer);
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Connect.class, this::onConnect)
        .onMessage(Send.class, this::onSend)
        .onMessage(Recv.class, this::onRecv)
        .onMessage(Poll.class, this::onPoll)
        .onMessage(Close.class, this::onClose)
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(MoveIn.class, moveIn -> onGetStatus(new GetStatus(moveIn.replyTo())))
        .onMessage(Deliver.class, this::onDeliver)
        .onMessage(PeerClosed.class, this::onPeerClosed)
        .onMessage(PeerMoved.class, this::onPeerMoved)
        .onMessage(PeerTerminated.class, this::onPeerTerminated)
        .onMessage(MoveTo.class, this::onMoveTo)
        .onMessage(Ack.class, this::onAck)
        .onMessage(WaitExpired.class, this::onWaitExpired)
        .onMessage(WatchedTerminated.class, this::onWatchedTerminated)
        .onMessage(UsedFrom.class, this::onUsedFrom)
        .onMessage(NoLongerUsedFrom.class, this::onNoLongerUsedFrom)
        .onMessage(UserGone.class, this::onUserGone)
        .onMessageEquals(GiveUp.INSTANCE, Behaviors::stopped)
        .build();
  }

  private Behavior<Command> onConnect(Connect connect) {
    if (peer != null) {
      getContext()
          .getLog()
          .warn(
              "{} is already connected to {}; ignoring {}",
              getContext().getSelf(),
              peer,
              connect.peer());
      return this;
    }
    watchPeer(connect.peer());
    if (moves > 0) {
      // This end moved before it was connected: the peer knows only the old home.
      peer.tell(new PeerMoved(getContext().getSelf(), moves));
    }
    return this;
  }

  private void watchPeer(ActorRef<Command> newPeer) {
    if (peer != null) {
      getContext().unwatch(peer);
    }
    peer = newPeer;
    getContext().watchWith(newPeer, new PeerTerminated(newPeer));
  }

  private Behavior<Command> onSend(Send send) {
    if (state.closed()) {
      send.replyTo().tell(new EndClosed(closedReason));
      return this;
    }
    Optional<String> refusal =
        send.payload() == null ? Optional.of("nothing to send") : state.refuseSend(send.payload());
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
    peer.tell(new Deliver(nextSendSeq++, send.payload()));
    // sent is the sender's (its lane shows what it sent); arrived is the end's own
    if (tracer.enabled()) {
      tracer.emit(getContext().getSelf(), "sent", send.replyTo(), send.payload().describe());
    }
    send.replyTo().tell(Sent.INSTANCE);
    return this;
  }

  private Behavior<Command> onDeliver(Deliver deliver) {
    if (tracer.enabled()) {
      tracer.emit(
          getContext().getSelf(), "arrived", getContext().getSelf(), deliver.payload().describe());
    }
    hand(state.deliver(deliver.seq(), deliver.payload()));
    endStreamForWaiters(state.takeEndOfStreamWaiters());
    return this;
  }

  private void hand(List<PipeEndState.Handoff<Waiter>> handoffs) {
    for (PipeEndState.Handoff<Waiter> handoff : handoffs) {
      received(handoff.receiver(), handoff.seq(), handoff.payload());
    }
  }

  /**
   * Hands value {@code seq} to a receiver that waited; held until it acknowledges, if it asked so.
   */
  private void received(Waiter waiter, long seq, Payload payload) {
    if (waiter.untilAck()) {
      state.hold(seq, payload);
      heldFor(waiter.watched(), seq);
    }
    answer(waiter, new Received(payload, seq));
  }

  private Behavior<Command> onAck(Ack ack) {
    if (state.confirm(ack.seq())) {
      Watched holder = watched.get(holderOf.remove(ack.seq()));
      if (holder != null) {
        holder.held.remove(ack.seq());
      }
      endStreamForWaiters(state.takeEndOfStreamWaiters());
    }
    return this;
  }

  private Behavior<Command> onGetStatus(GetStatus get) {
    if (state.closed()) {
      get.replyTo().tell(new EndClosed(closedReason));
      return this;
    }
    Role role =
        state.canSend() ? (state.canReceive() ? Role.DUPLEX : Role.SEND_ONLY) : Role.RECEIVE_ONLY;
    get.replyTo()
        .tell(new Status(role, state.peerClosed(), state.pending(), state.held(), state.waiting()));
    return this;
  }

  private Behavior<Command> onRecv(Recv recv) {
    Optional<Reply> refusal = refuseReceive(recv.timeout());
    if (refusal.isPresent()) {
      recv.replyTo().tell(refusal.get());
      return this;
    }
    boolean mayWait = recv.timeout().compareTo(Duration.ZERO) > 0;
    Waiter waiter =
        new Waiter(
            nextId++,
            true,
            recv.owner(),
            recv.untilAck(),
            recv.replyTo(),
            recv.timeout(),
            clock.now());
    PipeEndState.Take take = state.receive(waiter.id(), waiter, mayWait);
    if (take instanceof PipeEndState.Value value) {
      if (tracer.enabled()) {
        tracer.emit(getContext().getSelf(), "taken", waiter.watched(), value.payload().describe());
      }
      if (waiter.untilAck()) {
        state.hold(value.seq(), value.payload());
        heldFor(waiter.watched(), value.seq());
      }
      recv.replyTo().tell(new Received(value.payload(), value.seq()));
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
    Waiter waiter =
        new Waiter(
            nextId++, false, poll.owner(), false, poll.replyTo(), poll.timeout(), clock.now());
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
    closeThisEnd("this end was closed while waiting", "");
    close.replyTo().tell(CloseDone.INSTANCE);
    return this;
  }

  private void closeThisEnd(String toWaiters, String why) {
    if (!state.closed()) {
      for (Waiter waiter : state.closeNow()) {
        answer(waiter, new EndClosed(toWaiters));
      }
      if (peer != null) {
        peer.tell(new PeerClosed(nextSendSeq));
      }
      tracer.emit(getContext().getSelf(), "closed", getContext().getSelf(), why);
    }
  }

  private Behavior<Command> onUsedFrom(UsedFrom used) {
    if (used.user() == null || used.user().equals(peer) || watched.containsKey(used.user())) {
      return this; // already watched in another role: a second watch would throw
    }
    if (remoteUsers.add(used.user())) {
      getContext().watchWith(used.user(), new UserGone(used.user()));
    }
    return this;
  }

  private Behavior<Command> onNoLongerUsedFrom(NoLongerUsedFrom done) {
    if (done.user() != null && remoteUsers.remove(done.user())) {
      getContext().unwatch(done.user());
    }
    return this;
  }

  private Behavior<Command> onUserGone(UserGone gone) {
    if (remoteUsers.remove(gone.user())) {
      closeThisEnd(
          "this end's user in another JVM is gone",
          "its user in " + gone.user().path().address() + " is gone");
    }
    return this;
  }

  private Behavior<Command> onPeerClosed(PeerClosed closed) {
    endStreamForWaiters(state.peerClosedAfter(closed.sent()));
    tracer.emit(getContext().getSelf(), "peer closed", "pending " + state.pending());
    return this;
  }

  private Behavior<Command> onPeerMoved(PeerMoved moved) {
    if (moved.moves() <= peerMoves) {
      return this; // news of an earlier move, overtaken by a later one
    }
    peerMoves = moved.moves();
    watchPeer(moved.peer());
    tracer.emit(getContext().getSelf(), "peer moved", moved.peer().path().toString());
    return this;
  }

  private Behavior<Command> onPeerTerminated(PeerTerminated terminated) {
    if (!terminated.peer().equals(peer) || state.peerClosing()) {
      return this; // a peer that has moved on, or one that closed properly (what it sent is still
      // on its way)
    }
    endStreamForWaiters(state.peerGone());
    tracer.emit(getContext().getSelf(), "peer gone", "pending " + state.pending());
    return this;
  }

  private void endStreamForWaiters(List<Waiter> reached) {
    for (Waiter waiter : reached) {
      answer(waiter, EndOfStream.INSTANCE);
    }
    wakePollers();
  }

  /**
   * Moves this end to {@code newHome}: the state goes there, the peer is told to send there, and
   * every waiter is asked again there for what is left of its wait. This actor then only forwards.
   */
  private Behavior<Command> onMoveTo(MoveTo move) {
    if (state.closed()) {
      move.newHome().tell(new MoveRefused(closedReason));
      return this;
    }
    ActorRef<Command> home = move.newHome();
    List<HeldBy> holders = new ArrayList<>();
    watched.forEach((who, what) -> what.held.forEach(seq -> holders.add(new HeldBy(seq, who))));
    home.tell(new Handover(state.snapshot(), holders, nextSendSeq, peer, moves + 1, peerMoves));
    if (peer != null) {
      peer.tell(new PeerMoved(home, moves + 1));
      getContext().unwatch(peer);
    }
    Duration now = clock.now();
    for (Waiter waiter : state.takeWaiters()) {
      timers.cancel(waiter.id());
      Duration left = waiter.waited().minus(now.minus(waiter.since()));
      Duration rest = left.isNegative() ? Duration.ZERO : left;
      home.tell(
          waiter.receives()
              ? new Recv(rest, waiter.owner(), waiter.untilAck(), waiter.replyTo())
              : new Poll(rest, waiter.owner(), waiter.replyTo()));
    }
    watched.keySet().forEach(getContext()::unwatch);
    watched.clear();
    holderOf.clear();
    tracer.emit(getContext().getSelf(), "moved", home.path().toString());
    getContext().watchWith(home, HomeTerminated.INSTANCE);
    return forwardingTo(home);
  }

  /** A moved end's old home: everything that still reaches it goes on to the new home. */
  private static Behavior<Command> forwardingTo(ActorRef<Command> home) {
    return Behaviors.receive(Command.class)
        .onMessageEquals(HomeTerminated.INSTANCE, () -> movedAndGone(home))
        .onMessage(WaitExpired.class, stale -> Behaviors.same())
        .onMessage(WatchedTerminated.class, stale -> Behaviors.same())
        .onMessage(PeerTerminated.class, stale -> Behaviors.same())
        .onMessage(UserGone.class, stale -> Behaviors.same())
        .onAnyMessage(
            command -> {
              home.tell(command);
              return Behaviors.same();
            })
        .build();
  }

  /**
   * A moved end whose new home has stopped (or whose JVM is gone): nothing can be done here any
   * more.
   */
  private static Behavior<Command> movedAndGone(ActorRef<Command> home) {
    String reason = "this end moved to " + home + ", which is gone";
    return Behaviors.receive(Command.class)
        .onMessage(
            Close.class,
            close -> {
              close
                  .replyTo()
                  .tell(CloseDone.INSTANCE); // closing is idempotent: it is as closed as it gets
              return Behaviors.same();
            })
        .onMessage(
            MoveTo.class,
            move -> {
              move.newHome().tell(new MoveRefused(reason));
              return Behaviors.same();
            })
        .onAnyMessage(
            command -> {
              callerOf(command).ifPresent(caller -> caller.tell(new EndClosed(reason)));
              return Behaviors.same();
            })
        .build();
  }

  private Behavior<Command> onWaitExpired(WaitExpired expired) {
    state
        .leave(expired.id())
        .ifPresent(w -> answer(w, w.receives() ? new TimedOut(w.waited()) : new Ready(false)));
    return this;
  }

  /**
   * A watched actor died: its waits leave the queues, and the values held for it are received again
   * in their turn.
   */
  private Behavior<Command> onWatchedTerminated(WatchedTerminated terminated) {
    Watched gone = watched.remove(terminated.who());
    if (gone == null) {
      return this;
    }
    for (long id : gone.waits) {
      drop(id);
    }
    gone.held.forEach(holderOf::remove);
    if (!gone.held.isEmpty()) {
      tracer.emit(
          getContext().getSelf(),
          "requeued",
          terminated.who(),
          gone.held.size() + " values it had not acknowledged");
      hand(state.giveBack(gone.held));
      wakePollers();
    }
    return this;
  }

  private void drop(long id) {
    timers.cancel(id);
    state
        .leave(id)
        .ifPresent(
            w -> tracer.emit(getContext().getSelf(), TraceKind.DROPPED, w.watched(), "it stopped"));
  }

  private Optional<Reply> refuseReceive(Duration timeout) {
    if (state.closed()) {
      return Optional.of(new EndClosed(closedReason));
    }
    if (timeout == null || timeout.isNegative()) {
      return Optional.of(new Rejected("a wait needs a timeout of zero or more, got " + timeout));
    }
    return state.refuseReceive().map(Rejected::new);
  }

  private void startWaiting(Waiter waiter) {
    tracer.emit(
        getContext().getSelf(),
        TraceKind.WAITING,
        waiter.watched(),
        waiter.receives() ? "for a value" : "for a value to be ready");
    watch(waiter.watched()).waits.add(waiter.id());
    timers.startSingleTimer(
        waiter.id(), new WaitExpired(waiter.id()), clock.toReal(waiter.waited()));
  }

  /** Value {@code seq} is held for {@code who} until it acknowledges it. */
  void heldFor(ActorRef<?> who, long seq) {
    watch(who).held.add(seq);
    holderOf.put(seq, who);
  }

  /** The record of {@code who}, watched from its first wait or hold until it dies. */
  private Watched watch(ActorRef<?> who) {
    Watched record = watched.get(who);
    if (record == null) {
      record = new Watched();
      watched.put(who, record);
      getContext().watchWith(who, new WatchedTerminated(who));
    }
    return record;
  }

  /** What an actor this end watches is waiting for, and which values are held for it. */
  private static final class Watched {
    final Set<Long> waits = new HashSet<>();
    final Set<Long> held = new HashSet<>();
  }

  private void wakePollers() {
    List<Waiter> woken = state.wakePollers();
    for (Waiter poller : woken) {
      answer(poller, new Ready(true));
    }
  }

  /**
   * Answers a waiter that had been waiting and stops its timer; the waiter stays watched until it
   * dies.
   */
  private void answer(Waiter waiter, Reply reply) {
    timers.cancel(waiter.id());
    Watched record = watched.get(waiter.watched());
    if (record != null) {
      record.waits.remove(waiter.id());
    }
    if (tracer.enabled()) {
      String kind;
      Object detail;
      if (reply instanceof Received received) {
        kind = TraceKind.WOKE;
        detail = received.payload().describe();
      } else if (reply instanceof TimedOut || reply instanceof Ready ready && !ready.ready()) {
        kind = TraceKind.TIMED_OUT;
        detail = waiter.waited();
      } else if (reply instanceof Ready) {
        kind = TraceKind.WOKE;
        detail = "a value is ready";
      } else {
        kind = TraceKind.DROPPED;
        detail = reply.getClass().getSimpleName();
      }
      tracer.emit(getContext().getSelf(), kind, waiter.watched(), detail);
    }
    waiter.replyTo().tell(reply);
  }
}
