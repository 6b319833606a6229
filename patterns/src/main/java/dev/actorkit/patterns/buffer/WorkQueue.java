package dev.actorkit.patterns.buffer;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.delivery.ConsumerController;
import akka.actor.typed.delivery.WorkPullingProducerController;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.receptionist.ServiceKey;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.RejectedReply;
import dev.actorkit.core.TimedOutReply;
import dev.actorkit.core.trace.TraceKind;
import dev.actorkit.core.trace.Tracer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.slf4j.event.Level;

/**
 * One producer feeding many workers, where a worker that crashes in the middle of a job loses
 * nothing: the job goes to another worker (or to the same one once it has restarted).
 *
 * <p>Underneath is Akka's reliable delivery in work-pulling mode: this actor owns a {@link
 * WorkPullingProducerController}, every worker owns a {@link ConsumerController} registered under
 * the queue's {@link ServiceKey}, a worker asks for the next job only when it has finished the last
 * one, and a job counts as done only when its worker confirms it. A user needs none of that: {@link
 * #create} the queue, {@link #worker} the workers with a {@link Handler}, and {@link Submit} jobs
 * ({@link WorkQueueClient} does all three from plain Java).
 *
 * <p><b>Ordering and fairness.</b> Jobs are handed out in the order they were submitted, each to a
 * worker that has room for it (Akka picks one at random among those with demand). A worker runs one
 * job at a time; its consumer controller may hold further jobs for it ({@code
 * akka.reliable-delivery.consumer-controller.flow-control-window}), and those too go to other
 * workers if it crashes. Submitters are admitted FIFO.
 *
 * <p><b>Backpressure and timeouts.</b> At most {@code bufferSize} submitted jobs wait for a worker;
 * a submitter that finds the queue full is parked until there is room or its timeout (story time,
 * this actor's timer) passes, when it gets {@link TimedOut} and the job was not submitted.
 *
 * <p><b>Death.</b> A job is confirmed only after its handler's stage completes normally. If the
 * stage fails (or the handler throws) the worker crashes; its supervisor restarts it, and the job,
 * unconfirmed, is delivered again (delivery is at least once: a job may run twice, never zero times
 * while the queue runs). A parked submitter that stops leaves the queue; one that lives on and
 * gives up sends {@link Withdraw}.
 */
public final class WorkQueue<T> extends AbstractBehavior<WorkQueue.Command<T>> {

  /**
   * @param jobClass the class of the jobs (Akka's reliable delivery needs it to route them)
   * @param bufferSize how many submitted jobs may wait for a worker, at least 1
   */
  public record Settings<T>(Class<T> jobClass, int bufferSize) {
    public Settings {
      Objects.requireNonNull(jobClass, "jobClass");
      if (bufferSize < 1) {
        throw new IllegalArgumentException(
            "a work queue's buffer size must be at least 1, was " + bufferSize);
      }
    }

    public static <T> Settings<T> of(Class<T> jobClass, int bufferSize) {
      return new Settings<>(jobClass, bufferSize);
    }
  }

  /**
   * What a worker does with a job: return a stage that completes when the job is done. It runs in
   * the worker actor, which {@link WorkQueueClient#addWorker} puts on the kit's blocking
   * dispatcher, so a short blocking step is safe; long work belongs in the stage (an executor, a
   * pool), since the worker takes its next job only when the stage completes. A failed stage, or an
   * exception, crashes the worker and the job is delivered again.
   */
  @FunctionalInterface
  public interface Handler<T> {
    CompletionStage<?> handle(T job) throws Exception;
  }

  /** What the queue understands. */
  public sealed interface Command<T> extends KitMessage {}

  /**
   * Submits a job, waiting up to {@code timeout} (story time) for room. {@link Submitted}, {@link
   * TimedOut} or {@link Rejected}.
   */
  public record Submit<T>(T job, Duration timeout, ActorRef<Reply> replyTo) implements Command<T> {}

