package dev.actorkit.demos.scenarios;

import dev.actorkit.cluster.ChildJvm;
import dev.actorkit.cluster.ClusterNames;
import dev.actorkit.cluster.ClusterNode;
import dev.actorkit.core.ActorKit;
import dev.actorkit.demos.Scenario;
import dev.actorkit.demos.ScenarioContext;
import dev.actorkit.demos.ScenarioOption;
import dev.actorkit.demos.ScenarioResult;
import dev.actorkit.demos.Story;
import dev.actorkit.demos.ThreadsTrace;
import dev.actorkit.patterns.manager.SharedList;
import dev.actorkit.patterns.manager.SharedListClient;
import dev.actorkit.patterns.manager.SharedMap;
import dev.actorkit.patterns.manager.SharedMapClient;
import dev.actorkit.patterns.manager.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Python's {@code multiprocessing.Manager()}: a server process owns a dict and a list, and other
 * processes change them through proxies. Here the server is an actor per collection and the child
 * is a real second JVM that finds them by name.
 */
public final class ManagerScenario implements Scenario {

  static final String DICT = "manager-demo-dict";
  static final String LIST = "manager-demo-list";

  @Override
  public String name() {
    return "manager";
  }

  @Override
  public String title() {
    return "multiprocessing.Manager: a child JVM appends to a shared list and sets dict entries";
  }

  @Override
  public List<ScenarioOption> options() {
    return List.of(
        ScenarioOption.integer("items", 3, "how many list items and dict entries the child adds")
            .atLeast(1)
            .atMost(1000));
  }

  @Override
  @SuppressWarnings("try") // the subscription lasts the length of the block, never named in it
  public ScenarioResult run(ScenarioContext context) throws Exception {
    Story story = context.story();
    int items = context.intOption("items");

    story.section("The Python original");
    story.note("def f(d, l):");
    story.note(
        "    d['key-0'] = 0; l.append('item-0')         # through proxies to the manager process");
    story.note("with Manager() as m:");
    story.note("    d, l = m.dict(), m.list()");
    story.note("    p = Process(target=f, args=(d, l)); p.start(); p.join()");
    story.note("    print(d, l)");
    story.note(
        "The trap: d['fruits'] = []; d['fruits'].append('apple') changes a COPY in the child;");
    story.note("d['fruits'] stays [] and nothing says so.");

    withThreads(context, items);

    story.section("With a shared map and list served by actors, and a child JVM");
    story.note(
        "SharedMap and SharedList are actors that own their entries; a proxy sends each request");
    story.note(
        "and the actor does it in one step. The child JVM finds them by name through the cluster.");
    story.note(
        "Nested updates are explicit operations: dict.append(\"fruits\", \"apple\") asks the server to");
    story.note("append to the list it stores, so the Python trap cannot happen.");
    story.note(
        "(A JVM's start-up is real time: at a high --speed the time stamps jump by story minutes.)");
    try (ActorKit node =
            ClusterNode.startFirst(PipeScenario.quiet().withFallback(ClusterNode.port(0)));
        AutoCloseable traced = context.traceAlso(node)) {
      SharedMapClient dict = SharedMapClient.create(node, "dict");
      SharedListClient list = SharedListClient.create(node, "list");
      ClusterNames.register(node, DICT, SharedMap.Command.class, dict.ref());
      ClusterNames.register(node, LIST, SharedList.Command.class, list.ref());
      dict.append("pids", ProcessHandle.current().pid());
      String seed = ClusterNode.address(node);
      story.say(
          "parent (pid %d) serves the dict and the list on cluster node %s",
          ProcessHandle.current().pid(), seed);

      try (Subscription watching =
              list.subscribe(
                  change ->
                      story.say(
                          "parent sees list[%d] = %s", change.index(), change.after().value()));
          ChildJvm child =
              ChildJvm.start(
                  Child.class,
                  List.of(seed, Integer.toString(items)),
                  "  [child JVM] ",
                  line -> story.note("%s", line))) {
        story.say("parent started child JVM pid %d and waits for it (Process.join)", child.pid());
        int exit = child.waitFor(Duration.ofSeconds(90));
        story.say("child JVM exited with code %d", exit);
      }

      List<Object> seenList = list.snapshot();
      Map<String, Object> seenDict = dict.snapshot();
      story.say("parent prints the list: %s", seenList);
      story.say("parent prints the dict: %s", seenDict);
      @SuppressWarnings("unchecked")
      List<Object> pids = (List<Object>) seenDict.getOrDefault("pids", List.of());
      int processes = new HashSet<>(pids).size();
      int listSize = list.size();
      int dictSize = dict.size();
      boolean fruits = List.of("apple").equals(seenDict.get("fruits"));
      story.note("");
      story.note(
          "%d list items and %d dict entries, written by %d processes; d['fruits'] is %s.",
          listSize, dictSize, processes, seenDict.get("fruits"));
      return ScenarioResult.of(
              listSize == items && dictSize == items + 2 && processes == 2 && fruits)
          .with("list_size", listSize)
          .with("dict_size", dictSize)
          .with("processes", processes);
    }
  }

  /** Threads share memory: a concurrent map and a synchronized list need no server at all. */
  private static void withThreads(ScenarioContext context, int items) throws InterruptedException {
    Story story = context.story();
    // Named as the actor half's SharedMap and SharedList.
    ThreadsTrace dictTrace = ThreadsTrace.of(context, "dict");
    ThreadsTrace listTrace = ThreadsTrace.of(context, "list");
    story.section("With threads: one JVM, shared memory");
    story.note(
        "Threads of one process see the same objects, so a ConcurrentHashMap and a synchronized");
    story.note(
        "list are enough. Processes share no memory: that is why Python needs a manager process.");
    Map<String, Object> dict = new ConcurrentHashMap<>();
    List<Object> list = Collections.synchronizedList(new ArrayList<>());
    Thread worker =
        new Thread(
            () -> {
              for (int i = 0; i < items; i++) {
                list.add("item-" + i);
                listTrace.event("appended", "item-" + i);
                dict.put("key-" + i, i * i);
                dictTrace.event("set", "key-" + i);
              }
            },
            "worker");
    worker.start();
    worker.join();
    story.say("after worker.join(): list %s, dict has %d entries", list, dict.size());
  }

  /** The child JVM: join, find the dict and the list by name, write through the proxies. */
  public static final class Child {
    public static void main(String[] args) {
      ChildJvm.exitWhenParentDies();
      int items = Integer.parseInt(args[1]);
      try (ActorKit kit = ClusterNode.join(args[0], PipeScenario.childNode("child"))) {
        Duration lookup = Duration.ofSeconds(30);
        SharedMapClient dict =
            SharedMapClient.of(
                ClusterNames.lookup(kit, DICT, SharedMap.Command.class, lookup), kit.system());
        SharedListClient list =
            SharedListClient.of(
                ClusterNames.lookup(kit, LIST, SharedList.Command.class, lookup), kit.system());
        long pid = ProcessHandle.current().pid();
        System.out.println("child (pid " + pid + ") found the dict and the list by name");
        for (int i = 0; i < items; i++) {
          list.append("item-" + i + " from pid " + pid);
          dict.put("key-" + i, i * i);
        }
        dict.put("fruits", List.of());
        dict.append("fruits", "apple");
        dict.append("pids", pid);
        System.out.println(
            "child set "
                + items
                + " entries, appended "
                + items
                + " items and 'apple' to d['fruits']");
      }
      System.exit(0);
    }
  }
}
