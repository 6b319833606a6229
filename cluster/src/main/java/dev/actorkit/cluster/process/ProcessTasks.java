package dev.actorkit.cluster.process;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The tasks a {@link ProcessPool}'s worker JVMs can run, by name: what Python pickles as a function
 * reference, said out loud. Implement it in a public class with a public no-argument constructor;
 * the pool names that class to every worker JVM, which builds it and registers its tasks. The pool
 * builds it too, to refuse unknown names when they are submitted.
 *
 * <pre>{@code
 * public final class PrimeTasks implements ProcessTasks {
 *   @Override
 *   public void register(Registry tasks) {
 *     tasks.add("count-primes", args -> Primes.countBelow(args.getInt(0)));
 *   }
 * }
 * }</pre>
 *
 * <p>Arguments and results cross as JSON: numbers, strings, booleans, lists, maps, and records or
 * beans that Jackson reads and writes. A task runs in the worker JVM's main thread, one at a time;
 * what it prints goes to the pool's output with the worker's name in front.
 */
public interface ProcessTasks {

  /** Adds this set's tasks to {@code tasks}. */
  void register(Registry tasks);

  /** One task: its arguments in, its result out (a value Jackson can write, or null). */
  @FunctionalInterface
  interface Task {
    Object run(Args args) throws Exception;
  }

  /** The tasks by name, in the order they were added. */
  final class Registry {
    private final Map<String, Task> tasks = new LinkedHashMap<>();

    /**
     * Registers {@code task} under {@code name}.
     *
     * @throws IllegalArgumentException if the name is blank or already taken
     */
    public Registry add(String name, Task task) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("a task name must not be blank");
      }
      Objects.requireNonNull(task, "task");
      if (tasks.putIfAbsent(name, task) != null) {
        throw new IllegalArgumentException("the task name '" + name + "' is registered twice");
      }
      return this;
    }

    Task task(String name) {
      return tasks.get(name);
    }

    Set<String> names() {
      return tasks.keySet();
    }

    /** Builds {@code type} and registers its tasks. */
    static Registry of(Class<? extends ProcessTasks> type) {
      ProcessTasks set;
      try {
        set = type.getConstructor().newInstance();
      } catch (ReflectiveOperationException e) {
        throw new IllegalArgumentException(
            type.getName() + " needs a public no-argument constructor", e);
      }
      Registry registry = new Registry();
      set.register(registry);
      return registry;
    }
  }

  /** A task's arguments, as they came over the wire. */
  final class Args {
    private final JsonNode values;

    Args(JsonNode values) {
      this.values = values;
    }

    public int size() {
      return values.size();
    }

    /** Argument {@code index} as {@code type} (Jackson's conversion). */
    public <A> A get(int index, Class<A> type) {
      return Wire.JSON.convertValue(at(index), type);
    }

    public int getInt(int index) {
      return at(index).asInt();
    }

    public long getLong(int index) {
      return at(index).asLong();
    }

    public double getDouble(int index) {
      return at(index).asDouble();
    }

    public String getString(int index) {
      return at(index).asText();
    }

    private JsonNode at(int index) {
      if (index < 0 || index >= values.size()) {
        throw new IndexOutOfBoundsException("argument " + index + " of " + values.size());
      }
      return values.get(index);
    }

    @Override
    public String toString() {
      return values.toString();
    }
  }
}
