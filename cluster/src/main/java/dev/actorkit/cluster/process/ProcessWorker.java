package dev.actorkit.cluster.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.actorkit.cluster.ChildJvm;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;

/**
 * The main class of a {@link ProcessPool}'s worker JVM (started by the pool, not by users).
 * Arguments: the pool's loopback port, this worker's slot and generation, the pool's token (a
 * stranger on the loopback interface cannot pass for a worker), and the {@link ProcessTasks} class.
 * It connects, says who it is, then runs the tasks it is sent one after another and answers each in
 * order. It exits when the pool closes the connection, and when the parent JVM dies (even by
 * SIGKILL).
 *
 * <p>A task that throws is answered with the exception's class name, message and stack trace; a
 * {@link VirtualMachineError} (out of memory, a stack overflow) ends the JVM with exit code 70, as
 * any other death of the process would: the pool fails that task alone and starts a new worker.
 */
public final class ProcessWorker {

  /** The exit code after a {@link VirtualMachineError} in a task. */
  public static final int EXIT_VM_ERROR = 70;

  private ProcessWorker() {}

  public static void main(String[] args) throws Exception {
    ChildJvm.exitWhenParentDies();
    int port = Integer.parseInt(args[0]);
    int slot = Integer.parseInt(args[1]);
    int generation = Integer.parseInt(args[2]);
    String token = args[3];
    ProcessTasks.Registry registry =
        ProcessTasks.Registry.of(Class.forName(args[4]).asSubclass(ProcessTasks.class));
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setTcpNoDelay(true);
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
      ObjectNode hello =
          Wire.JSON
              .createObjectNode()
              .put("slot", slot)
              .put("generation", generation)
              .put("token", token)
              .put("pid", ProcessHandle.current().pid());
      Wire.write(out, hello);
      out.flush();
      JsonNode frame;
      while ((frame = Wire.read(in)) != null) {
        for (JsonNode task : frame.get("tasks")) {
          Wire.write(out, answer(registry, task));
          out.flush(); // each answer goes at once: the next task may be long
        }
      }
    } catch (IOException parentGone) {
      // the pool closed the connection or its JVM died: nothing is left to answer
    }
    System.exit(0);
  }

  /**
   * The task's answer, encoded; an answer too long for a frame is replaced by an error that says
   * so.
   */
  private static byte[] answer(ProcessTasks.Registry registry, JsonNode task) {
    ObjectNode answer = run(registry, task);
    byte[] bytes;
    try {
      bytes = Wire.encode(answer);
    } catch (IllegalArgumentException unwritable) {
      return Wire.encode(error(answer.get("id").asLong(), unwritable));
    }
    if (bytes.length > Wire.MAX_FRAME) {
      return Wire.encode(
          error(
              answer.get("id").asLong(),
              new IllegalStateException(
                  "the result of task '"
                      + task.get("name").asText()
                      + "' is "
                      + bytes.length
                      + " bytes of JSON, more than a frame holds ("
                      + Wire.MAX_FRAME
                      + ")")));
    }
    return bytes;
  }

  private static ObjectNode error(long id, Throwable failure) {
    ObjectNode answer = Wire.JSON.createObjectNode().put("id", id);
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    answer
        .putObject("error")
        .put("type", failure.getClass().getName())
        .put("message", String.valueOf(failure.getMessage()))
        .put("trace", trace.toString());
    return answer;
  }

  private static ObjectNode run(ProcessTasks.Registry registry, JsonNode task) {
    long id = task.get("id").asLong();
    String name = task.get("name").asText();
    try {
      ProcessTasks.Task body = registry.task(name);
      if (body == null) {
        throw new IllegalArgumentException("no task named '" + name + "' in this worker");
      }
      Object value = body.run(new ProcessTasks.Args(task.get("args")));
      ObjectNode answer = Wire.JSON.createObjectNode().put("id", id);
      answer.set("value", Wire.JSON.valueToTree(value));
      return answer;
    } catch (VirtualMachineError fatal) {
      fatal.printStackTrace();
      Runtime.getRuntime().halt(EXIT_VM_ERROR);
      throw fatal; // not reached
    } catch (Throwable failure) {
      return error(id, failure);
    }
  }
}
