package dev.actorkit.core.console;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.actorkit.core.ActorKit;
import dev.actorkit.core.ActorNode;
import dev.actorkit.core.KitClock;
import dev.actorkit.core.trace.TraceEvent;
import dev.actorkit.core.trace.Tracer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read-only live page of one kit, served on the loopback interface: the actor tree with each
 * actor's dispatcher, every primitive's holders (with fencing token and since when) and waiters in
 * queue order, the last level each reported, the wait-for graph with its deadlocks marked and the
 * cycles the deadlock detector reported, and the last events. Start it with {@link
 * ActorKit#console(int)}; closing the kit closes it.
 *
 * <h2>Endpoints</h2>
 *
 * All on {@link #uri()}, all {@code GET} only (anything else is answered {@code 405}), and only for
 * a {@code Host} header that names the loopback interface ({@code 127.0.0.1}, {@code localhost} or
 * {@code [::1]}, else {@code 403}), so a web page elsewhere cannot read it through DNS rebinding:
 *
 * <ul>
 *   <li>{@code /}: the page, self-contained (its script and style are inline; it loads nothing from
 *       the network, and its Content-Security-Policy forbids it to);
 *   <li>{@code /state}: the whole state as one JSON object ({@code kit}, {@code speed}, {@code
 *       now}, {@code liveFrom}, {@code folded}, {@code dropped}, {@code primitives}, {@code graph},
 *       {@code detected}, {@code recent}, {@code tree}); times are seconds of story time;
 *   <li>{@code /events}: a {@code text/event-stream} (server-sent events). It starts with one
 *       {@code state} event (the same object as {@code /state}); then, at most every 50 ms while
 *       anything happened, one {@code update} event whose data line holds the events folded since
 *       the last (at most 200 of them; {@code skipped} counts the rest), the new state of each
 *       primitive they touched, the wait-for graph and the detected deadlocks; a {@code tree} event
 *       whenever the actor tree changed (checked every second); a comment line every 5 s to notice
 *       pages that went away; and a {@code bye} event when the console closes. At most 16 streams
 *       at once; more are answered {@code 503}.
 * </ul>
 *
 * <h2>Costs nothing while nobody watches</h2>
 *
 * The console listens to the kit's {@link Tracer} only while it is watched: from the first request
 * to {@code /events} or {@code /state} until 10 s (real time) after the last stream closed or the
 * last {@code /state} was answered (the grace lets a reloaded page keep what was seen). The rest of
 * the time no listener is registered, so the kit's emitters pay what they pay with tracing off: one
 * volatile read. Therefore the page is <em>live from</em> the moment watching began ({@code
 * liveFrom}): what was granted before that is not known, and the page says so. A program that wants
 * a whole story on the page waits for {@link #firstViewer()} before starting it, as {@code
 * actorkit-demos console} does.
 *
 * <p>While watched, the listener runs on the emitting thread (often a pattern actor's) and only
 * appends the event to a lock-free inbox of at most 65,536 events; an event that finds it full is
 * counted in {@link #dropped()} (shown on the page, whose picture may then miss a grant or a
 * release) and the emitter goes on. The events are folded in by the console's own thread (named
 * {@code actorkit-console-KIT-PORT}), never by an actor's or a dispatcher's; each page's stream is
 * written by a thread of the console's small HTTP pool ({@code actorkit-console-KIT-PORT-http-N}),
 * from a backlog of at most 64 messages (an {@code update} may be tens of kilobytes): a page that
 * falls further behind, or stops reading while it keeps its connection open, is cut off (a write
 * blocked on it is interrupted, which frees its thread and its place among the 16), and the browser
 * reconnects and starts again from a fresh {@code state}. The JDK's HTTP server also runs one
 * thread of its own, named {@code HTTP-Dispatcher}. Two short-lived threads complete {@link
 * #firstViewer()} ({@code actorkit-console-KIT-PORT-first-viewer}) and close the console when the
 * kit's actor system terminates ({@code actorkit-console-KIT-PORT-close}), so that neither the
 * callbacks attached to the one nor the wait of the other runs on the console's thread or an Akka
 * thread.
 *
 * <p>What the page shows is read from the events as {@link ConsoleModel} states: only primitives
 * whose events name their participant and use {@link dev.actorkit.core.trace.TraceKind}'s kinds get
 * holders and waiters.
 *
 * <p>Thread-safe. {@link #close()} stops serving, frees the port and ends the console's threads; it
 * is idempotent.
 */
public final class KitConsole implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KitConsole.class);

  /** How many events may wait in the inbox for the console's thread; later ones are dropped. */
  static final int INBOX_CAPACITY = 65_536;

  /**
   * How many messages may wait for one page; a page further behind is cut off. Few, because an
   * {@code update} may be tens of kilobytes and up to {@value #MAX_VIEWERS} pages may lag at once;
   * a page that lost its place reconnects to a fresh state, which is all it would have caught up
   * to.
   */
  static final int VIEWER_BACKLOG = 64;

  /** How many event streams may be open at once. */
  static final int MAX_VIEWERS = 16;

  /** How many events one {@code update} carries at most; the others are only counted. */
  static final int EVENTS_PER_UPDATE = 200;

  /** How many events the console's thread folds before it looks at its other work. */
  private static final int FOLD_BATCH = 10_000;

  /** How often the console's thread folds events while it listens. */
  static final Duration CYCLE = Duration.ofMillis(50);

  /** How often the actor tree is read while a page is open. */
  static final Duration TREE_EVERY = Duration.ofSeconds(1);

  /**
   * How long the console keeps listening after it was last watched, and how often an idle stream
   * gets a comment (to find pages that went away); tests shorten both.
   */
  record Timing(Duration linger, Duration keepAlive) {
    static final Timing DEFAULTS = new Timing(Duration.ofSeconds(10), Duration.ofSeconds(5));
  }

  /** How long a {@code /state} request waits for the console's thread. */
  private static final Duration STATE_WAIT = Duration.ofSeconds(5);

  private static final byte[] PAGE = page();

  /** Ends a page's stream; every real message is longer. */
  private static final String END = "";

  private final ActorKit kit;
  private final Tracer tracer;
  private final KitClock clock;
  private final HttpServer server;
  private final ThreadPoolExecutor exchanges;
  private final Thread worker;
  private final URI uri;
  private final String name;
  private final Timing timing;

  private final ConcurrentLinkedQueue<TraceEvent> inbox = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inboxSize = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final Object wake = new Object();
  private final AtomicInteger streams = new AtomicInteger();
  private final CompletableFuture<Void> firstViewer = new CompletableFuture<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CompletableFuture<Void> shut = new CompletableFuture<>();

  /** Completes when the console's thread has run its last task: nothing submitted after runs. */
  private final CompletableFuture<Void> workerEnded = new CompletableFuture<>();

  /**
   * The console, for the actor system's termination to close; emptied by {@link #close()}, so that
   * the callback left on the system's termination does not keep a closed console reachable.
   */
  private final AtomicReference<KitConsole> closeOnTermination = new AtomicReference<>();

  // Owned by the worker thread alone.
  private ConsoleModel model;
  private AutoCloseable listening;
  private long lastWatched;
  private long treeReadAt;
  private String treeText = "";
  private boolean firstViewerTold;
  private final List<Viewer> viewers = new ArrayList<>();

  private KitConsole(ActorKit kit, int port, Timing timing) {
    this.kit = kit;
    this.timing = timing;
    this.tracer = kit.tracer();
    this.clock = kit.clock();
    try {
      this.server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (BindException taken) {
      throw new UncheckedIOException(
          "the console cannot listen on 127.0.0.1:" + port + ": " + taken.getMessage(), taken);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    InetSocketAddress bound = server.getAddress();
    String host = bound.getAddress().getHostAddress();
    this.uri =
        URI.create(
            "http://"
                + (host.contains(":") ? "[" + host + "]" : host)
                + ":"
                + bound.getPort()
                + "/");
    this.name = "actorkit-console-" + kit.system().name() + "-" + bound.getPort();
    AtomicInteger threads = new AtomicInteger();
    this.exchanges =
        new ThreadPoolExecutor(
            MAX_VIEWERS + 4,
            MAX_VIEWERS + 4,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            work -> {
              Thread thread = new Thread(work, name + "-http-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    exchanges.allowCoreThreadTimeOut(true);
    server.setExecutor(exchanges);
    server.createContext("/", this::handle);
    this.worker = new Thread(this::work, name);
    worker.setDaemon(true);
  }

  /**
   * Starts a console for {@code kit} on 127.0.0.1 ({@link InetAddress#getLoopbackAddress()}), port
   * {@code port}, or any free port if it is 0. {@link ActorKit#console(int)} calls this and closes
   * the console with the kit; it is the usual way. The console also closes when the kit's actor
   * system terminates.
   *
   * @throws UncheckedIOException if the port cannot be had (taken, or not allowed)
   * @throws IllegalArgumentException if {@code port} is not between 0 and 65535
   */
  public static KitConsole start(ActorKit kit, int port) {
    return start(kit, port, Timing.DEFAULTS);
  }

  static KitConsole start(ActorKit kit, int port, Timing timing) {
    KitConsole console = new KitConsole(kit, port, timing);
    console.worker.start();
    console.server.start();
    // close() waits for the console's threads, so not on the Akka thread that completes the
    // termination; and the callback holds the console only until it is closed
    AtomicReference<KitConsole> toClose = console.closeOnTermination;
    toClose.set(console);
    String closer = console.name + "-close";
    kit.system()
        .getWhenTerminated()
        .thenRunAsync(
            () -> {
              KitConsole open = toClose.getAndSet(null);
              if (open != null) {
                open.close();
              }
            },
            task -> startThread(closer, task));
    return console;
  }

  /** Runs {@code task} on a new daemon thread named {@code name}. */
  private static void startThread(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Where the page is: {@code http://127.0.0.1:PORT/}. */
  public URI uri() {
    return uri;
  }

  /** The port the console listens on. */
  public int port() {
    return uri.getPort();
  }

  /** How many pages have the event stream open now. */
  public int viewers() {
    return streams.get();
  }

  /**
   * Completes when the first page has opened the event stream and the console listens: from then on
   * every event is on the page. Completes at most once, on a short-lived thread of its own (so a
   * callback attached before runs there, never on the console's thread); is cancelled if the
   * console closes before any page connects.
   */
  public CompletionStage<Void> firstViewer() {
    return firstViewer.minimalCompletionStage();
  }

  /**
   * Completes once the console has closed (its port freed and its threads ended), whoever closed
   * it: its owner, the kit's close, or the actor system's termination. Callbacks attached before
   * run on the thread that closed it; {@link ActorKit} uses this to forget a closed console.
   */
  public CompletionStage<Void> whenClosed() {
    return shut.minimalCompletionStage();
  }

  /** How many events were not shown because the console's inbox was full. */
  public long dropped() {
    return dropped.get();
  }

  /**
   * Stops serving: each open page gets a {@code bye}, the port is freed, the listener is removed
   * and the console's threads end. Returns once they have. Safe to call more than once.
   */
  @Override
  public void close() {
    closeOnTermination.set(null);
    if (!closed.compareAndSet(false, true)) {
      // Another thread (the kit's close, or its termination) is closing it: wait for that.
      try {
        shut.get(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        log.warn("The console {} did not finish closing: {}", uri, e.toString());
      }
      return;
    }
    try {
      shutDown();
    } finally {
      shut.complete(null);
    }
  }

  private void shutDown() {
    wake();
    try {
      worker.join(TimeUnit.SECONDS.toMillis(5));
      // The streams write their bye and end by themselves; give them a moment before the server
      // closes their connections under them.
      exchanges.shutdown();
      exchanges.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.stop(0);
    exchanges.shutdownNow();
    try {
      exchanges.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    firstViewer.cancel(false);
  }

  @Override
  public String toString() {
    return "KitConsole[" + uri + "]";
  }

  // ---- HTTP, on the server's pool ----

  private void handle(HttpExchange exchange) throws IOException {
    try {
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        respond(exchange, 405, "text/plain", "The console is read-only: only GET.\n");
        return;
      }
      if (!loopbackHost(exchange.getRequestHeaders().getFirst("Host"))) {
        respond(exchange, 403, "text/plain", "The console answers only to 127.0.0.1.\n");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      switch (path) {
        case "/", "/index.html" -> page(exchange);
        case "/state" -> state(exchange);
        case "/events" -> events(exchange);
        default -> respond(exchange, 404, "text/plain", "No such page: " + path + "\n");
      }
    } finally {
      exchange.close();
    }
  }

  private void page(HttpExchange exchange) throws IOException {
    exchange
        .getResponseHeaders()
        .set(
            "Content-Security-Policy",
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline';"
                + " connect-src 'self'; img-src data:");
    respond(exchange, 200, "text/html; charset=utf-8", PAGE);
  }

  private void state(HttpExchange exchange) throws IOException {
    if (closed.get()) {
      respond(exchange, 503, "text/plain", "The console is closed.\n");
      return;
    }
    CompletableFuture<String> answer = new CompletableFuture<>();
    submit(
        () -> {
          try {
            watch();
            fold();
            answer.complete(Json.write(snapshot()));
          } catch (RuntimeException e) {
            answer.completeExceptionally(e);
            throw e;
          }
        });
    try {
      // A task submitted after the console's thread ran its last never runs: stop waiting then.
      CompletableFuture.anyOf(answer, workerEnded)
          .get(STATE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (!answer.isDone()) {
        respond(exchange, 503, "text/plain", "The console is closed.\n");
        return;
      }
      respond(exchange, 200, "application/json", answer.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      respond(exchange, 503, "text/plain", "The console is closing.\n");
    } catch (ExecutionException e) {
      respond(exchange, 500, "text/plain", "The console failed to read its state.\n");
    } catch (TimeoutException e) {
      respond(exchange, 503, "text/plain", "The console did not answer in time.\n");
    }
  }

  private void events(HttpExchange exchange) throws IOException {
    if (closed.get()) {
      respond(exchange, 503, "text/plain", "The console is closed.\n");
      return;
    }
    if (streams.incrementAndGet() > MAX_VIEWERS) {
      streams.decrementAndGet();
      respond(exchange, 503, "text/plain", "Too many pages are open on this console.\n");
      return;
    }
    Viewer viewer = new Viewer(Thread.currentThread());
    try {
      Headers headers = exchange.getResponseHeaders();
      headers.set("Content-Type", "text/event-stream; charset=utf-8");
      headers.set("Cache-Control", "no-store");
      headers.set("X-Content-Type-Options", "nosniff");
      exchange.sendResponseHeaders(200, 0);
      OutputStream body = exchange.getResponseBody();
      body.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
      body.flush();
      submit(() -> join(viewer));
      while (true) {
        String message = viewer.outbox.poll(timing.keepAlive().toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
          if (viewer.gone) {
            break;
          }
          message = ": keep-alive\n\n";
        } else if (message.isEmpty()) {
          break;
        }
        body.write(message.getBytes(StandardCharsets.UTF_8));
        body.flush();
      }
    } catch (IOException pageWentAway) {
      // also how a write blocked on a page that stopped reading ends: the page was cut off
      log.debug("A console page went away: {}", pageWentAway.toString());
    } catch (InterruptedException cutOffOrClosing) {
      Thread.currentThread().interrupt();
    } finally {
      viewer.gone = true;
      viewer.writerDone();
      try {
        // With the interrupt of a cut-off still set, this closes the connection at once rather
        // than write the stream's end to a page that may not read it.
        exchange.close();
      } finally {
        // A pool thread: no interrupt meant for this page may reach the next request it serves.
        Thread.interrupted();
        streams.decrementAndGet();
        wake();
      }
    }
  }

  private static void respond(HttpExchange exchange, int status, String type, String text)
      throws IOException {
    respond(exchange, status, type + "; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  private static void respond(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    Headers headers = exchange.getResponseHeaders();
    headers.set("Content-Type", type);
    headers.set("Cache-Control", "no-store");
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /**
   * Whether a {@code Host} header names the loopback interface; a request without one (HTTP/1.0)
   * can only have come to the loopback address the server is bound to.
   */
  static boolean loopbackHost(String host) {
    if (host == null) {
      return true;
    }
    String bare;
    if (host.startsWith("[")) {
      bare = host.substring(0, host.indexOf(']') + 1);
    } else {
      int colon = host.lastIndexOf(':');
      bare = colon < 0 ? host : host.substring(0, colon);
    }
    return bare.equalsIgnoreCase("localhost") || bare.equals("127.0.0.1") || bare.equals("[::1]");
  }

  // ---- The tracer's listener, on the emitting thread ----

  /** Hands {@code event} to the console's thread: one bounded, lock-free append, never a wait. */
  private void offer(TraceEvent event) {
    if (inboxSize.incrementAndGet() > INBOX_CAPACITY) {
      inboxSize.decrementAndGet();
      dropped.incrementAndGet();
      return;
    }
    inbox.add(event);
  }

  // ---- The console's own thread ----

  private void submit(Runnable task) {
    tasks.add(task);
    wake();
  }

  private void wake() {
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  private void work() {
    while (!closed.get() && !Thread.currentThread().isInterrupted()) {
      boolean more = false;
      try {
        runTasks();
        more = fold();
        long now = System.nanoTime();
        viewers.removeIf(viewer -> viewer.gone);
        if (!viewers.isEmpty()) {
          lastWatched = now;
          if (now - treeReadAt >= TREE_EVERY.toNanos()) {
            readTree(true);
          }
        } else if (listening != null && now - lastWatched >= timing.linger().toNanos()) {
          stopListening();
        }
      } catch (RuntimeException e) {
        log.warn("The console {} failed to fold events; it goes on", uri, e);
      }
      if (!more) {
        pause(listening != null ? CYCLE.toMillis() : 0);
      }
    }
    try {
      runTasks();
    } finally {
      workerEnded.complete(null);
      stopListening();
      String bye = message("bye", Map.of("reason", "the console closed"));
      for (Viewer viewer : viewers) {
        viewer.send(bye);
        viewer.end();
      }
      viewers.clear();
    }
  }

  /** Waits for a task, the close, or {@code millis} (0: no bound). */
  private void pause(long millis) {
    synchronized (wake) {
      if (tasks.isEmpty() && !closed.get()) {
        try {
          wake.wait(millis);
        } catch (InterruptedException e) {
          // Nobody but the console interrupts its thread; keep the flag so the loop can see it.
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** Runs the waiting tasks; each answers its own failure (a state request, a page), see there. */
  private void runTasks() {
    Runnable task;
    while ((task = tasks.poll()) != null) {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("The console {} failed a request; it goes on", uri, e);
      }
    }
  }

  /** Starts listening if it does not yet; notes that someone watches now. */
  private void watch() {
    lastWatched = System.nanoTime();
    if (listening == null) {
      // Listening first, then reading the clock: every event stamped from liveFrom on was emitted
      // after the listener was in place, so the page misses none of them. Those stamped earlier
      // that still reach the inbox are skipped by fold().
      listening = tracer.listen(this::offer);
      model = new ConsoleModel(clock.now());
    }
  }

  private void stopListening() {
    if (listening == null) {
      return;
    }
    try {
      listening.close();
    } catch (Exception e) {
      log.warn("The console {} could not stop listening", uri, e);
    }
    listening = null;
    model = null;
    while (inbox.poll() != null) {
      inboxSize.decrementAndGet();
    }
  }

  private void join(Viewer viewer) {
    if (viewer.gone) {
      return;
    }
    try {
      watch();
      fold();
      readTree(false);
      String state = message("state", snapshot());
      viewers.add(viewer);
      viewer.send(state);
    } catch (RuntimeException e) {
      // Not a page with no state that holds its place forever: it ends, and its browser retries.
      viewers.remove(viewer);
      viewer.end();
      throw e;
    }
    if (!firstViewerTold) {
      firstViewerTold = true;
      // Its callbacks are the user's: they run on a thread of their own, not on this one.
      startThread(name + "-first-viewer", () -> firstViewer.complete(null));
    }
  }

  /**
   * Folds what the inbox holds (at most a batch) into the model and tells the pages.
   *
   * @return whether more is waiting
   */
  private boolean fold() {
    if (listening == null) {
      return false;
    }
    List<Object> events = new ArrayList<>();
    Set<ConsoleModel.Primitive> touched = new LinkedHashSet<>();
    int folded = 0;
    long skipped = 0;
    TraceEvent event;
    while (folded < FOLD_BATCH && (event = inbox.poll()) != null) {
      inboxSize.decrementAndGet();
      folded++;
      if (event.at().compareTo(model.liveFrom()) < 0) {
        // Emitted before the listener was registered: not part of what the page is live from.
        continue;
      }
      touched.add(model.apply(event));
      if (events.size() < EVENTS_PER_UPDATE) {
        events.add(ConsoleModel.eventJson(event));
      } else {
        skipped++;
      }
    }
    if (!touched.isEmpty() && !viewers.isEmpty()) {
      List<Object> primitives = new ArrayList<>();
      List<String> forgotten = new ArrayList<>();
      for (ConsoleModel.Primitive primitive : touched) {
        if (model.keeps(primitive)) {
          primitives.add(primitive.toJson());
        } else {
          forgotten.add(primitive.actor);
        }
      }
      Map<String, Object> update = new LinkedHashMap<>();
      update.put("now", clock.now());
      update.put("folded", model.folded());
      update.put("dropped", dropped.get());
      update.put("events", events);
      update.put("skipped", skipped);
      update.put("primitives", primitives);
      update.put("forgotten", forgotten);
      update.put("graph", model.graphJson());
      update.put("detected", model.detectedJson());
      broadcast(message("update", update));
    }
    return folded == FOLD_BATCH;
  }

  /** Reads the tree; if it changed and {@code tell}, sends it to every page. */
  private void readTree(boolean tell) {
    treeReadAt = System.nanoTime();
    String text = Json.write(treeJson(kit.tree()));
    if (!text.equals(treeText)) {
      treeText = text;
      if (tell) {
        broadcast("event: tree\ndata: " + text + "\n\n");
      }
    }
  }

  private void broadcast(String message) {
    for (Viewer viewer : viewers) {
      viewer.send(message);
    }
  }

  private Map<String, Object> snapshot() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("kit", kit.system().name());
    json.put("speed", clock.speed());
    json.put("now", clock.now());
    json.put("liveFrom", model.liveFrom());
    json.put("folded", model.folded());
    json.put("dropped", dropped.get());
    List<Object> primitives = new ArrayList<>();
    for (ConsoleModel.Primitive primitive : model.primitives()) {
      primitives.add(primitive.toJson());
    }
    json.put("primitives", primitives);
    json.put("graph", model.graphJson());
    json.put("detected", model.detectedJson());
    json.put("recent", model.recentJson());
    if (treeText.isEmpty()) {
      readTree(false);
    }
    json.put("tree", new Json.Raw(treeText));
    return json;
  }

  private static Map<String, Object> treeJson(ActorNode node) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", node.name());
    json.put("path", node.path());
    json.put("dispatcher", node.dispatcher());
    json.put("supervision", node.supervision());
    json.put("lifetime", node.lifetime().name().toLowerCase().replace('_', '-'));
    List<Object> children = new ArrayList<>();
    for (ActorNode child : node.children()) {
      children.add(treeJson(child));
    }
    json.put("children", children);
    return json;
  }

  private static String message(String event, Object data) {
    return "event: " + event + "\ndata: " + Json.write(data) + "\n\n";
  }

  private static byte[] page() {
    try (InputStream in = KitConsole.class.getResourceAsStream("console.html")) {
      if (in == null) {
        throw new IllegalStateException("console.html is missing from actorkit-core's jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One page's stream: what the console's thread has sent it and the page has yet to get. */
  private static final class Viewer {
    final BlockingQueue<String> outbox = new LinkedBlockingQueue<>(VIEWER_BACKLOG);
    volatile boolean gone;

    /** The pool thread that writes the stream, until it is done with it; guarded by this. */
    private Thread writer;

    Viewer(Thread writer) {
      this.writer = writer;
    }

    /** Queues {@code message}; a page too far behind is cut off, and its browser reconnects. */
    void send(String message) {
      if (gone) {
        return;
      }
      if (!outbox.offer(message)) {
        cutOff();
      }
    }

    /** Ends the stream: at once if its backlog has room, else once the backlog is written. */
    void end() {
      outbox.offer(END);
      gone = true;
    }

    /**
     * Ends the stream of a page too far behind, now: its backlog is dropped and its writer
     * interrupted. A page that stopped reading but keeps its connection open blocks the writer in a
     * write that only an interrupt ends (the JDK server's streams are interruptible channels: the
     * write fails and the connection closes), and the writer's {@code finally} frees its place.
     */
    synchronized void cutOff() {
      gone = true;
      outbox.clear();
      outbox.offer(END);
      if (writer != null) {
        writer.interrupt();
      }
    }

    /** The writer is done: from now on nothing interrupts it for this page. */
    synchronized void writerDone() {
      writer = null;
    }
  }
}
