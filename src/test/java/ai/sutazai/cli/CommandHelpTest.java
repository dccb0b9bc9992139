package ai.sutazai.cli;

import ai.sutazai.Main;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code sutazai --help} lists each command with the first paragraph of its description, so that paragraph
 * must be a whole sentence; every paragraph is one (picocli wraps them itself, a line break inside one
 * shows as a broken line in the help).
 */
class CommandHelpTest {

  private static void collect(CommandLine cl, List<CommandLine> all) {
    all.add(cl);
    cl.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, all));
  }

  @Test
  void everyCommandDescribesItselfInWholeSentences() {
    List<CommandLine> commands = new ArrayList<>();
    collect(Main.commandLine(), commands);
    assertTrue(commands.size() > 10, "the whole command tree is walked: " + commands.size());
    List<String> broken = new ArrayList<>();
    for (CommandLine cl : commands) {
      String[] paragraphs = cl.getCommandSpec().usageMessage().description();
      if (paragraphs.length == 0) {
        broken.add(cl.getCommandSpec().qualifiedName() + ": no description");
      }
      for (String p : paragraphs) {
        if (!p.replace("%n", "").strip().endsWith(".")) {
          broken.add(cl.getCommandSpec().qualifiedName() + ": \"" + p + "\"");
        }
      }
    }
    assertTrue(broken.isEmpty(), "paragraphs that are not whole sentences:\n" + String.join("\n", broken));
  }
}