  /**
   * Takes back the parked submit of {@code owner} (the {@code replyTo} of its {@link Submit}), if
   * it still waits for room: the job is not submitted. Answered {@link Withdrawn} after any answer
   * already sent to the owner, so an owner that hears {@code Withdrawn} has heard everything.
   */
  public record Withdraw<T>(ActorRef<?> owner, ActorRef<Reply> replyTo) implements Command<T> {}

  /** Asks for the queue's counts. {@link Stats}. */
  public record GetStats<T>(ActorRef<Reply> replyTo) implements Command<T> {}

  private record WrappedRequestNext<T>(WorkPullingProducerController.RequestNext<T> next)
      implements Command<T> {}

  private record Expired<T>(long submitterId) implements Command<T> {}

  private record SubmitterGone<T>(ActorRef<Reply> submitter) implements Command<T> {}

  /** What the queue answers. */
  public sealed interface Reply extends KitMessage {}

  /** The job is in the queue and will be handed to a worker. */
  public record Submitted(long sequence) implements Reply {}

  /**
   * The answer to {@link Withdraw}: whether the owner's submit was waiting (it is not any more).
   */
  public record Withdrawn(boolean wasWaiting) implements Reply {}

  /** {@code submitted} jobs accepted so far, {@code waiting} not yet handed to a worker. */
  public record Stats(long submitted, int waiting, int parkedSubmitters) implements Reply {}

  public record Rejected(String reason) implements Reply, RejectedReply {}

  public record TimedOut(Duration waited) implements Reply, TimedOutReply {}

  /** The receptionist key under which the workers of the queue named {@code name} register. */
  public static <T> ServiceKey<ConsumerController.Command<T>> serviceKey(String name) {
    return ServiceKey.create(ConsumerController.serviceKeyClass(), "actorkit-work-queue-" + name);
  }

