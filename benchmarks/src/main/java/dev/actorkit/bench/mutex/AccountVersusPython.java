package dev.actorkit.bench.mutex;

import static dev.actorkit.bench.ForkSummary.median;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * The account against Python's lock account within the same minute, round after round: on a machine
 * whose speed changes from one minute to the next (benchmarks/README.md, "the dispatcher's two
 * modes"), a JMH run of the account and a Python run a few minutes later can disagree by more than
 * the difference they are meant to show. Each round runs, in a rotating order, one round of {@code
 * benchmarks/python/lock_account_baseline.py} (4 threads, 1,000,000 deposits each), then {@link
 * AccountBenchmark}'s four senders against the account and against its raw-Akka floor, and prints
 * the three rates and the account's ratios to them.
 *
 * <pre>
 * java -cp benchmarks/target/actorkit-benchmarks.jar dev.actorkit.bench.mutex.AccountVersusPython 12
 * </pre>
 *
 * Arguments: rounds (12), the Python script (as above, from the repository's root), the dispatcher
 * ({@code coordination}). The account runs as in {@link AccountBenchmark} (remembering 10,000 ids,
 * each sender going round 12,288), and the run ends with its balance check.
 */
public final class AccountVersusPython {

  /** Invocations of {@link AccountBenchmark} per measurement: 2,000,000 deposits. */
  private static final int INVOCATIONS = 5;

  private static final int WARM_UP_INVOCATIONS = 25;

  private AccountVersusPython() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
    String script = args.length > 1 ? args[1] : "benchmarks/python/lock_account_baseline.py";
    AccountBenchmark bench = new AccountBenchmark();
    bench.dispatcher = args.length > 2 ? args[2] : "coordination";
    bench.remembered = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
    bench.idsPerSender = args.length > 4 ? Integer.parseInt(args[4]) : 12_288;
    bench.start();
    List<Double> python = new ArrayList<>();
    List<Double> account = new ArrayList<>();
    List<Double> floor = new ArrayList<>();
    try {
      for (int i = 0; i < WARM_UP_INVOCATIONS; i++) {
        bench.accountActor4Senders();
        bench.floorEchoAccount4Senders();
      }
      for (int round = 0; round < rounds; round++) {
        DoubleSupplier[] order = {
          () -> pythonRate(script),
          () -> rate(bench::accountActor4Senders),
          () -> rate(bench::floorEchoAccount4Senders)
        };
        double[] rates = new double[3];
        for (int k = 0; k < 3; k++) {
          int which = (round + k) % 3; // rotated, so no side always runs first
          rates[which] = order[which].getAsDouble();
        }
        python.add(rates[0]);
        account.add(rates[1]);
        floor.add(rates[2]);
        System.out.printf(
            Locale.ROOT,
            "round %2d: Python lock %.2fM/s, account %.2fM/s, floor %.2fM/s;"
                + " account/Python %.2f, account/floor %.2f%n",
            round + 1,
            rates[0] / 1e6,
            rates[1] / 1e6,
            rates[2] / 1e6,
            rates[1] / rates[0],
            rates[1] / rates[2]);
      }
    } finally {
      bench.stop();
    }
    List<Double> overPython = ratios(account, python);
    List<Double> overFloor = ratios(account, floor);
    System.out.printf(
        Locale.ROOT,
        "%d rounds, median (lowest-highest): Python lock %.2fM/s, account %.2fM/s, floor %.2fM/s;"
            + " account/Python %.2f (%.2f-%.2f), account/floor %.2f (%.2f-%.2f)%n",
        rounds,
        median(python) / 1e6,
        median(account) / 1e6,
        median(floor) / 1e6,
        median(overPython),
        Collections.min(overPython),
        Collections.max(overPython),
        median(overFloor),
        Collections.min(overFloor),
        Collections.max(overFloor));
    System.exit(0);
  }

  private interface Invocation {
    void run() throws InterruptedException;
  }

  /** Deposits per second over {@link #INVOCATIONS} invocations. */
  private static double rate(Invocation invocation) {
    try {
      long start = System.nanoTime();
      for (int i = 0; i < INVOCATIONS; i++) {
        invocation.run();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return (double) INVOCATIONS * AccountBenchmark.OPERATIONS / seconds;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** One round of the Python script: its deposits per second. */
  private static double pythonRate(String script) {
    try {
      File out = File.createTempFile("lock-account", ".txt");
      try {
        Process python =
            new ProcessBuilder("python3", script, "1000000", "1")
                .redirectErrorStream(true)
                .redirectOutput(out)
                .start();
        if (!python.waitFor(2, TimeUnit.MINUTES)) {
          python.destroyForcibly();
          throw new IllegalStateException("python3 " + script + " did not finish in 2 minutes");
        }
        String rate = null;
        for (String line : Files.readAllLines(out.toPath(), StandardCharsets.UTF_8)) {
          if (line.contains("median deposits/s")) {
            rate = line.substring(line.lastIndexOf(' ') + 1).replace(",", "");
          }
        }
        if (python.exitValue() != 0 || rate == null) {
          throw new IllegalStateException("python3 " + script + " gave no rate");
        }
        return Double.parseDouble(rate);
      } finally {
        Files.deleteIfExists(out.toPath());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run python3 " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<Double> ratios(List<Double> top, List<Double> bottom) {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < top.size(); i++) {
      ratios.add(top.get(i) / bottom.get(i));
    }
    return ratios;
  }
}
