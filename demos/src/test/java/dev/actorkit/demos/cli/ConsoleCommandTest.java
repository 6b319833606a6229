package dev.actorkit.demos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.actorkit.core.testing.EventStream;
import dev.actorkit.core.testing.ThreadDump;
import dev.actorkit.demos.DemoRun;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code actorkit-demos console}: the story waits for the page, the page sees it from its start,
 * and the console serves until Enter.
 */
class ConsoleCommandTest {

  private static final Pattern URL =
      Pattern.compile("The live console: (http://127\\.0\\.0\\.1:\\d+/)");

  /** What a command printed so far, waited on with a bound. */
  private static class Printed extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      bytes.write(b);
      notifyAll();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      bytes.write(b, off, len);
      notifyAll();
    }

    synchronized String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Waits up to 30 s for the text to match {@code pattern}; returns the match. */
    synchronized Matcher await(Pattern pattern) throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (true) {
        Matcher matcher = pattern.matcher(text());
        if (matcher.find()) {
          return matcher;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("never printed " + pattern + "; printed:\n" + text());
        }
        wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  @Test
  void theRoomWaitsForThePageWhichSeesItsGrantsAndTheConsoleServesUntilEnter() throws Exception {
    Printed printed = new Printed();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    PipedOutputStream keys = new PipedOutputStream();
    PipedInputStream in = new PipedInputStream(keys);
    CommandLine line = new CommandLine(new ConsoleCommand(out, out, in));
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(() -> line.execute("room", "--speed", "20"));

    URI console = URI.create(printed.await(URL).group(1));
    printed.await(Pattern.compile("starts when the page connects"));
    assertThat(printed.text()).doesNotContain("Running room");

    try (EventStream stream = EventStream.open(console)) {
      stream.await("state", "\"speed\":20.0");
      printed.await(Pattern.compile("Running room at speed 20.0"));
      stream.await("update", "\"actor\":\"primitives/room\",\"kind\":\"granted\"");
      printed.await(Pattern.compile("press Enter to close it"));
      assertThat(exit).isNotDone();

      keys.write('\n');
      keys.flush();
      assertThat(exitCode(exit, printed)).as(printed.text()).isZero();
      stream.await("bye");
    }
    assertThat(printed.text()).contains("room: ok.");
  }

  /**
   * The command's exit code, within 30 s; if it has not ended, what it printed and every thread.
   */
  private static int exitCode(CompletableFuture<Integer> exit, Printed printed) throws Exception {
    try {
      return exit.get(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(
          "the command did not end within 30 s of Enter; it printed:\n"
              + printed.text()
              + "\nthe threads:\n"
              + ThreadDump.all(),
          e);
    }
  }

  @Test
  void anEnterPressedWhileThePromptIsPrintedClosesIt() throws Exception {
    // The press that closes the console comes before the command's println of the prompt returns:
    // the keyboard's reader takes it while the command has not yet got past its prompt. It must
    // still count. (The first Enter starts the story; the reader runs from then on.)
    PipedOutputStream keys = new PipedOutputStream();
    ReadsCounted in = new ReadsCounted(new PipedInputStream(keys));
    Printed printed =
        new Printed() {
          private int pressed;

          @Override
          public synchronized void write(byte[] b, int off, int len) {
            super.write(b, off, len);
            if (pressed == 0 && text().contains("press Enter to start now")) {
              pressed++;
              press(keys);
            } else if (pressed == 1 && text().contains("press Enter to close it")) {
              pressed++;
              int readsBefore = in.reads();
              press(keys);
              // The reader's pending read returns the press; its next read comes only once it has
              // handed the press on, which is the moment the old order lost it.
              in.awaitReads(readsBefore + 1);
            }
          }
        };
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    CommandLine line = new CommandLine(new ConsoleCommand(out, out, in));
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(() -> line.execute("hello", "--speed", "50"));
    assertThat(exitCode(exit, printed)).as(printed.text()).isZero();
    assertThat(printed.text()).contains("hello: ok.");
  }

  private static void press(PipedOutputStream keys) {
    try {
      keys.write('\n');
      keys.flush();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** An input that counts the reads begun on it, and lets a test wait for a count. */
  private static final class ReadsCounted extends FilterInputStream {
    private int reads;

    ReadsCounted(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      begun();
      return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      begun();
      return super.read(b, off, len);
    }

    private synchronized void begun() {
      reads++;
      notifyAll();
    }

    synchronized int reads() {
      return reads;
    }

    /** Waits up to 10 s until {@code count} reads have begun. */
    synchronized void awaitReads(int count) {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      try {
        while (reads < count) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new AssertionError("the keyboard never read again after " + reads + " reads");
          }
          wait(Math.max(1, left / 1_000_000));
        }
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void aClosedInputStartsTheStoryAtOnceAndEndsWithIt() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int exit =
        new CommandLine(new ConsoleCommand(out, out, new ByteArrayInputStream(new byte[0])))
            .execute("hello", "--speed", "50");
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(text).isZero();
    assertThat(text).contains("The live console: http://127.0.0.1:", "hello: ok.");
  }

  @Test
  void isACommandOfTheCommandLineAndRefusesWhatItCannotRun() {
    assertThat(DemoRun.of("console", "--help").out())
        .contains("console", "--speed", "--port", "SCENARIO");
    DemoRun unknown = DemoRun.of("console", "no-such-scenario");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("no-such-scenario");
    assertThat(DemoRun.of("console", "room", "--speed", "0").exitCode()).isEqualTo(2);
    assertThat(DemoRun.of("console", "room", "--port", "70000").exitCode()).isEqualTo(2);
  }
}
