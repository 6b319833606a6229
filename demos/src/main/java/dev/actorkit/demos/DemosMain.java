package dev.actorkit.demos;

import dev.actorkit.demos.cli.Commands;
import picocli.CommandLine;

/**
 * {@code java -jar demos/target/actorkit-demos.jar}: {@code list}, {@code run NAME}, {@code tour},
 * {@code tree}, {@code console [NAME]}.
 */
public final class DemosMain {

  private DemosMain() {}

  public static void main(String[] args) {
    CommandLine commandLine = Commands.commandLine(System.out, System.err);
    System.exit(commandLine.execute(args));
  }
}
