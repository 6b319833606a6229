package dev.actorkit.cluster.process;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * The pool's end of one worker JVM's connection: a reader thread that hands every answer to {@code
 * onAnswer}, and a writer thread that sends what {@link #send} queued, so the pool actor never
 * blocks on the socket. Both end when the connection closes ({@link #close()}, or the worker's JVM
 * ending). Thread-safe.
 */
final class WorkerLink implements AutoCloseable {

  private static final JsonNode CLOSE = Wire.JSON.nullNode();

  private final Socket socket;
  private final long pid;
  private final LinkedBlockingQueue<JsonNode> outbox = new LinkedBlockingQueue<>();
  private volatile boolean started;

  WorkerLink(Socket socket, long pid) {
    this.socket = socket;
    this.pid = pid;
  }

  long pid() {
    return pid;
  }

  /**
   * Starts the threads; {@code in} is the socket's, after the hello was read. {@code onAnswer} gets
   * every frame the worker sends, then {@code onEnd} runs once, in the same thread, when the
   * connection ends in any way (so it comes after the last answer).
   */
  void start(String name, DataInputStream in, Consumer<JsonNode> onAnswer, Runnable onEnd)
      throws IOException {
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
    Thread reader =
        new Thread(
            () -> {
              try {
                JsonNode frame;
                while ((frame = Wire.read(in)) != null) {
                  onAnswer.accept(frame);
                }
              } catch (IOException closedOrGarbled) {
                // the worker is gone, the pool closed the link, or the stream is out of step
              } finally {
                onEnd.run();
              }
            },
            name + "-reader");
    Thread writer =
        new Thread(
            () -> {
              try {
                for (JsonNode frame = outbox.take(); frame != CLOSE; frame = outbox.take()) {
                  Wire.write(out, frame);
                  if (outbox.isEmpty()) {
                    out.flush();
                  }
                }
                out.flush(); // what was queued before close() goes out
              } catch (IOException | InterruptedException closed) {
                // nothing more can be sent
              }
              closeQuietly();
            },
            name + "-writer");
    started = true;
    reader.setDaemon(true);
    writer.setDaemon(true);
    reader.start();
    writer.start();
  }

  /** Queues a frame for the worker; never blocks. */
  void send(JsonNode frame) {
    outbox.add(frame);
  }

  /** Sends what is queued, then closes the connection: the worker exits when it reads the end. */
  @Override
  public void close() {
    if (started) {
      outbox.add(CLOSE);
    } else {
      closeNow(); // no writer thread to send anything
    }
  }

  /** Closes the connection now. */
  void closeNow() {
    outbox.clear();
    outbox.add(CLOSE);
    closeQuietly();
  }

  private void closeQuietly() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closed either way
    }
  }

  static DataInputStream input(Socket socket) throws IOException {
    return new DataInputStream(new BufferedInputStream(socket.getInputStream()));
  }
}
