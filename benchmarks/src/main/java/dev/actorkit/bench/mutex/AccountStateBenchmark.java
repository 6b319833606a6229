package dev.actorkit.bench.mutex;

import dev.actorkit.patterns.account.Account;
import dev.actorkit.patterns.account.AccountState;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The account's own work for one deposit, without Akka: {@link AccountState#deposit} with a new
 * request id each time (the id check against the remembered ones, the rules, the balance, the
 * answer and remembering it), on one thread. {@link AccountBenchmark} measures the same deposits
 * through the actor; the difference between its floor and its account is this, plus what the
 * answer's memory costs the actor's caches.
 *
 * <p>The ids are made once, so each string's hash is computed on the first round and cached in the
 * string after that; a client's fresh id is hashed by the account, a few nanoseconds more for a
 * short id. Only the account uses {@code RecentIds} here, so the JIT sees one kind of value; in a
 * kit that also runs a shared map or a bank, the call that reads a value's id has more to choose
 * from.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AccountStateBenchmark {

  static final int DEPOSITS = 100_000;

  /** How many recent request ids the state remembers (the account's default is 10,000). */
  @Param({"10000"})
  public int remembered;

  private final String[] ids = new String[DEPOSITS];
  private AccountState state;

  @Setup(Level.Trial)
  public void start() {
    for (int i = 0; i < DEPOSITS; i++) {
      ids[i] = "0-" + i;
    }
    state = new AccountState(0, remembered);
  }

  /** One deposit per id, each id new to the state (it comes back 100,000 deposits later). */
  @Benchmark
  @OperationsPerInvocation(DEPOSITS)
  public Account.Reply depositNewId() {
    Account.Reply last = null;
    for (String id : ids) {
      last = state.deposit(id, 1, 0);
    }
    return last;
  }
}
