package dev.actorkit.patterns.account;

import dev.actorkit.core.RecentIds;
import java.util.HashMap;
import java.util.Map;

/**
 * The pure state of one account: its balance, the highest fencing token it has accepted, and the
 * answers to its most recent requests by request id.
 *
 * <p>Rules, checked in this order: a missing (null or blank) request id is refused and nothing is
 * remembered, as there is no id to remember it by; a request id seen before gets the first answer
 * again and changes nothing (within the last {@code rememberedRequests} ids), provided it is the
 * same request (the same kind, amount and token) — an id reused for another request is refused and
 * the first answer stays remembered; an amount that is not positive, a fencing token lower than one
 * already accepted or granted ({@link #fence}), no token where one is required ({@link
 * #requireToken}), a deposit that would overflow a {@code long}, or a withdrawal of more than the
 * balance is refused with a reason and changes nothing (but the refusal is remembered for its id).
 * A token of 0 means the request carries none.
 *
 * <p><b>How long an answer is remembered.</b> The answers to the last {@code rememberedRequests}
 * request ids, reads and refusals included, and beyond that window the answers to ids the caller
 * asked to keep ({@link #keep}) until it forgets them ({@link #forget}, after which they age out
 * with the recent ones): a bank keeps the ids of a transfer's steps for as long as the transfer may
 * be resumed, however many other requests the account serves meanwhile. The window counts ids as
 * they come, kept ones included: keeping an id that was answered takes it out of the window but
 * does not make room there for an older one ({@link RecentIds}).
 */
public final class AccountState {

  private final int rememberedRequests;

  /**
   * What each recent id was used for and got, as {@link #memo}s. Made on the first request, so an
   * idle account carries no memory of ids.
   */
  private RecentIds<Object> answers;

  /** Ids kept until forgotten, with their {@link #memo} once answered (null before). */
  private Map<String, Object> kept;

  /** The kinds of request an id can be used for. */
  private enum Kind {
    DEPOSIT,
    WITHDRAWAL,
    BALANCE
  }

  /**
   * What a request id was first used for (its kind, amount and token) and the answer it got. The
   * fields, not a description: a request's words are built only to explain a refused reuse, never
   * on the way of every deposit.
   */
  private record Seen(String requestId, Kind kind, long amount, long token, Account.Reply answer) {

    /** The request and answer that {@code memo} stands for. */
    static Seen of(Object memo) {
      if (memo instanceof Seen seen) {
        return seen;
      } else if (memo instanceof Account.Deposited deposited) {
        return new Seen(deposited.requestId(), Kind.DEPOSIT, deposited.amount(), 0, deposited);
      } else if (memo instanceof Account.Withdrawn withdrawn) {
        return new Seen(withdrawn.requestId(), Kind.WITHDRAWAL, withdrawn.amount(), 0, withdrawn);
      }
      if (memo instanceof Account.BalanceIs read) {
        return new Seen(read.requestId(), Kind.BALANCE, 0, 0, read);
      }
      throw new IllegalStateException("not a remembered answer: " + memo);
    }

    /** The request id {@code memo} was remembered for. */
    static String idOf(Object memo) {
      if (memo instanceof Account.Deposited deposited) {
        return deposited.requestId();
      } else if (memo instanceof Seen seen) {
        return seen.requestId();
      } else if (memo instanceof Account.Withdrawn withdrawn) {
        return withdrawn.requestId();
      } else if (memo instanceof Account.BalanceIs read) {
        return read.requestId();
      }
      throw new IllegalStateException("not a remembered answer: " + memo);
    }

    boolean sameRequest(Kind kind, long amount, long token) {
      return this.kind == kind && this.amount == amount && this.token == token;
    }

    /** {@code a deposit of 10 with token 3}. */
    String request() {
      String tokenPart = token > 0 ? " with token " + token : "";
      return switch (kind) {
        case DEPOSIT -> "a deposit of " + amount + tokenPart;
        case WITHDRAWAL -> "a withdrawal of " + amount + tokenPart;
        case BALANCE -> "a balance query";
      };
    }
  }

  /** The answer to a request without an id (never remembered: there is no id to remember it by). */
  private static final Account.Rejected NO_ID =
      new Account.Rejected("a request needs a request id");

  private long balance;
  private long highestToken;
  private boolean tokenRequired;

  /**
   * @param initialBalance the opening balance, not negative
   * @param rememberedRequests how many recent request ids are remembered for deduplication, at
   *     least 1
   */
  public AccountState(long initialBalance, int rememberedRequests) {
    if (initialBalance < 0) {
      throw new IllegalArgumentException(
          "the opening balance must not be negative, was " + initialBalance);
    }
    if (rememberedRequests < 1) {
      throw new IllegalArgumentException(
          "rememberedRequests must be at least 1, was " + rememberedRequests);
    }
    this.balance = initialBalance;
    this.rememberedRequests = rememberedRequests;
  }

  /**
   * From now on, writes without a fencing token (token 0) are refused: the account takes writes
   * only from the holder of its lock.
   */
  public void requireToken() {
    tokenRequired = true;
  }

  /**
   * A new hold of the guarding lock was granted with {@code token}: lower tokens are stale from now
   * on, before the new holder has written anything.
   */
  public void fence(long token) {
    accept(token);
  }

