package dev.actorkit.demos.scenarios;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.actorkit.cluster.ChildJvm;
import dev.actorkit.cluster.ClusterNames;
import dev.actorkit.cluster.ClusterNode;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.errors.EndOfStreamException;
import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.ScenarioContext;
import dev.actorkit.demos.ScenarioResult;
import dev.actorkit.demos.Story;
import dev.actorkit.demos.ThreadsTrace;
import dev.actorkit.patterns.pipe.Pipe;
import dev.actorkit.patterns.pipe.PipeClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Python's {@code multiprocessing.Pipe()} greeting: "Hello!" one way, "你好!" the other, then the end
 * of the stream once a side closes. First between two threads over two blocking queues, then
 * between two actor pipe ends in one JVM, then between this JVM and a child JVM it starts.
 */
public final class PipeScenario implements Scenario {

  /** The name the child's end is registered under in the cluster. */
  static final String CHILD_END = "pipe-demo-child-end";

  /** Python's end-of-file marker for the threads version: a queue has no close. */
  private static final Object EOF =
      new Object() {
        @Override
        public String toString() {
          return "the end marker";
        }
      };

  @Override
  public String name() {
    return "pipe";
  }

  @Override
  public String title() {
    return "multiprocessing.Pipe: Hello! / 你好! between two ends, then between two JVMs, then EOF after close";
  }

  @Override
  public ScenarioResult run(ScenarioContext context) throws Exception {
    Story story = context.story();
    AtomicInteger messages = new AtomicInteger();
    Set<Long> processes = new TreeSet<>();
    processes.add(ProcessHandle.current().pid());

    story.section("The Python original");
    story.note("from multiprocessing import Process, Pipe");
    story.note("def child(conn):");
    story.note("    print(conn.recv()); conn.send('你好!'); conn.close()");
    story.note("parent, end = Pipe()                      # duplex: both ends send and receive");
    story.note("Process(target=child, args=(end,)).start()");
    story.note("parent.send('Hello!'); print(parent.recv()); parent.recv()   # -> EOFError");

    boolean threadsEof = withThreads(context, messages);
    boolean actorsEof = withActors(context, story, messages);
    boolean jvmsEof = betweenJvms(context, story, messages, processes);

    boolean eofSeen = threadsEof && actorsEof && jvmsEof;
    story.section("What happened");
    story.note(
        "%d messages arrived, in order; the end of the stream was seen every time: %s; %d JVM processes took part.",
        messages.get(), eofSeen, processes.size());
    return ScenarioResult.of(eofSeen && messages.get() == 6 && processes.size() == 2)
        .with("messages", messages.get())
        .with("eof_seen", eofSeen)
        .with("processes", processes.size());
  }

