package dev.actorkit.durable;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PreRestart;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.state.RecoveryCompleted;
import akka.persistence.typed.state.javadsl.CommandHandler;
import akka.persistence.typed.state.javadsl.Effect;
import akka.persistence.typed.state.javadsl.SignalHandler;
import dev.actorkit.cluster.KitJacksonModule;
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.trace.TraceKind;
import dev.actorkit.patterns.buffer.BoundedBuffer;
import dev.actorkit.patterns.buffer.BufferState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A first-in, first-out bounded buffer whose state outlives the JVM that hosts it: the {@link
 * BoundedBuffer} protocol, kept as one {@link BufferRecord} in the durable store and replaced on
 * every change before anyone hears of it. {@link DurableKit#buffer} creates it (with its capacity
 * and delivery mode) and reaches it by name, through the same {@code BufferClient}.
 *
 * <p><b>What it keeps.</b> The items, the deliveries in flight (awaiting their {@code Ack}) with
 * the consumer that holds each, the parked producers with their items not yet admitted and their
 * deadlines, the parked consumers and joiners with their deadlines, the closed flag and the task
 * accounting (unfinished count). After its host dies, or the whole cluster restarts from the store,
 * it starts as it was: nothing it answered {@code Accepted} for is lost; it watches its waiters and
 * the holders of deliveries in flight again, so the deliveries of a consumer that is dead (or was
 * in a cluster that stopped) go back to the head of the buffer and the waiters of dead nodes leave
 * their queues; a waiter whose deadline passed meanwhile is answered {@code TimedOut}.
 *
 * <p><b>What it answers.</b> Everything {@link BoundedBuffer} answers, by the same rules (it
 * applies them through {@link BufferState}): FIFO items, producers and consumers, no barging,
 * batches, at-least-once or at-most-once delivery, close and immediate close, {@code task_done} and
 * {@code join}. Before {@link Create} it refuses everything with {@code Rejected}.
 *
 * <p><b>What it refuses.</b> LIFO and priority order ({@link DurableKit#buffer} refuses them: a
 * comparator cannot be stored), and items that are not the kit's payload types ({@link
 * KitJacksonModule#isPayload}: {@code KitMessage} records, strings, booleans, characters, numbers),
 * answered {@code Rejected} with nothing put. A delivery taken without {@code untilAck} in
 * at-most-once mode is the consumer's once sent, as in memory; one sent by a host that died before
 * the consumer got it is lost with that message.
 *
 * <p><b>When the store fails</b>, as for {@link DurableMutex}: the change is not made, and its
 * caller is answered {@code Rejected}.
 */
public final class DurableBuffer extends DurableEntity<BufferRecord> {

  /** The kind of persistence id and sharding entity: {@code actorkit-buffer|name}. */
  public static final String KIND = "actorkit-buffer";

  private static final String NOT_CREATED =
      "this buffer has not been created (DurableKit.buffer creates it)";

  /**
   * Creates the buffer with {@code capacity} and the delivery mode, answered {@code SizeIs}; if it
   * exists already with the same settings that is the answer too, and with other settings {@code
   * Rejected}.
   */
  public record Create(
      int capacity, boolean atLeastOnce, ActorRef<BoundedBuffer.Reply<Object>> replyTo)
      implements KitMessage {}

  /** The buffer named {@code name}, kept under {@code actorkit-buffer|name}. */
  public static Behavior<Object> create(String name) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> new DurableBuffer(PersistenceId.of(KIND, name), context, timers)));
  }

  private DurableBuffer(
      PersistenceId id, ActorContext<Object> context, TimerScheduler<Object> timers) {
    super(id, context, timers);
  }

  @Override
  public BufferRecord emptyState() {
    return BufferRecord.EMPTY;
  }

  @Override
  public CommandHandler<Object, BufferRecord> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Create.class, this::onCreate)
        .onCommand(
            DurableBuffer.<BoundedBuffer.Put<Object>>command(BoundedBuffer.Put.class),
            (record, c) -> put(record, single(c.item()), null, false, c.replyTo()))
        .onCommand(
            DurableBuffer.<BoundedBuffer.Offer<Object>>command(BoundedBuffer.Offer.class),
            (record, c) -> put(record, single(c.item()), c.timeout(), true, c.replyTo()))
        .onCommand(
            DurableBuffer.<BoundedBuffer.PutAll<Object>>command(BoundedBuffer.PutAll.class),
            (record, c) -> put(record, c.items(), null, false, c.replyTo()))
        .onCommand(
            DurableBuffer.<BoundedBuffer.Take<Object>>command(BoundedBuffer.Take.class),
            (record, c) -> take(record, 1, null, false, false, c.replyTo()))
        .onCommand(
            DurableBuffer.<BoundedBuffer.Poll<Object>>command(BoundedBuffer.Poll.class),
            (record, c) -> take(record, 1, c.timeout(), true, false, c.replyTo()))
        .onCommand(
            DurableBuffer.<BoundedBuffer.Request<Object>>command(BoundedBuffer.Request.class),
            (record, c) -> take(record, c.max(), c.timeout(), true, c.untilAck(), c.replyTo()))
        .onCommand(
            DurableBuffer.<BoundedBuffer.Ack<Object>>command(BoundedBuffer.Ack.class), this::onAck)
        .onCommand(
            DurableBuffer.<BoundedBuffer.TaskDone<Object>>command(BoundedBuffer.TaskDone.class),
            this::onTaskDone)
        .onCommand(
            DurableBuffer.<BoundedBuffer.Join<Object>>command(BoundedBuffer.Join.class),
            this::onJoin)
        .onCommand(
            DurableBuffer.<BoundedBuffer.Size<Object>>command(BoundedBuffer.Size.class),
            this::onSize)
        .onCommand(
            DurableBuffer.<BoundedBuffer.Withdraw<Object>>command(BoundedBuffer.Withdraw.class),
            this::onWithdraw)
        .onCommand(
            DurableBuffer.<BoundedBuffer.Close<Object>>command(BoundedBuffer.Close.class),
            this::onClose)
        .onCommand(OwnerTerminated.class, this::onOwnerTerminated)
        .onCommand(WaitExpired.class, this::onWaitExpired)
        .build();
  }

  /**
   * A command class of the buffer's protocol as seen by this entity, whose items are {@code
   * Object}: the protocol is generic in the item type, its classes are not.
   */
  @SuppressWarnings("unchecked")
  private static <C> Class<C> command(Class<? super C> raw) {
    return (Class<C>) raw;
  }

  @Override
  public SignalHandler<BufferRecord> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(PreRestart.instance(), record -> restarting())
        .onSignal(RecoveryCompleted.instance(), this::recovered)
        .build();
  }

  private void recovered(BufferRecord record) {
    record.involved().forEach(watch::watchRecovered);
    record
        .deadlines()
        .forEach(
            (waitId, deadline) ->
                EntityWatch.restartTimer(
                    timers,
                    waitId,
                    deadline.deadlineMillis(),
                    new WaitExpired(
                        waitId, clock.toStory(Duration.ofMillis(deadline.timeoutMillis())))));
    settle(record);
  }

  // ---------------------------------------------------------------- commands

  private Effect<BufferRecord> onCreate(BufferRecord record, Create create) {
    if (create.capacity() < 1) {
      return answer(
          create.replyTo(),
          new BoundedBuffer.Rejected<>(
              "a buffer's capacity must be at least 1, was " + create.capacity()));
    }
    if (record.exists()) {
      boolean same =
          record.capacity() == create.capacity() && record.atLeastOnce() == create.atLeastOnce();
      return answer(
          create.replyTo(),
          same
              ? record.sizeIs()
              : new BoundedBuffer.Rejected<>(
                  "it exists with capacity "
                      + record.capacity()
                      + mode(record.atLeastOnce())
                      + ", not "
                      + create.capacity()
                      + mode(create.atLeastOnce())));
    }
    BufferRecord created = record.created(create.capacity(), create.atLeastOnce());
    return write(
        created,
        () -> create.replyTo().tell(new BoundedBuffer.Rejected<>(PendingWrite.STORE_FAILED)),
        () -> create.replyTo().tell(created.sizeIs()));
  }

  private static String mode(boolean atLeastOnce) {
    return atLeastOnce ? " (at least once)" : " (at most once)";
  }

  private Effect<BufferRecord> put(
      BufferRecord record,
      List<Object> batch,
      Duration timeout,
      boolean timed,
      ActorRef<?> replyTo) {
    ActorRef<BoundedBuffer.Reply<Object>> producer = ref(replyTo);
    String refusal =
        !record.exists()
            ? NOT_CREATED
            : batch == null || batch.isEmpty()
                ? "the batch is empty"
                : timed && badTimeout(timeout)
                    ? "the timeout must be zero or positive, was " + timeout
                    : refuseItems(batch);
    if (refusal != null) {
      return answer(producer, new BoundedBuffer.Rejected<>(refusal));
    }
    BufferState<Object, ActorRef<BoundedBuffer.Reply<Object>>> state = record.state();
    Wakes wakes = new Wakes();
    long waitId = record.nextWaitId();
    if (state.put(producer, waitId, batch, wakes)) {
      traceWaiting(producer, waitId, "to put " + batch.size());
      parked(state, waitId, timeout, wakes);
    }
    return change(record, state, wakes, waitId, timeout, producer, () -> {});
  }

  private Effect<BufferRecord> take(
      BufferRecord record, int max, Duration timeout, boolean timed, ActorRef<?> replyTo) {
    return take(record, max, timeout, timed, false, replyTo);
  }

  private Effect<BufferRecord> take(
      BufferRecord record,
      int max,
      Duration timeout,
      boolean timed,
      boolean untilAck,
      ActorRef<?> replyTo) {
    ActorRef<BoundedBuffer.Reply<Object>> consumer = ref(replyTo);
    String refusal =
        !record.exists()
            ? NOT_CREATED
            : max < 1
                ? "a request must ask for at least 1 item, was " + max
                : timed && badTimeout(timeout)
                    ? "the timeout must be zero or positive, was " + timeout
                    : null;
    if (refusal != null) {
      return answer(consumer, new BoundedBuffer.Rejected<>(refusal));
    }
    BufferState<Object, ActorRef<BoundedBuffer.Reply<Object>>> state = record.state();
    Wakes wakes = new Wakes();
    long waitId = record.nextWaitId();
    if (state.take(consumer, waitId, max, untilAck, wakes)) {
      traceWaiting(consumer, waitId, "to take");
      parked(state, waitId, timeout, wakes);
    }
    return change(record, state, wakes, waitId, timeout, consumer, () -> {});
  }

  /** A waiter was parked: with a zero timeout it leaves at once, as {@code put_nowait} does. */
  private static void parked(
      BufferState<Object, ActorRef<BoundedBuffer.Reply<Object>>> state,
      long waitId,
      Duration timeout,
      Wakes wakes) {
    if (timeout != null && timeout.isZero()) {
      wakes.waited(waitId, Duration.ZERO);
      state.expire(waitId, wakes);
    }
  }

  private Effect<BufferRecord> onAck(BufferRecord record, BoundedBuffer.Ack<Object> ack) {
    if (!record.exists()) {
      return Effect().none();
    }
    BufferState<Object, ActorRef<BoundedBuffer.Reply<Object>>> state = record.state();
    Wakes wakes = new Wakes();
    if (!state.ack(ack.deliveryId(), ack.count(), wakes)) {
      context.getLog().debug("ack of unknown delivery {} ignored", ack.deliveryId());
      return Effect().none();
    }
    return change(record, state, wakes, 0, null, null, () -> {});
  }

  private Effect<BufferRecord> onTaskDone(
      BufferRecord record, BoundedBuffer.TaskDone<Object> done) {
    ActorRef<BoundedBuffer.Reply<Object>> replyTo = ref(done.replyTo());
    if (!record.exists()) {
      return answer(replyTo, new BoundedBuffer.Rejected<>(NOT_CREATED));
    }
    BufferState<Object, ActorRef<BoundedBuffer.Reply<Object>>> state = record.state();
    Wakes wakes = new Wakes();
    if (!state.taskDone(done.count(), wakes)) {
      return answer(
          replyTo,
          new BoundedBuffer.Rejected<>(
              "task_done("
                  + done.count()
                  + ") called with only "
                  + state.unfinished()
                  + " items unfinished"));
    }
    long unfinished = state.unfinished();
    return change(
        record,
        state,
        wakes,
        0,
        null,
        replyTo,
        () -> replyTo.tell(new BoundedBuffer.TasksDone<>(unfinished)));
  }

  private Effect<BufferRecord> onJoin(BufferRecord record, BoundedBuffer.Join<Object> join) {
    ActorRef<BoundedBuffer.Reply<Object>> joiner = ref(join.replyTo());
    String refusal =
        !record.exists()
            ? NOT_CREATED
            : badTimeout(join.timeout())
                ? "the timeout must be zero or positive, was " + join.timeout()
                : null;
    if (refusal != null) {
      return answer(joiner, new BoundedBuffer.Rejected<>(refusal));
    }
    BufferState<Object, ActorRef<BoundedBuffer.Reply<Object>>> state = record.state();
    Wakes wakes = new Wakes();
    long waitId = record.nextWaitId();
    if (state.join(joiner, waitId, wakes)) {
      parked(state, waitId, join.timeout(), wakes);
    }
    return change(record, state, wakes, waitId, join.timeout(), joiner, () -> {});
  }

  private Effect<BufferRecord> onSize(BufferRecord record, BoundedBuffer.Size<Object> size) {
    ActorRef<BoundedBuffer.Reply<Object>> replyTo = ref(size.replyTo());
    return answer(
        replyTo, record.exists() ? record.sizeIs() : new BoundedBuffer.Rejected<>(NOT_CREATED));
  }

  private Effect<BufferRecord> onWithdraw(
      BufferRecord record, BoundedBuffer.Withdraw<Object> withdraw) {
    ActorRef<BoundedBuffer.Reply<Object>> replyTo = ref(withdraw.replyTo());
    if (!record.exists()) {
      return answer(replyTo, new BoundedBuffer.Withdrawn<>(false));
    }
    BufferState<Object, ActorRef<BoundedBuffer.Reply<Object>>> state = record.state();
    Wakes wakes = new Wakes();
    boolean waited = state.withdraw(ref(withdraw.owner()), wakes);
    if (waited) {
      trace(TraceKind.WITHDRAWN, withdraw.owner(), "");
    }
    return change(
        record,
        state,
        wakes,
        0,
        null,
        replyTo,
        () -> replyTo.tell(new BoundedBuffer.Withdrawn<>(waited)));
  }

  private Effect<BufferRecord> onClose(BufferRecord record, BoundedBuffer.Close<Object> close) {
    ActorRef<BoundedBuffer.Reply<Object>> replyTo = ref(close.replyTo());
    if (!record.exists()) {
      return answer(replyTo, new BoundedBuffer.Rejected<>(NOT_CREATED));
    }
    BufferState<Object, ActorRef<BoundedBuffer.Reply<Object>>> state = record.state();
    Wakes wakes = new Wakes();
    BoundedBuffer.Closed<Object> closed;
    if (close.immediate()) {
      int dropped = state.shutdownNow(wakes);
      trace("closed", dropped + " dropped");
      closed = new BoundedBuffer.Closed<>(0, dropped);
    } else {
      if (!state.closed()) {
        trace("closed", state.size() + " left to drain");
      }
      state.close(wakes);
      closed = new BoundedBuffer.Closed<>(state.size(), 0);
    }
    return change(record, state, wakes, 0, null, replyTo, () -> replyTo.tell(closed));
  }

  private Effect<BufferRecord> onOwnerTerminated(BufferRecord record, OwnerTerminated terminated) {
    ActorRef<BoundedBuffer.Reply<Object>> dead = ref(terminated.owner());
    watch.died(dead);
    if (!record.involved().contains(dead)) {
      return Effect().none();
    }
    BufferState<Object, ActorRef<BoundedBuffer.Reply<Object>>> state = record.state();
    Wakes wakes = new Wakes();
    int back = state.gone(dead, wakes);
    if (back > 0) {
      trace("requeued", dead, back + " items");
      context
          .getLog()
          .debug("{} stopped holding {} unacknowledged items; back at the head", dead, back);
    }
    return change(record, state, wakes, 0, null, null, () -> {});
  }

  private Effect<BufferRecord> onWaitExpired(BufferRecord record, WaitExpired expired) {
    if (!record.deadlines().containsKey(expired.waitId())) {
      return Effect().none();
    }
    BufferState<Object, ActorRef<BoundedBuffer.Reply<Object>>> state = record.state();
    Wakes wakes = new Wakes();
    wakes.waited(expired.waitId(), expired.waited());
    state.expire(expired.waitId(), wakes);
    return change(record, state, wakes, 0, null, null, () -> {});
  }

  // ---------------------------------------------------------------- one change

  /**
   * Keeps what {@code state} has become, then tells what happened: the wake-ups in the order the
   * state reported them, then {@code reply}; stops the timers of waiters who left and starts the
   * one of a waiter {@code waitId} that stays parked with a {@code timeout}; watches whoever now
   * waits or holds a delivery, and unwatches whoever no longer does. When {@code caller} is given
   * and the store refuses the write, only the caller hears, {@code Rejected}: nothing changed. A
   * change that changed nothing (a zero-timeout poll of an empty buffer) writes nothing.
   */
  private Effect<BufferRecord> change(
      BufferRecord before,
      BufferState<Object, ActorRef<BoundedBuffer.Reply<Object>>> state,
      Wakes wakes,
      long waitId,
      Duration timeout,
      ActorRef<BoundedBuffer.Reply<Object>> caller,
      Runnable reply) {
    Map<Long, BufferRecord.Deadline> deadlines = before.deadlines();
    long nextWaitId = before.nextWaitId();
    BufferRecord.Deadline deadline = BufferRecord.Deadline.NONE;
    if (waitId != 0) {
      Duration real = timeout == null ? null : clock.toReal(timeout);
      deadline =
          new BufferRecord.Deadline(
              EntityWatch.deadlineOf(real), real == null ? 0 : real.toMillis());
      deadlines.put(waitId, deadline);
    }
    BufferRecord probe = BufferRecord.of(state, deadlines, nextWaitId);
    boolean stays = waitId != 0 && probe.deadlines().containsKey(waitId);
    BufferRecord after = stays ? BufferRecord.of(state, deadlines, waitId + 1) : probe;
    long startAt = stays ? deadline.deadlineMillis() : 0;
    Runnable tell =
        () -> {
          wakes.run();
          reply.run();
          Set<Long> left = before.deadlines().keySet();
          left.removeAll(after.deadlines().keySet());
          left.forEach(timers::cancel);
          after.involved().forEach(watch::watch);
          for (ActorRef<?> ref : before.involved()) {
            watch.unwatchUnless(after.involved().contains(ref), ref);
          }
          if (startAt != 0) {
            EntityWatch.restartTimer(timers, waitId, startAt, new WaitExpired(waitId, timeout));
          }
        };
    if (after.equals(before)) {
      return Effect().none().thenRun(() -> tell.run());
    }
    if (caller == null) {
      return change(after, () -> tell.run());
    }
    return write(
        after, () -> caller.tell(new BoundedBuffer.Rejected<>(PendingWrite.STORE_FAILED)), tell);
  }

  /**
   * The wake-ups a change reported, in order, to be told once the change is in the store; and how
   * long each waiter that times out in it waited.
   */
  /**
   * The waits traced as {@link TraceKind#WAITING} in this incarnation, by wait id, so the reply
   * that serves one also ends its span (as {@code BoundedBuffer} does); forgotten when tracing is
   * off.
   */
  private final Set<Long> tracedWaits = new HashSet<>();

  private void traceWaiting(ActorRef<?> waiter, long waitId, String what) {
    if (!tracing()) {
      tracedWaits.clear();
      return;
    }
    tracedWaits.add(waitId);
    trace(TraceKind.WAITING, waiter, what);
  }

  /** Ends the span of a traced wait served now, as {@code kind}; nothing if it never waited. */
  private void traceServed(ActorRef<?> waiter, long waitId, String kind, String detail) {
    if (!tracedWaits.isEmpty() && tracedWaits.remove(waitId)) {
      trace(kind, waiter, detail);
    }
  }

  private final class Wakes
      implements BufferState.Outbox<Object, ActorRef<BoundedBuffer.Reply<Object>>> {
    private final List<Runnable> told = new ArrayList<>();
    private final Map<Long, Duration> waited = new HashMap<>();

    void waited(long waitId, Duration duration) {
      waited.put(waitId, duration);
    }

    void run() {
      told.forEach(Runnable::run);
    }

    @Override
    public void accepted(
        ActorRef<BoundedBuffer.Reply<Object>> producer, long waiterId, int count, int level) {
      told.add(
          () -> {
            traceServed(producer, waiterId, TraceKind.WOKE, "");
            trace("put", producer, count);
            trace(TraceKind.LEVEL, level);
            producer.tell(new BoundedBuffer.Accepted<>(count, level));
          });
    }

    @Override
    public void refused(
        ActorRef<BoundedBuffer.Reply<Object>> producer,
        long waiterId,
        int admitted,
        String reason) {
      String why =
          admitted == 0 ? reason : reason + " (" + admitted + " of its items were admitted)";
      told.add(
          () -> {
            traceServed(producer, waiterId, TraceKind.DROPPED, reason);
            producer.tell(new BoundedBuffer.Rejected<>(why));
          });
    }

    @Override
    public void delivered(
        ActorRef<BoundedBuffer.Reply<Object>> consumer,
        long waiterId,
        long deliveryId,
        List<Object> items,
        int level,
        boolean tracked) {
      told.add(
          () -> {
            traceServed(consumer, waiterId, TraceKind.WOKE, "");
            trace("taken", consumer, items.size());
            trace(TraceKind.LEVEL, level);
            consumer.tell(new BoundedBuffer.Taken<>(items, deliveryId, level));
          });
    }

    @Override
    public void endOfStream(ActorRef<BoundedBuffer.Reply<Object>> consumer, long waiterId) {
      told.add(
          () -> {
            traceServed(consumer, waiterId, TraceKind.DROPPED, "closed and drained");
            consumer.tell(new BoundedBuffer.EndOfStream<>());
          });
    }

    @Override
    public void joined(ActorRef<BoundedBuffer.Reply<Object>> joiner, long waiterId) {
      told.add(() -> joiner.tell(new BoundedBuffer.Joined<>()));
    }

    @Override
    public void timedOut(ActorRef<BoundedBuffer.Reply<Object>> waiter, long waiterId) {
      Duration duration = waited.getOrDefault(waiterId, Duration.ZERO);
      told.add(
          () -> {
            tracedWaits.remove(waiterId);
            trace(TraceKind.TIMED_OUT, waiter, "");
            waiter.tell(new BoundedBuffer.TimedOut<>(duration));
          });
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Why these items cannot be kept, or null: each must be one of the kit's payload types. */
  private static String refuseItems(List<Object> batch) {
    for (Object item : batch) {
      if (item == null) {
        return "the item is null";
      }
      if (!KitJacksonModule.isPayload(item)) {
        return "a durable buffer keeps only the kit's payload types (KitMessage records, strings,"
            + " booleans, characters, numbers), not "
            + item.getClass().getName();
      }
    }
    return null;
  }

  /** {@code item} as a batch of one; null stays null for {@link #refuseItems} to name. */
  private static List<Object> single(Object item) {
    List<Object> batch = new ArrayList<>(1);
    batch.add(item);
    return batch;
  }

  private static boolean badTimeout(Duration timeout) {
    return timeout == null || timeout.isNegative();
  }

  /** The buffer's replies go to the {@code replyTo} of each request, whatever its item type. */
  @SuppressWarnings("unchecked")
  private static ActorRef<BoundedBuffer.Reply<Object>> ref(ActorRef<?> ref) {
    return (ActorRef<BoundedBuffer.Reply<Object>>) ref;
  }

  private Effect<BufferRecord> answer(
      ActorRef<BoundedBuffer.Reply<Object>> replyTo, BoundedBuffer.Reply<Object> reply) {
    return Effect().none().thenRun(() -> replyTo.tell(reply));
  }
}
