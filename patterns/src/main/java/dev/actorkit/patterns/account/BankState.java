package dev.actorkit.patterns.account;

import dev.actorkit.core.RecentIds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The pure bookkeeping of a {@link Bank}: which transfers run, at which step, how many times the
 * step was sent, how much money is in flight, and the outcomes of finished transfers. The behaviour
 * sends what {@link Send} says and answers what {@link Finish} says.
 *
 * <p>A transfer is withdraw, then deposit, then (only if the deposit is refused) refund. A step
 * that stays unanswered after the last attempt leaves the transfer stalled, answered {@link
 * Bank.InDoubt}; asking for the same transfer id again resumes it where it stopped. The amount is
 * in flight from the moment the withdrawal is confirmed until the deposit or the refund is; it is
 * never counted twice and never dropped: for every transfer, what left the source minus what
 * reached an account equals what is in flight.
 *
 * @param <A> how an account is addressed
 * @param <R> where an outcome is sent
 */
public final class BankState<A, R> {

  /** The steps of a transfer; each is sent with the request id {@code transferId/step}. */
  public enum Step {
    WITHDRAW,
    DEPOSIT,
    REFUND;

    public String requestId(String transferId) {
      return transferId + "/" + name().toLowerCase();
    }
  }

  /** What the behaviour must do next. */
  public sealed interface Action<A, R> {}

  /**
   * Send {@code step} of {@code transferId}: a withdrawal from, or a deposit into, {@code account}.
   */
  public record Send<A, R>(String transferId, Step step, A account, long amount)
      implements Action<A, R> {
    public String requestId() {
      return step.requestId(transferId);
    }
  }

  /**
   * Tell {@code outcome} to every caller in {@code replyTos}. If {@code over} is not null, the
   * transfer is over for good: its accounts may forget the ids of its steps ({@link
   * Account.Forget}). An in-doubt answer leaves it null: the transfer may still be resumed.
   */
  public record Finish<A, R>(List<R> replyTos, Bank.Reply outcome, Over<A> over)
      implements Action<A, R> {
    public Finish(List<R> replyTos, Bank.Reply outcome) {
      this(replyTos, outcome, null);
    }
  }

  /** A transfer that is over, and the accounts that may forget its steps' ids. */
  public record Over<A>(String transferId, A from, A to) {}

  /** Nothing to do (a caller joined a running transfer, or a late answer was ignored). */
  public record Wait<A, R>() implements Action<A, R> {}

  private static final class Pending<A, R> {
    final String id;
    final A from;
    final A to;
    final long amount;
    final List<R> replyTos = new ArrayList<>();
    Step step = Step.WITHDRAW;
    int attempts = 1;
    boolean stalled;
    String refusal;

    Pending(String id, A from, A to, long amount, R replyTo) {
      this.id = id;
      this.from = from;
      this.to = to;
      this.amount = amount;
      replyTos.add(replyTo);
    }
  }

  private final int maxAttempts;
  private final Map<String, Pending<A, R>> pending = new HashMap<>();

  /** How a finished transfer ended, by its id. */
  private record Outcome(String transferId, Bank.Reply reply) {}

  private final RecentIds<Outcome> outcomes;
  private long inFlight;
  private int inFlightTransfers;

  /**
   * @param maxAttempts how many times a step is sent before the transfer is reported in doubt
   * @param rememberedOutcomes how many finished transfers are remembered to answer a repeated id
   *     (running and in-doubt transfers are never forgotten)
   */
  public BankState(int maxAttempts, int rememberedOutcomes) {
    if (maxAttempts < 1 || rememberedOutcomes < 1) {
      throw new IllegalArgumentException("maxAttempts and rememberedOutcomes must be at least 1");
    }
    this.maxAttempts = maxAttempts;
    this.outcomes = new RecentIds<>(rememberedOutcomes, Outcome::transferId);
  }

  /**
   * A transfer is asked for: refuse it, answer a known outcome, join it, or start its withdrawal.
   */
  public Action<A, R> start(String id, A from, A to, long amount, R replyTo) {
    if (id == null || id.isBlank()) {
      return new Finish<>(List.of(replyTo), new Bank.Rejected("a transfer needs a transfer id"));
    }
    Outcome known = outcomes.get(id);
    if (known != null) {
      return new Finish<>(List.of(replyTo), known.reply());
    }
    Pending<A, R> running = pending.get(id);
    if (running != null && running.stalled) {
      running.stalled = false;
      running.attempts = 1;
      running.replyTos.add(replyTo);
      return send(running);
    }
    if (running != null) {
      running.replyTos.add(replyTo);
      return new Wait<>();
    }
    String refusal = refusal(from, to, amount);
    if (refusal != null) {
      return new Finish<>(List.of(replyTo), new Bank.Rejected(refusal));
    }
    Pending<A, R> transfer = new Pending<>(id, from, to, amount, replyTo);
    pending.put(id, transfer);
    return send(transfer);
  }