  /** Adds {@code amount}; see the class comment for the refusals. */
  public Account.Reply deposit(String requestId, long amount, long token) {
    if (requestId == null || requestId.isBlank()) {
      return NO_ID;
    }
    Account.Reply known = replay(requestId, Kind.DEPOSIT, amount, token);
    if (known != null) {
      return known;
    }
    String refusal = refusal(amount, token);
    if (refusal == null && balance > Long.MAX_VALUE - amount) {
      refusal = "depositing " + amount + " would overflow the balance " + balance;
    }
    if (refusal != null) {
      return remember(requestId, Kind.DEPOSIT, amount, token, new Account.Rejected(refusal));
    }
    balance += amount;
    accept(token);
    return remember(
        requestId, Kind.DEPOSIT, amount, token, new Account.Deposited(requestId, amount, balance));
  }

  /** Takes {@code amount} out if the balance covers it; see the class comment for the refusals. */
  public Account.Reply withdraw(String requestId, long amount, long token) {
    if (requestId == null || requestId.isBlank()) {
      return NO_ID;
    }
    Account.Reply known = replay(requestId, Kind.WITHDRAWAL, amount, token);
    if (known != null) {
      return known;
    }
    String refusal = refusal(amount, token);
    if (refusal == null && amount > balance) {
      refusal = "insufficient funds: the balance is " + balance + ", " + amount + " was asked for";
    }
    if (refusal != null) {
      return remember(requestId, Kind.WITHDRAWAL, amount, token, new Account.Rejected(refusal));
    }
    balance -= amount;
    accept(token);
    return remember(
        requestId,
        Kind.WITHDRAWAL,
        amount,
        token,
        new Account.Withdrawn(requestId, amount, balance));
  }

  /**
   * The balance now (a read: remembered like any answer, so a repeated id sees the first figure).
   */
  public Account.Reply balance(String requestId) {
    if (requestId == null || requestId.isBlank()) {
      return NO_ID;
    }
    Account.Reply known = replay(requestId, Kind.BALANCE, 0, 0);
    return known != null
        ? known
        : remember(requestId, Kind.BALANCE, 0, 0, new Account.BalanceIs(requestId, balance));
  }

  public long balance() {
    return balance;
  }

  /**
   * Keeps the answer to {@code requestId} (already given, or to come) until {@link #forget},
   * outside the window of recent ids. A blank id is ignored.
   */
  public void keep(String requestId) {
    if (requestId == null || requestId.isBlank()) {
      return;
    }
    if (kept == null) {
      kept = new HashMap<>();
    }
    if (!kept.containsKey(requestId)) {
      kept.put(requestId, answers == null ? null : answers.remove(requestId));
    }
  }

  /**
   * Stops keeping {@code requestId} beyond the window: its answer goes back among the recent ones
   * and ages out with them, as if it had never been kept (a repeat soon after is still answered
   * from memory).
   */
  public void forget(String requestId) {
    Object memo = kept == null ? null : kept.remove(requestId);
    if (memo != null) {
      recent().put(requestId, memo);
    }
  }

  /** How many ids are kept now. */
  public int keptCount() {
    return kept == null ? 0 : kept.size();
  }

  /** The highest fencing token accepted so far (0 if none). */
  public long highestToken() {
    return highestToken;
  }

  /**
   * The first answer to a repeated request; a refusal if the id was first used for another request;
   * null if new.
   */
  private Account.Reply replay(String requestId, Kind kind, long amount, long token) {
    Object memo = memoOf(requestId);
    if (memo == null) {
      return null;
    }
    Seen seen = Seen.of(memo);
    if (!seen.sameRequest(kind, amount, token)) {
      return new Account.Rejected(
          "request id "
              + requestId
              + " was used for "
              + seen.request()
              + "; a new request needs a new id");
    }
    return seen.answer();
  }

  private Object memoOf(String requestId) {
    Object memo = kept == null ? null : kept.get(requestId);
    if (memo == null && answers != null) {
      memo = answers.get(requestId);
    }
    return memo;
  }

  private String refusal(long amount, long token) {
    if (amount <= 0) {
      return "the amount must be positive, was " + amount;
    }
    if (token < 0) {
      return "a fencing token is positive (or 0 for none), was " + token;
    }
    if (token == 0 && tokenRequired) {
      return "this account takes writes only under a fencing token (the token of the lock held)";
    }
    if (token > 0 && token < highestToken) {
      return "stale fencing token "
          + token
          + ": token "
          + highestToken
          + " has been granted since (or has written)";
    }
    return null;
  }

  private void accept(long token) {
    if (token > highestToken) {
      highestToken = token;
    }
  }

  /** Remembers {@code answer} in the kept ids if its id is kept, else among the recent ones. */
  private Account.Reply remember(
      String requestId, Kind kind, long amount, long token, Account.Reply answer) {
    Object memo = memo(requestId, kind, amount, token, answer);
    if (kept != null && kept.containsKey(requestId)) {
      kept.put(requestId, memo);
    } else {
      recent().put(requestId, memo);
    }
    return answer;
  }

  /**
   * What is remembered for a request: its answer alone when the answer tells the request too (a
   * deposit, withdrawal or read without a token, answered: the answer carries the kind by its type
   * and the amount), else a {@link Seen}. Most answers are of the first sort, so remembering them
   * allocates nothing beyond the answer itself; {@link Seen#of} reads either back.
   */
  private static Object memo(
      String requestId, Kind kind, long amount, long token, Account.Reply answer) {
    boolean told =
        token == 0
            && switch (kind) {
              case DEPOSIT -> answer instanceof Account.Deposited;
              case WITHDRAWAL -> answer instanceof Account.Withdrawn;
              case BALANCE -> answer instanceof Account.BalanceIs;
            };
    return told ? answer : new Seen(requestId, kind, amount, token, answer);
  }

  private RecentIds<Object> recent() {
    if (answers == null) {
      answers = new RecentIds<>(rememberedRequests, Seen::idOf);
    }
    return answers;
  }
}
