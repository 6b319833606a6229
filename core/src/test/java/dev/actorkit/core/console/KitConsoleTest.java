package dev.actorkit.core.console;

import static dev.actorkit.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.actorkit.core.ActorKit;
import dev.actorkit.core.errors.ClosedException;
import dev.actorkit.core.testing.EventStream;
import dev.actorkit.core.trace.TraceKind;
import dev.actorkit.core.trace.Tracer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The console over HTTP, in a real kit: its page, its state, its event stream, its lifetime. */
class KitConsoleTest {

  private static final HttpClient http = HttpClient.newHttpClient();
  private static ActorKit kit;
  private static Tracer tracer;

  @BeforeAll
  static void startKit() {
    kit = ActorKit.create("KitConsoleTest");
    tracer = kit.tracer();
  }

  @AfterAll
  static void closeKit() {
    kit.close();
  }

  private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> send(URI uri, String method)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.ofString("x"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The status line of a request sent by hand, with a Host header HttpClient would not send. */
  private static String statusWithHost(int port, String host) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /state HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    }
  }

  @Test
  void servesItsSelfContainedPageOnTheLoopbackInterfaceOnly() throws Exception {
    // The example of docs/kit.md.
    KitConsole console = kit.console(0); // 0: any free port; closing the kit closes it too
    System.out.println("Watch the kit live at " + console.uri());
    try (console) {
      assertThat(console.uri().getHost()).isEqualTo("127.0.0.1");
      assertThat(console.port()).isPositive();
      assertThat(InetAddress.getByName(console.uri().getHost()).isLoopbackAddress()).isTrue();

      HttpResponse<String> page = get(console.uri());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      assertThat(page.body())
          .contains("<title>actorkit console</title>", "new EventSource(\"events\")")
          .as("it loads nothing: no script, style, image or font from elsewhere")
          .doesNotContain("src=", "<link", "@import", "url(http", "url(/", "fetch(");
      assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
          .contains("default-src 'none'", "connect-src 'self'");

      Optional<InetAddress> elsewhere = anotherAddressOfThisMachine();
      if (elsewhere.isPresent()) {
        assertThatThrownBy(
                () -> {
                  try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(elsewhere.get(), console.port()), 5_000);
                  }
                })
            .as("nothing listens on " + elsewhere.get())
            .isInstanceOf(ConnectException.class);
      }
    }
  }

  private static Optional<InetAddress> anotherAddressOfThisMachine() throws IOException {
    for (NetworkInterface face : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!face.isUp() || face.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(face.getInetAddresses())) {
        if (address instanceof Inet4Address) {
          return Optional.of(address);
        }
      }
    }
    return Optional.empty();
  }

  @Test
  void isReadOnlyAndAnswersOnlyToLoopbackNames() throws Exception {
    try (KitConsole console = kit.console(0)) {
      for (String path : new String[] {"/", "/state", "/events"}) {
        for (String method : new String[] {"POST", "PUT", "DELETE"}) {
          HttpResponse<String> refused = send(console.uri().resolve(path), method);
          assertThat(refused.statusCode()).as(method + " " + path).isEqualTo(405);
          assertThat(refused.headers().firstValue("Allow")).hasValue("GET");
        }
      }
      assertThat(get(console.uri().resolve("/nothing")).statusCode()).isEqualTo(404);
      int port = console.port();
      assertThat(statusWithHost(port, "evil.example:" + port)).contains(" 403 ");
      assertThat(statusWithHost(port, "localhost:" + port)).contains(" 200 ");
      assertThat(statusWithHost(port, "127.0.0.1:" + port)).contains(" 200 ");
    }
  }

  @Test
  void aGrantAppearsInTheStreamWithItsHolderAndTokenAndTheStateShowsWaitersAndLevel()
      throws Exception {
    try (KitConsole console = kit.console(0);
        EventStream stream = EventStream.open(console.uri())) {
      String state = stream.await("state", "\"kit\":\"KitConsoleTest\"");
      assertThat(state).contains("\"liveFrom\":", "\"tree\":{\"name\":\"KitConsoleTest\"");
      console.firstViewer().toCompletableFuture().get(10, TimeUnit.SECONDS);

      tracer.emit("primitives/till", TraceKind.GRANTED, "alice", "token 7");
      String update = stream.await("update", "\"kind\":\"granted\"");
      assertThat(update)
          .contains(
              "\"actor\":\"primitives/till\"",
              "\"participant\":\"alice\"",
              "\"holders\":[{\"participant\":\"alice\",\"token\":7,\"since\":");

      tracer.emit("primitives/till", TraceKind.WAITING, "bob", "");
      tracer.emit("primitives/till", TraceKind.WAITING, "carol", "");
      tracer.emit("primitives/till", TraceKind.LEVEL, "", "0");
      stream.await("update", "\"kind\":\"level\"");

      HttpResponse<String> snapshot = get(console.uri().resolve("/state"));
      assertThat(snapshot.statusCode()).isEqualTo(200);
      assertThat(snapshot.headers().firstValue("Content-Type"))
          .hasValue("application/json; charset=utf-8");
      String json = snapshot.body();
      assertThat(json)
          .contains(
              "\"holders\":[{\"participant\":\"alice\",\"token\":7,",
              "\"level\":0,",
              "{\"from\":\"bob\",\"to\":\"alice\",\"via\":\"primitives/till\",\"definite\":true");
      assertThat(json.indexOf("\"waiters\":[{\"participant\":\"bob\""))
          .as("bob waits first, then carol")
          .isPositive()
          .isLessThan(json.indexOf("{\"participant\":\"carol\""));
    }
  }

  @Test
  void listensOnlyWhileWatchedSoTheKitPaysNothingWhenNobodyIs() throws Exception {
    KitConsole.Timing quick = new KitConsole.Timing(Duration.ZERO, Duration.ofMillis(20));
    try (ActorKit own = ActorKit.create("ConsoleUnwatched");
        KitConsole console = KitConsole.start(own, 0, quick)) {
      Tracer ownTracer = own.tracer();
      assertThat(ownTracer.enabled()).as("nobody watches yet").isFalse();
      ownTracer.emit("primitives/till", TraceKind.GRANTED, "ghost", "token 1");

      try (EventStream stream = EventStream.open(console.uri())) {
        String state = stream.await("state");
        assertThat(ownTracer.enabled()).isTrue();
        assertThat(state).as("live from now: the grant before is unknown").doesNotContain("ghost");
        ownTracer.emit("primitives/till", TraceKind.GRANTED, "alice", "token 2");
        stream.await("update", "\"participant\":\"alice\"");
        assertThat(console.viewers()).isEqualTo(1);
      }
      eventually(() -> assertThat(ownTracer.enabled()).as("the page went away").isFalse());
      assertThat(console.viewers()).isZero();
    }
  }

  @Test
  void closingItSaysByeToOpenPagesFreesItsPortAndEndsItsThreads() throws Exception {
    KitConsole console = kit.console(0);
    int port = console.port();
    String threadName = "actorkit-console-KitConsoleTest-" + port;
    EventStream stream = EventStream.open(console.uri());
    stream.await("state");
    assertThat(threadNamed(threadName)).isTrue();

    console.close();

    stream.await("bye");
    assertThat(stream.awaitEnd()).isTrue();
    assertThat(tracer.enabled()).isFalse();
    try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
    assertThat(threadNamed(threadName)).isFalse();
    console.close();
  }

  private static boolean threadNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(thread -> thread.isAlive() && thread.getName().startsWith(prefix));
  }

  @Test
  void closingTheKitClosesItsConsole() throws Exception {
    ActorKit own = ActorKit.create("ConsoleClosedWithKit");
    KitConsole console = own.console(0);
    int port = console.port();
    assertThat(get(console.uri()).statusCode()).isEqualTo(200);

    own.close();

    try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
    assertThatThrownBy(() -> own.console(0)).isInstanceOf(ClosedException.class);
  }

  @Test
  void aPageThatStopsReadingIsCutOffAndItsPlaceComesFree() throws Exception {
    try (ActorKit own = ActorKit.create("ConsoleStalledPage");
        KitConsole console = own.console(0);
        Socket page = new Socket()) {
      // a page that asks for the stream, then never reads a byte and never lets go
      page.setReceiveBufferSize(4096);
      page.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), console.port()), 10_000);
      page.getOutputStream()
          .write(
              "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      page.getOutputStream().flush();
      console.firstViewer().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(console.viewers()).isEqualTo(1);

      // Long details make each update large: the socket's buffers fill, the writer blocks in a
      // write, and the backlog behind it fills until the page is cut off. Enough events each time
      // that the console folds one batch after another, an update each, without pausing.
      Tracer ownTracer = own.tracer();
      String detail = "x".repeat(1_000);
      eventually(
          Duration.ofSeconds(30),
          () -> {
            for (int i = 0; i < 20_000; i++) {
              ownTracer.emit("primitives/flood", "flooded", "", detail);
            }
            // while the page still holds its connection open
            assertThat(console.viewers()).as("the stalled page's place").isZero();
          });
      try (EventStream stream = EventStream.open(console.uri())) {
        stream.await("state");
      }
    }
  }

  @Test
  void callbacksOnTheFirstViewerDoNotRunOnTheConsolesThread() throws Exception {
    try (KitConsole console = kit.console(0)) {
      CompletableFuture<String> ranOn = new CompletableFuture<>();
      console.firstViewer().thenRun(() -> ranOn.complete(Thread.currentThread().getName()));
      try (EventStream stream = EventStream.open(console.uri())) {
        stream.await("state");
        assertThat(ranOn.get(10, TimeUnit.SECONDS))
            .isNotEqualTo("actorkit-console-KitConsoleTest-" + console.port())
            .isEqualTo("actorkit-console-KitConsoleTest-" + console.port() + "-first-viewer");
      }
    }
  }

  @Test
  void theSystemsTerminationClosesItsConsoleOnAThreadOfItsOwn() throws Exception {
    ActorKit own = ActorKit.create("ConsoleTerminated");
    try {
      KitConsole console = own.console(0);
      int port = console.port();
      CompletableFuture<String> closedOn = new CompletableFuture<>();
      console.whenClosed().thenRun(() -> closedOn.complete(Thread.currentThread().getName()));

      own.system().terminate();

      assertThat(closedOn.get(20, TimeUnit.SECONDS))
          .as("not an Akka thread: close() waits for the console's threads")
          .isEqualTo("actorkit-console-ConsoleTerminated-" + port + "-close");
      try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertThat(again.getLocalPort()).isEqualTo(port);
      }
    } finally {
      own.close();
    }
  }

  @Test
  void aTakenPortIsRefusedWithItsNumber() throws Exception {
    try (KitConsole console = kit.console(0)) {
      assertThatThrownBy(() -> kit.console(console.port()))
          .isInstanceOf(java.io.UncheckedIOException.class)
          .hasMessageContaining("127.0.0.1:" + console.port());
    }
  }
}
