package dev.actorkit.patterns.account;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import dev.actorkit.core.KitMessage;
import dev.actorkit.core.RejectedReply;
import dev.actorkit.core.trace.TraceKind;
import dev.actorkit.core.trace.Tracer;
import dev.actorkit.patterns.mutex.Mutex;
import java.util.Objects;

/**
 * A bank account as an actor: the ATM example without a lock. The account handles one message at a
 * time, so "check the balance, then subtract" can never interleave with another withdrawal.
 *
 * <p><b>Ordering.</b> Requests are applied in the order they reach the mailbox (per sender, in the
 * order sent). Nothing waits: every request is answered at once.
 *
 * <p><b>Idempotency.</b> Every request carries a request id; a request whose id was seen before
 * (among the last {@link Settings#rememberedRequests()}) gets the first answer again and is not
 * applied twice, so a caller that did not hear back may simply retry with the same id.
 *
 * <p><b>Refusals.</b> A missing id, an amount that is not positive, a deposit that would overflow,
 * a withdrawal of more than the balance, or a stale fencing token gets {@link Rejected} with the
 * reason; the balance is unchanged.
 *
 * <p><b>Fencing.</b> A request may carry the token of the {@code Mutex} hold it was made under (0
 * for none); once a write with token {@code t} was applied, writes with a lower token are refused,
 * so a holder whose lease was revoked cannot write after the next holder has. An account made with
 * {@link Settings#fencedBy} also learns each new token of that mutex when it is granted ({@link
 * Mutex.Guard}), so the previous holder is refused from that moment, before the new one has
 * written; with {@link Settings#requiringToken()} a write without a token is refused.
 *
 * <p><b>Failure.</b> The account keeps its state in an object made when {@link #create} is called,
 * outside the actor's setup, so a restart by a supervisor re-runs setup over the same balance and
 * remembered answers: neither resume (the {@code primitives} branch's rule) nor restart loses
 * money. Spawn each behaviour returned by {@code create} once. A stopped account's balance is gone
 * with it.
 */
public final class Account extends AbstractOnMessageBehavior<Account.Command> {

  /** What an account understands. */
  public sealed interface Command extends KitMessage {}

  /** Add {@code amount}; {@code token} is a fencing token or 0. */
  public record Deposit(String requestId, long amount, long token, ActorRef<Reply> replyTo)
      implements Command {
    public Deposit(String requestId, long amount, ActorRef<Reply> replyTo) {
      this(requestId, amount, 0, replyTo);
    }
  }

  /** Take out {@code amount} if the balance covers it; {@code token} is a fencing token or 0. */
  public record Withdraw(String requestId, long amount, long token, ActorRef<Reply> replyTo)
      implements Command {
    public Withdraw(String requestId, long amount, ActorRef<Reply> replyTo) {
      this(requestId, amount, 0, replyTo);
    }
  }

  /** Ask for the balance. */
  public record Balance(String requestId, ActorRef<Reply> replyTo) implements Command {}

  /**
   * Ask for the balance and the highest fencing token written so far; no request id, nothing
   * remembered.
   */
  public record GetStatus(ActorRef<Reply> replyTo) implements Command {}

  /**
   * Keep the answer to {@code requestId} (given already, or to come) until {@link Forget}, however
   * many other requests come meanwhile: for a caller that may repeat it late, as a {@link Bank} may
   * resume an in-doubt transfer. No answer.
   */
  public record Keep(String requestId) implements Command {}

  /** The caller will not repeat {@code requestId}: its kept answer may go. No answer. */
  public record Forget(String requestId) implements Command {}

  /**
   * A hold of the guarding mutex was granted with {@code token}: lower tokens are stale from now
   * on. Sent by the mutex of {@link Settings#fencedBy} (through an adapter); no answer.
   */
  record Fence(long token) implements Command {}

  /** Every answer of an account. */
  public sealed interface Reply extends KitMessage {}

  public record Deposited(String requestId, long amount, long balance) implements Reply {}

  public record Withdrawn(String requestId, long amount, long balance) implements Reply {}

  public record BalanceIs(String requestId, long balance) implements Reply {}

  /** The account now: its balance and the highest fencing token that has written (0 if none). */
  public record Status(long balance, long highestToken) implements Reply {}

  /** Refused; the balance is unchanged. */
  public record Rejected(String reason) implements Reply, RejectedReply {}

  /**
   * @param initialBalance the opening balance, not negative
   * @param rememberedRequests how many recent request ids are remembered to answer repeats
   */
  public record Settings(
      long initialBalance,
      int rememberedRequests,
      ActorRef<Mutex.Command> fencedBy,
      boolean tokenRequired) {
    public Settings {
      if (initialBalance < 0) {
        throw new IllegalArgumentException(
            "the opening balance must not be negative, was " + initialBalance);
      }
      if (rememberedRequests < 1) {
        throw new IllegalArgumentException(
            "rememberedRequests must be at least 1, was " + rememberedRequests);
      }
    }

    /** Settings without a guarding mutex and without a required token. */
    public Settings(long initialBalance, int rememberedRequests) {
      this(initialBalance, rememberedRequests, null, false);
    }

    /** An account opened with {@code initialBalance}, remembering the last 10,000 request ids. */
    public static Settings opening(long initialBalance) {
      return new Settings(initialBalance, 10_000);
    }

    public Settings rememberingLast(int rememberedRequests) {
      return new Settings(initialBalance, rememberedRequests, fencedBy, tokenRequired);
    }

    /**
     * The account asks {@code mutex} for each new fencing token as it is granted ({@link
     * Mutex.Guard}): a stale token is refused from the grant on, not only after the new holder's
     * first write.
     */
    public Settings fencedBy(ActorRef<Mutex.Command> mutex) {
      return new Settings(
          initialBalance,
          rememberedRequests,
          Objects.requireNonNull(mutex, "mutex"),
          tokenRequired);
    }

    /** Writes without a fencing token (token 0) are refused. */
    public Settings requiringToken() {
      return new Settings(initialBalance, rememberedRequests, fencedBy, true);
    }
  }