  /**
   * The producer side of the queue named {@code name}; its workers are {@link #worker}s of the same
   * name.
   */
  public static <T> Behavior<Command<T>> create(String name, Settings<T> settings) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(settings, "settings");
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(timers -> new WorkQueue<>(context, timers, name, settings)));
  }

  /**
   * A worker of the queue named {@code name}. A job whose handler fails restarts the worker at once
   * (it is supervised for {@link WorkerCrashed}); the job, unconfirmed, is delivered again. Other
   * failures follow the supervision it is spawned with (the kit's {@code pools} branch restarts
   * with backoff).
   */
  public static <T> Behavior<Worker.Command> worker(String name, Handler<T> handler) {
    Behavior<Worker.Command> worker =
        Behaviors.setup(context -> new Worker<>(context, WorkQueue.<T>serviceKey(name), handler));
    // A failed job restarts the worker at once (the job is redelivered); the worker has logged it
    // in one line, so the supervisor need not log the stack trace again.
    return Behaviors.supervise(worker)
        .onFailure(WorkerCrashed.class, SupervisorStrategy.restart().withLogLevel(Level.DEBUG));
  }

  private record ParkedSubmitter<T>(long id, T job, Duration timeout, ActorRef<Reply> replyTo) {}

  private final TimerScheduler<Command<T>> timers;
  private final KitClock clock;
  private final Tracer tracer;
  private final int bufferSize;
  private final ArrayDeque<T> jobs = new ArrayDeque<>();
  private final ArrayDeque<ParkedSubmitter<T>> submitters = new ArrayDeque<>();
  private WorkPullingProducerController.RequestNext<T> demand;
  private long submitted;
  private long nextSubmitterId = 1;

  private WorkQueue(
      ActorContext<Command<T>> context,
      TimerScheduler<Command<T>> timers,
      String name,
      Settings<T> settings) {
    super(context);
    this.timers = timers;
    this.clock = KitClock.get(context.getSystem());
    this.tracer = Tracer.get(context.getSystem());
    this.bufferSize = settings.bufferSize();
    ActorRef<WorkPullingProducerController.Command<T>> controller =
        context.spawn(
            WorkPullingProducerController.create(
                settings.jobClass(), name, WorkQueue.<T>serviceKey(name), Optional.empty()),
            "producer-controller");
    ActorRef<WorkPullingProducerController.RequestNext<T>> requestNext =
        context.messageAdapter(
            WorkPullingProducerController.requestNextClass(), WrappedRequestNext::new);
    controller.tell(new WorkPullingProducerController.Start<>(requestNext));
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Receive<Command<T>> createReceive() {
    return newReceiveBuilder()
        .onMessage((Class) Submit.class, submit -> onSubmit((Submit<T>) submit))
        .onMessage(
            (Class) WrappedRequestNext.class, next -> onRequestNext((WrappedRequestNext<T>) next))
        .onMessage((Class) GetStats.class, get -> onGetStats((GetStats<T>) get))
        .onMessage((Class) Expired.class, expired -> onExpired((Expired<T>) expired))
        .onMessage((Class) SubmitterGone.class, gone -> onSubmitterGone((SubmitterGone<T>) gone))
        .onMessage((Class) Withdraw.class, withdraw -> onWithdraw((Withdraw<T>) withdraw))
        .build();
  }

  private Behavior<Command<T>> onSubmit(Submit<T> submit) {
    if (submit.job() == null) {
      submit.replyTo().tell(new Rejected("the job is null"));
      return this;
    }
    if (submit.timeout() == null || submit.timeout().isNegative()) {
      submit
          .replyTo()
          .tell(new Rejected("the timeout must be zero or positive, was " + submit.timeout()));
      return this;
    }
    if (submitters.isEmpty() && jobs.size() < bufferSize) {
      accept(submit.job(), submit.replyTo());
      dispatch();
    } else if (submit.timeout().isZero()) {
      submit.replyTo().tell(new TimedOut(Duration.ZERO));
    } else {
      long id = nextSubmitterId++;
      submitters.addLast(
          new ParkedSubmitter<>(id, submit.job(), submit.timeout(), submit.replyTo()));
      getContext().watchWith(submit.replyTo(), new SubmitterGone<>(submit.replyTo()));
      timers.startSingleTimer(id, new Expired<>(id), clock.toReal(submit.timeout()));
      tracer.emit(getContext().getSelf(), TraceKind.WAITING, submit.replyTo(), "for room");
    }
    return this;
  }

  private void accept(T job, ActorRef<Reply> replyTo) {
    jobs.addLast(job);
    submitted++;
    if (tracer.enabled()) {
      tracer.emit(getContext().getSelf(), "put", replyTo, job);
      tracer.emit(getContext().getSelf(), TraceKind.LEVEL, jobs.size());
    }
    replyTo.tell(new Submitted(submitted));
  }

  private Behavior<Command<T>> onRequestNext(WrappedRequestNext<T> next) {
    demand = next.next();
    dispatch();
    return this;
  }

  /**
   * Hands the oldest job to the controller when a worker has asked, then admits parked submitters.
   */
  private void dispatch() {
    if (demand != null && !jobs.isEmpty()) {
      T job = jobs.pollFirst();
      demand.sendNextTo().tell(job);
      demand = null;
      if (tracer.enabled()) {
        tracer.emit(getContext().getSelf(), "sent", job);
        tracer.emit(getContext().getSelf(), TraceKind.LEVEL, jobs.size());
      }
    }
    while (!submitters.isEmpty() && jobs.size() < bufferSize) {
      ParkedSubmitter<T> parked = submitters.pollFirst();
      timers.cancel(parked.id());
      tracer.emit(getContext().getSelf(), TraceKind.WOKE, parked.replyTo(), "");
      accept(parked.job(), parked.replyTo());
    }
    if (demand != null && !jobs.isEmpty()) {
      dispatch();
    }
  }

  private Behavior<Command<T>> onGetStats(GetStats<T> get) {
    get.replyTo().tell(new Stats(submitted, jobs.size(), submitters.size()));
    return this;
  }

  private Behavior<Command<T>> onExpired(Expired<T> expired) {
    for (Iterator<ParkedSubmitter<T>> it = submitters.iterator(); it.hasNext(); ) {
      ParkedSubmitter<T> parked = it.next();
      if (parked.id() == expired.submitterId()) {
        it.remove();
        tracer.emit(
            getContext().getSelf(), TraceKind.TIMED_OUT, parked.replyTo(), parked.timeout());
        parked.replyTo().tell(new TimedOut(parked.timeout()));
        break;
      }
    }
    return this;
  }

  private Behavior<Command<T>> onSubmitterGone(SubmitterGone<T> gone) {
    dropParked(gone.submitter());
    return this;
  }

  private Behavior<Command<T>> onWithdraw(Withdraw<T> withdraw) {
    withdraw.replyTo().tell(new Withdrawn(dropParked(withdraw.owner())));
    return this;
  }

  /** Removes the parked submits answered to {@code owner}; whether there were any. */
  private boolean dropParked(ActorRef<?> owner) {
    boolean dropped = false;
    for (Iterator<ParkedSubmitter<T>> it = submitters.iterator(); it.hasNext(); ) {
      ParkedSubmitter<T> parked = it.next();
      if (parked.replyTo().equals(owner)) {
        timers.cancel(parked.id());
        it.remove();
        tracer.emit(getContext().getSelf(), TraceKind.WITHDRAWN, owner, "");
        dropped = true;
      }
    }
    return dropped;
  }

  /**
   * A worker: takes one job at a time from its consumer controller and confirms it when its handler
   * is done.
   */
  public static final class Worker<T> extends AbstractBehavior<Worker.Command> {

    /** What a worker understands (only its own internal messages). */
    public interface Command {}

    private record WrappedDelivery<T>(ConsumerController.Delivery<T> delivery) implements Command {}

    private record Finished<T>(ConsumerController.Delivery<T> delivery, Throwable failure)
        implements Command {}

    private final Handler<T> handler;

    private Worker(
        ActorContext<Command> context,
        ServiceKey<ConsumerController.Command<T>> key,
        Handler<T> handler) {
      super(context);
      this.handler = handler;
      ActorRef<ConsumerController.Command<T>> consumerController =
          context.spawn(ConsumerController.create(key), "consumer-controller");
      ActorRef<ConsumerController.Delivery<T>> deliveries =
          context.messageAdapter(ConsumerController.deliveryClass(), WrappedDelivery::new);
      consumerController.tell(new ConsumerController.Start<>(deliveries));
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Receive<Command> createReceive() {
      return newReceiveBuilder()
          .onMessage(
              (Class) WrappedDelivery.class, wrapped -> onDelivery((WrappedDelivery<T>) wrapped))
          .onMessage((Class) Finished.class, finished -> onFinished((Finished<T>) finished))
          .build();
    }

    private Behavior<Command> onDelivery(WrappedDelivery<T> wrapped) throws Exception {
      ConsumerController.Delivery<T> delivery = wrapped.delivery();
      // a worker holds its job from start to confirmation: a holding span on its lane
      Tracer.get(getContext().getSystem())
          .emit(
              getContext().getSelf(),
              TraceKind.GRANTED,
              getContext().getSelf(),
              delivery.message());
      CompletionStage<?> work = handler.handle(delivery.message());
      getContext().pipeToSelf(work, (result, failure) -> new Finished<>(delivery, failure));
      return this;
    }

    private Behavior<Command> onFinished(Finished<T> finished) {
      if (finished.failure() != null) {
        getContext()
            .getLog()
            .warn(
                "job {} failed ({}); restarting, the job will be delivered again",
                finished.delivery().message(),
                dev.actorkit.core.Ask.unwrap(finished.failure()).toString());
        Tracer.get(getContext().getSystem())
            .emit(
                getContext().getSelf(),
                TraceKind.REVOKED,
                getContext().getSelf(),
                finished.delivery().message());
        throw new WorkerCrashed(finished.delivery().message(), finished.failure());
      }
      Tracer.get(getContext().getSystem())
          .emit(
              getContext().getSelf(),
              TraceKind.RELEASED,
              getContext().getSelf(),
              finished.delivery().message());
      finished.delivery().confirmTo().tell(ConsumerController.confirmed());
      return this;
    }
  }

  /** Thrown inside a worker whose job failed, so that its supervisor restarts it. */
  public static final class WorkerCrashed extends RuntimeException {
    WorkerCrashed(Object job, Throwable cause) {
      super("worker crashed on job " + job, cause);
    }
  }
}
