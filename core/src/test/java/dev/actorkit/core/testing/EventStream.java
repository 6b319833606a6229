package dev.actorkit.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A live console's {@code /events} ({@link dev.actorkit.core.console.KitConsole}) read as a browser
 * reads it, on a thread of its own: each server-sent event as its name and data line, kept in
 * order, and waited for with a bound.
 */
public final class EventStream implements AutoCloseable {

  /** One server-sent event: its {@code event:} name and its {@code data:} line. */
  public record Message(String event, String data) {}

  private final HttpResponse<InputStream> response;
  private final List<Message> messages = new ArrayList<>();
  private boolean ended;

  private EventStream(HttpResponse<InputStream> response) {
    this.response = response;
    Thread reader = new Thread(this::read, "event-stream-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Opens {@code console}'s event stream; fails unless it answers 200 with an event stream. */
  public static EventStream open(URI console) throws IOException, InterruptedException {
    HttpResponse<InputStream> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(console.resolve("/events"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    String type = response.headers().firstValue("Content-Type").orElse("");
    if (response.statusCode() != 200 || !type.startsWith("text/event-stream")) {
      response.body().close();
      throw new IOException("not an event stream: " + response.statusCode() + " " + type);
    }
    return new EventStream(response);
  }

  private void read() {
    String event = "message";
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith("event: ")) {
          event = line.substring("event: ".length());
        } else if (line.startsWith("data: ")) {
          synchronized (this) {
            messages.add(new Message(event, line.substring("data: ".length())));
            notifyAll();
          }
        } else if (line.isEmpty()) {
          event = "message";
        }
      }
    } catch (IOException closed) {
      // The stream was closed by the test or by the console: that is its end.
    } finally {
      synchronized (this) {
        ended = true;
        notifyAll();
      }
    }
  }

  /**
   * Waits up to 10 s for a message named {@code event} whose data contains every one of {@code
   * parts}, among those received so far and those to come; returns its data.
   *
   * @throws AssertionError if none comes in time
   */
  public synchronized String await(String event, String... parts) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    int from = 0;
    while (true) {
      for (; from < messages.size(); from++) {
        Message message = messages.get(from);
        if (message.event().equals(event)
            && Arrays.stream(parts).allMatch(part -> message.data().contains(part))) {
          return message.data();
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0 || ended) {
        throw new AssertionError(
            "no "
                + event
                + " message containing "
                + Arrays.toString(parts)
                + (ended ? " before the stream ended" : " within 10 s")
                + "; received: "
                + messages);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /** Waits up to 10 s for the stream to end (the console closed it); whether it did. */
  public synchronized boolean awaitEnd() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!ended) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    response.body().close();
  }
}