  /**
   * {@code step} of transfer {@code id} was answered with {@code reply}, or not at all in time
   * ({@code reply == null}): send the step again, move to the next step, or finish.
   */
  public Action<A, R> answered(String id, Step step, Account.Reply reply) {
    Pending<A, R> transfer = pending.get(id);
    if (transfer == null || transfer.step != step || transfer.stalled) {
      return new Wait<>();
    }
    if (reply == null) {
      if (transfer.attempts >= maxAttempts) {
        return stall(
            transfer,
            "no answer to "
                + step.name().toLowerCase()
                + " after "
                + transfer.attempts
                + " attempts");
      }
      transfer.attempts++;
      return send(transfer);
    }
    switch (step) {
      case WITHDRAW:
        if (reply instanceof Account.Withdrawn) {
          inFlight += transfer.amount;
          inFlightTransfers++;
          return next(transfer, Step.DEPOSIT);
        }
        return finish(transfer, new Bank.Rejected("the source refused: " + reason(reply)));
      case DEPOSIT:
        if (reply instanceof Account.Deposited) {
          landed(transfer.amount);
          return finish(transfer, new Bank.Transferred(id, transfer.amount));
        }
        transfer.refusal = reason(reply);
        return next(transfer, Step.REFUND);
      case REFUND:
        if (reply instanceof Account.Deposited) {
          landed(transfer.amount);
          return finish(
              transfer,
              new Bank.Rejected(
                  "the destination refused ("
                      + transfer.refusal
                      + "); the amount went back to the source"));
        }
        return stall(transfer, "the source refused the refund: " + reason(reply));
      default:
        throw new IllegalStateException("unknown step " + step);
    }
  }

  /**
   * The step every running transfer that is not stalled is waiting for, to send again: for a bank
   * whose bookkeeping was rebuilt elsewhere (a durable bank after a move), whose steps in flight
   * were lost with its old host. Sending a step again is safe: it carries the same request id. The
   * attempt counts stay as they were.
   */
  public List<Send<A, R>> resumable() {
    List<Send<A, R>> sends = new ArrayList<>();
    for (Pending<A, R> transfer : pending.values()) {
      if (!transfer.stalled) {
        sends.add(send(transfer));
      }
    }
    return sends;
  }

  /** Money withdrawn and not yet deposited or refunded. */
  public long inFlight() {
    return inFlight;
  }

  /** How many transfers hold money in flight. */
  public int inFlightTransfers() {
    return inFlightTransfers;
  }

  /** How many transfers are running. */
  public int running() {
    return pending.size();
  }

  private Action<A, R> next(Pending<A, R> transfer, Step step) {
    transfer.step = step;
    transfer.attempts = 1;
    return send(transfer);
  }

  private Send<A, R> send(Pending<A, R> transfer) {
    A account = transfer.step == Step.DEPOSIT ? transfer.to : transfer.from;
    return new Send<>(transfer.id, transfer.step, account, transfer.amount);
  }

  private Finish<A, R> finish(Pending<A, R> transfer, Bank.Reply outcome) {
    pending.remove(transfer.id);
    outcomes.put(transfer.id, new Outcome(transfer.id, outcome));
    return new Finish<>(
        List.copyOf(transfer.replyTos),
        outcome,
        new Over<>(transfer.id, transfer.from, transfer.to));
  }

  /**
   * The transfer cannot go on now: answer {@link Bank.InDoubt} but keep it, so the same transfer id
   * asked for again resumes it at the same step with the same request id (the account answers a
   * step it already applied from memory, so resuming never applies anything twice).
   */
  private Finish<A, R> stall(Pending<A, R> transfer, String reason) {
    transfer.stalled = true;
    long held = transfer.step == Step.WITHDRAW ? 0 : transfer.amount;
    List<R> waiting = List.copyOf(transfer.replyTos);
    transfer.replyTos.clear();
    return new Finish<>(
        waiting,
        new Bank.InDoubt(
            transfer.id, held, reason + "; ask for the same transfer id again to resume it"));
  }

  private void landed(long amount) {
    inFlight -= amount;
    inFlightTransfers--;
  }

  private static String refusal(Object from, Object to, long amount) {
    if (from == null || to == null) {
      return "a transfer needs a source and a destination";
    }
    if (Objects.equals(from, to)) {
      return "the source and the destination are the same account";
    }
    if (amount <= 0) {
      return "the amount must be positive, was " + amount;
    }
    return null;
  }

  private static String reason(Account.Reply reply) {
    return reply instanceof Account.Rejected rejected ? rejected.reason() : String.valueOf(reply);
  }
}
