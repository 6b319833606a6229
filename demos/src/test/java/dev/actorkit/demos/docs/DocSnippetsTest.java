package dev.actorkit.demos.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java block in the README and in {@code docs/} is code the build compiles: its lines, in
 * order, are lines of a source file under some module's {@code src} (usually {@link DocSnippets}).
 * A wrong class name or a call that does not exist fails here, not in a reader's editor.
 */
class DocSnippetsTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void everyJavaBlockInTheDocsIsCompiledCode() throws IOException {
    Map<Path, List<String>> sources = sources();
    List<Path> pages = new ArrayList<>();
    pages.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(page -> page.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    int blocks = 0;
    List<String> missing = new ArrayList<>();
    for (Path page : pages) {
      for (List<String> block : javaBlocks(page)) {
        blocks++;
        if (sources.values().stream()
            .noneMatch(source -> Collections.indexOfSubList(source, block) >= 0)) {
          missing.add(ROOT.relativize(page) + ", the block starting \"" + block.get(0) + "\"");
        }
      }
    }
    assertThat(blocks).as("Java blocks found").isGreaterThanOrEqualTo(10);
    assertThat(missing)
        .as("blocks that are not compiled code: change DocSnippets first, then copy")
        .isEmpty();
  }

  /** The blocks fenced with {@code ```java}, each as its non-blank lines, trimmed. */
  static List<List<String>> javaBlocks(Path page) throws IOException {
    List<List<String>> blocks = new ArrayList<>();
    List<String> current = null;
    for (String line : Files.readAllLines(page)) {
      if (current == null && line.strip().equals("```java")) {
        current = new ArrayList<>();
      } else if (current != null && line.strip().equals("```")) {
        blocks.add(current);
        current = null;
      } else if (current != null && !line.isBlank()) {
        current.add(line.strip());
      }
    }
    return blocks;
  }

  private static Map<Path, List<String>> sources() throws IOException {
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files
          .filter(
              file ->
                  file.toString().endsWith(".java")
                      && file.toString().contains("/src/")
                      && !file.toString().contains("/target/"))
          .collect(Collectors.toMap(file -> file, DocSnippetsTest::trimmedLines));
    }
  }

  private static List<String> trimmedLines(Path file) {
    try {
      return Files.readAllLines(file).stream()
          .filter(line -> !line.isBlank())
          .map(String::strip)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
