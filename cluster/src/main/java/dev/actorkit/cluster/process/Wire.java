package dev.actorkit.cluster.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * The frames between a process pool and its worker JVMs, over a loopback socket: a 4-byte length,
 * then that many bytes of JSON. Only JSON trees cross: no class is named on the wire and none is
 * built from it, so a worker can send nothing but values (Jackson maps them to the result type the
 * caller asked for).
 *
 * <ul>
 *   <li>worker to pool, once: {@code {"slot": 1, "generation": 3, "pid": 4242}}
 *   <li>pool to worker: {@code {"tasks": [{"id": 7, "name": "count-primes", "args": [100000]},
 *       ...]}}, run one after another in that order
 *   <li>worker to pool, per task in order: {@code {"id": 7, "value": 9592}} or {@code {"id": 7,
 *       "error": {"type": "java.lang.IllegalStateException", "message": "...", "trace": "..."}}}
 * </ul>
 *
 * <p>Not thread-safe: each stream has one reader and one writer.
 */
final class Wire {

  /** A frame longer than this is refused: a stream out of step, not a value. */
  static final int MAX_FRAME = 64 << 20;

  static final ObjectMapper JSON = new ObjectMapper();

  private Wire() {}

  static void write(DataOutputStream out, JsonNode frame) throws IOException {
    write(out, JSON.writeValueAsBytes(frame));
  }

  /** Writes a frame already encoded (see {@link #encode}). */
  static void write(DataOutputStream out, byte[] frame) throws IOException {
    out.writeInt(frame.length);
    out.write(frame);
  }

  static byte[] encode(JsonNode frame) {
    try {
      return JSON.writeValueAsBytes(frame);
    } catch (IOException e) {
      throw new IllegalArgumentException("not writable as JSON: " + e.getMessage(), e);
    }
  }

  /** The next frame, or null at the end of the stream. */
  static JsonNode read(DataInputStream in) throws IOException {
    int length;
    try {
      length = in.readInt();
    } catch (EOFException end) {
      return null;
    }
    if (length < 0 || length > MAX_FRAME) {
      throw new IOException("a frame of " + length + " bytes: the stream is out of step");
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return JSON.readTree(bytes);
  }
}