  /**
   * The state outlives restarts of the actor; {@code attachedTo} stops a second actor from sharing
   * it.
   */
  private static final class Cell {
    final AccountState state;
    ActorRef<?> attachedTo;

    Cell(AccountState state) {
      this.state = state;
    }
  }

  public static Behavior<Command> create(Settings settings) {
    Objects.requireNonNull(settings, "settings");
    AccountState fresh = new AccountState(settings.initialBalance(), settings.rememberedRequests());
    if (settings.tokenRequired()) {
      fresh.requireToken();
    }
    Cell cell = new Cell(fresh);
    return Behaviors.setup(
        context -> {
          if (settings.fencedBy() != null) {
            ActorRef<Mutex.NewToken> news =
                context.messageAdapter(Mutex.NewToken.class, granted -> new Fence(granted.token()));
            settings.fencedBy().tell(new Mutex.Guard(news));
          }
          return new Account(context, attach(cell, context.getSelf()));
        });
  }

  private static synchronized AccountState attach(Cell cell, ActorRef<?> self) {
    if (cell.attachedTo != null && !cell.attachedTo.equals(self)) {
      throw new IllegalStateException(
          "this account behaviour already runs as "
              + cell.attachedTo
              + "; call Account.create once per account");
    }
    cell.attachedTo = self;
    return cell.state;
  }

  private final AccountState state;
  private final Tracer tracer;

  private Account(ActorContext<Command> context, AccountState state) {
    super(context);
    this.state = state;
    this.tracer = Tracer.get(context.getSystem());
  }

  /* instanceof tests rather than a receive builder, which would add a case object and a bound lambda per message type to every idle account. */
  @Override
  public Behavior<Command> onMessage(Command message) {
    if (message instanceof Deposit deposit) {
      return onDeposit(deposit);
    } else if (message instanceof Withdraw withdraw) {
      return onWithdraw(withdraw);
    } else if (message instanceof Balance balance) {
      return onBalance(balance);
    } else if (message instanceof Fence fence) {
      state.fence(fence.token());
      return this;
    } else if (message instanceof Keep keep) {
      state.keep(keep.requestId());
      return this;
    } else if (message instanceof Forget forget) {
      state.forget(forget.requestId());
      return this;
    } else if (message instanceof GetStatus get) {
      get.replyTo().tell(new Status(state.balance(), state.highestToken()));
      return this;
    }
    return Behaviors.unhandled();
  }

  private Behavior<Command> onDeposit(Deposit deposit) {
    Reply reply = state.deposit(deposit.requestId(), deposit.amount(), deposit.token());
    trace("deposit", deposit.replyTo(), reply);
    deposit.replyTo().tell(reply);
    return this;
  }

  private Behavior<Command> onWithdraw(Withdraw withdraw) {
    Reply reply = state.withdraw(withdraw.requestId(), withdraw.amount(), withdraw.token());
    trace("withdraw", withdraw.replyTo(), reply);
    withdraw.replyTo().tell(reply);
    return this;
  }

  /**
   * Traces a deposit or a withdrawal for whoever asked, and the balance as the account's {@code
   * level}; builds nothing while tracing is off.
   */
  private void trace(String kind, ActorRef<Reply> who, Reply reply) {
    if (!tracer.enabled()) {
      return;
    }
    tracer.emit(getContext().getSelf(), traceKind(kind, reply), who, traceDetail(reply));
    tracer.emit(getContext().getSelf(), TraceKind.LEVEL, state.balance());
  }

  /**
   * The kind of event an account's answer is on a timeline: what was asked ({@code deposit}, {@code
   * withdraw}), or {@code refused} when it was refused, so a refusal is not drawn as a withdrawal.
   */
  public static String traceKind(String asked, Reply reply) {
    return reply instanceof Rejected ? "refused" : asked;
  }

  /**
   * How a timeline shows an account's answer ({@code 20 out, balance 70}, {@code refused: ...}):
   * the one wording for every account, durable ones included.
   */
  public static String traceDetail(Reply reply) {
    if (reply instanceof Deposited deposited) {
      return deposited.amount() + " in, balance " + deposited.balance();
    } else if (reply instanceof Withdrawn withdrawn) {
      return withdrawn.amount() + " out, balance " + withdrawn.balance();
    } else if (reply instanceof Rejected rejected) {
      return "refused: " + rejected.reason();
    }
    return reply.toString();
  }

  private Behavior<Command> onBalance(Balance balance) {
    balance.replyTo().tell(state.balance(balance.requestId()));
    return this;
  }
}