  /** Two threads, two queues: a pipe by hand, with a marker object for the end of the stream. */
  private boolean withThreads(ScenarioContext context, AtomicInteger messages)
      throws InterruptedException {
    Story story = context.story();
    story.section("With two threads and two BlockingQueues");
    story.note("A duplex pipe is two queues, one per direction. A queue cannot be closed, so the");
    story.note("sender puts a marker object and the receiver must know to stop at it.");
    BlockingQueue<Object> toChild = new LinkedBlockingQueue<>();
    BlockingQueue<Object> toParent = new LinkedBlockingQueue<>();
    // Each queue is traced as the pipe end that keeps what arrives for its reader: greeting-1 is
    // the parent's end, greeting-2 the child's, as in the actor telling.
    ThreadsTrace childEnd = ThreadsTrace.of(context, "greeting-2");
    ThreadsTrace parentEnd = ThreadsTrace.of(context, "greeting-1");
    Thread child =
        new Thread(
            () -> {
              try {
                Object hello = childEnd.take(toChild);
                messages.incrementAndGet();
                story.say("child thread got %s", hello);
                parentEnd.put(toParent, "你好!");
                parentEnd.put(toParent, EOF);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "child");
    child.start();
    childEnd.put(toChild, "Hello!");
    Object reply = parentEnd.poll(toParent, 10, TimeUnit.SECONDS);
    messages.incrementAndGet();
    story.say("main thread got %s", reply);
    boolean eof = parentEnd.poll(toParent, 10, TimeUnit.SECONDS) == EOF;
    story.say("main thread got the end marker: %s", eof);
    child.join(TimeUnit.SECONDS.toMillis(10));
    return eof;
  }

  /**
   * The kit's pipe: two actor ends; close is part of the protocol, and recv after it raises
   * EndOfStream.
   */
  private boolean withActors(ScenarioContext context, Story story, AtomicInteger messages)
      throws InterruptedException {
    story.section("With a pipe of two actor ends, in this JVM");
    story.note(
        "PipeClient.open(kit, \"greeting\", true) is Pipe(duplex=True): each end is an actor that");
    story.note(
        "keeps what arrived for it, in order, and answers recv when there is something, or when");
    story.note(
        "the other end has closed and nothing is left (EndOfStreamException, Python's EOFError).");
    PipeClient.Ends pipe = PipeClient.open(context.kit(), "greeting", true);
    PipeClient parent = pipe.first();
    PipeClient childEnd = pipe.second();
    AtomicLong eofs = new AtomicLong();
    Thread child =
        new Thread(
            () -> {
              Object hello = childEnd.recv();
              messages.incrementAndGet();
              story.say("child got %s from its end of the pipe", hello);
              childEnd.send("你好!");
              childEnd.close();
              story.say("child closed its end");
            },
            "child");
    child.start();
    parent.send("Hello!");
    story.say("parent sent Hello!");
    Object reply = parent.recv(Duration.ofSeconds(10));
    messages.incrementAndGet();
    story.say("parent got %s", reply);
    try {
      parent.recv(Duration.ofSeconds(10));
    } catch (EndOfStreamException e) {
      eofs.incrementAndGet();
      story.say("parent's next recv: EndOfStreamException (the child closed, nothing was left)");
    }
    child.join(TimeUnit.SECONDS.toMillis(10));
    return eofs.get() == 1;
  }

  /**
   * The same ends, but the child's end is used from another JVM, found by name through the cluster.
   */
  private boolean betweenJvms(
      ScenarioContext context, Story story, AtomicInteger messages, Set<Long> processes)
      throws InterruptedException {
    story.section("Between two JVMs");
    story.note(
        "This JVM becomes an Akka Cluster node on 127.0.0.1, creates the pipe, registers the");
    story.note(
        "child's end under the name \"%s\" and starts a child JVM (Python's Process).", CHILD_END);
    story.note(
        "The child joins the cluster, looks the name up and moves that end into its own JVM");
    story.note(
        "(PipeClient.moveHere), as Python hands `end` to the child Process: from then on the");
    story.note(
        "parent's end sends straight to the child's JVM, and the child's recv is answered there.");
    story.note("Every value crosses once, as Jackson CBOR over TCP. Starting a JVM and joining a");
    story.note(
        "cluster take real seconds, so at a high --speed the time stamps below jump by minutes.");
    boolean eof = false;
    try (ActorKit node = ClusterNode.startFirst(quiet().withFallback(ClusterNode.port(0)))) {
      PipeClient.Ends pipe = PipeClient.open(node, "greeting", true);
      ClusterNames.register(node, CHILD_END, Pipe.Command.class, pipe.second().ref());
      String seed = ClusterNode.address(node);
      story.say("parent is cluster node %s", seed);
      try (ChildJvm child =
          ChildJvm.start(
              Child.class, List.of(seed), "  [child JVM] ", line -> story.note("%s", line))) {
        story.say("parent started child JVM pid %d", child.pid());
        PipeClient parent = pipe.first();
        parent.send("Hello!");
        story.say("parent sent Hello!");
        Object reply = parent.recv(NODE_WAIT);
        messages.incrementAndGet();
        story.say("parent got %s", reply);
        Object pid = parent.recv(NODE_WAIT);
        messages.incrementAndGet();
        processes.add(((Number) pid).longValue());
        story.say("the child says its pid is %s", pid);
        try {
          parent.recv(NODE_WAIT);
        } catch (EndOfStreamException e) {
          eof = true;
          story.say("parent's next recv: EndOfStreamException, across the JVM boundary too");
        }
        int exit = child.waitFor(Duration.ofSeconds(60));
        story.say("child JVM exited with code %d", exit);
      }
    }
    return eof;
  }

  /**
   * The cluster node runs at real time (speed 1): a child JVM's start-up does not speed up with the
   * story.
   */
  static final Duration NODE_WAIT = Duration.ofSeconds(60);

  /** Remoting warnings when the child leaves are expected here; a learner needs only errors. */
  static Config quiet() {
    return ConfigFactory.parseString("akka.loglevel = ERROR");
  }

  /**
   * A child JVM's quiet node on any free port, labelled so the parent's timeline names its
   * plain-Java calls {@code caller@LABEL} ({@link ClusterNode#named}).
   */
  static Config childNode(String label) {
    return ClusterNode.named(label).withFallback(quiet()).withFallback(ClusterNode.port(0));
  }

  /**
   * The child JVM: join, find the end by name, move it here, answer the greeting, say who it is,
   * close.
   */
  public static final class Child {
    public static void main(String[] args) {
      ChildJvm.exitWhenParentDies();
      try (ActorKit kit = ClusterNode.join(args[0], quiet().withFallback(ClusterNode.port(0)))) {
        Duration wait = Duration.ofSeconds(30);
        PipeClient end =
            PipeClient.moveHere(
                kit, ClusterNames.lookup(kit, CHILD_END, Pipe.Command.class, wait), wait);
        System.out.println(
            "child moved the end it looked up by name into its own JVM, now "
                + end.ref().path().toStringWithoutAddress());
        Object hello = end.recv(wait);
        System.out.println("child got " + hello);
        end.send("你好!");
        end.send(ProcessHandle.current().pid());
        end.close();
        System.out.println("child closed its end and leaves the cluster");
      }
      System.exit(0);
    }
  }
}
