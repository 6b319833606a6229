package dev.actorkit.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The client actor of every lock benchmark: ask for a grant, on the grant give it back at once (a
 * tell, no answer awaited) and ask again, a given number of times. The target handles the release
 * and the next request in order, so nothing waits for the release's answer. The acquire request is
 * built once per client, and so is the release unless it depends on the grant (a mutex's fencing
 * token), so the measured path allocates little besides the replies.
 *
 * @param <C> the target's protocol
 */
public final class GrantLoop<C> extends AbstractBehavior<Object> {

  /** Take {@code grants} grants, then count {@code done} down. */
  public record Run(int grants, CountDownLatch done) {}

  private final ActorRef<C> target;
  private final C acquire;
  private final Function<Object, C> releaseFor;
  private final Predicate<Object> isGrant;
  private int remaining;
  private CountDownLatch done;

  private GrantLoop(
      ActorContext<Object> context,
      ActorRef<C> target,
      Function<ActorContext<Object>, C> acquire,
      Function<ActorContext<Object>, Function<Object, C>> release,
      Predicate<Object> isGrant) {
    super(context);
    this.target = target;
    this.acquire = acquire.apply(context);
    this.releaseFor = release.apply(context);
    this.isGrant = isGrant;
  }

  /**
   * A client of {@code target}.
   *
   * @param acquire the request for a grant, built once from the client's context
   * @param release from the client's context, what gives a grant back (given the grant)
   * @param isGrant which replies are grants; every other reply (a release's answer) is ignored
   */
  public static <C> Behavior<Object> create(
      ActorRef<C> target,
      Function<ActorContext<Object>, C> acquire,
      Function<ActorContext<Object>, Function<Object, C>> release,
      Predicate<Object> isGrant) {
    return Behaviors.setup(context -> new GrantLoop<>(context, target, acquire, release, isGrant));
  }

  @Override
  public Receive<Object> createReceive() {
    return newReceiveBuilder()
        .onMessage(Run.class, this::onRun)
        .onAnyMessage(this::onReply)
        .build();
  }

  private Behavior<Object> onRun(Run run) {
    remaining = run.grants();
    done = run.done();
    target.tell(acquire);
    return this;
  }

  private Behavior<Object> onReply(Object reply) {
    if (!isGrant.test(reply)) {
      return this;
    }
    target.tell(releaseFor.apply(reply));
    if (--remaining == 0) {
      done.countDown();
    } else {
      target.tell(acquire);
    }
    return this;
  }

  /**
   * Tells each of {@code clients} to take {@code grantsEach} grants and waits until all have (at
   * most 2 minutes).
   */
  public static void runAll(List<ActorRef<Object>> clients, int grantsEach)
      throws InterruptedException {
    CountDownLatch done = new CountDownLatch(clients.size());
    for (ActorRef<Object> client : clients) {
      client.tell(new Run(grantsEach, done));
    }
    await(done);
  }

  /**
   * Waits for {@code done}, at most 2 minutes: a benchmark that stalls fails instead of hanging.
   */
  public static void await(CountDownLatch done) throws InterruptedException {
    if (!done.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the clients did not finish");
    }
  }
}
