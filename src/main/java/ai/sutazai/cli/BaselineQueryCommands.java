package ai.sutazai.cli;

import ai.sutazai.metrics.baseline.Baseline;
import ai.sutazai.metrics.baseline.BaselineDrift;
import ai.sutazai.metrics.baseline.BaselineFormat;
import ai.sutazai.metrics.baseline.BaselineInfo;
import ai.sutazai.metrics.baseline.BaselineStore;

import ai.sutazai.common.UserError;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code baseline list}, {@code baseline show ID} and {@code baseline compare ID1 ID2}. */
public final class BaselineQueryCommands {
  private BaselineQueryCommands() {}

  static long id(String text, String what) {
    try {
      long id = Long.parseLong(text.trim());
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new UserError(what + " '" + text + "' is not a baseline id (a positive number; see `sutazai baseline list`)");
  }

  static Baseline load(BaselineStore store, long id) {
    return store.get(id).orElseThrow(() -> new UserError("no baseline with id " + id + " in " + store.url()
        + " (see `sutazai baseline list`)"));
  }

  static void print(CommandSpec spec, String text) {
    spec.commandLine().getOut().print(text);
    spec.commandLine().getOut().flush();
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List stored baselines, newest first.")
  public static final class ListBaselines implements Callable<Integer> {
    @Mixin DbOptions db;
    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
        description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    BaselineCommand.Format format;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      List<BaselineInfo> all = db.openStore().list();
      print(spec, format == BaselineCommand.Format.json ? BaselineFormat.listJson(all) : BaselineFormat.listTable(all));
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one baseline.")
  public static final class Show implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Mixin DbOptions db;
    /** Output formats of {@code baseline show}. */
    public enum Format { table, json, md }

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
        description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      long baselineId = id(id, "ID");
      Baseline b = load(db.openStore(), baselineId);
      print(spec, switch (format) {
        case json -> BaselineFormat.json(b);
        case md -> BaselineFormat.markdown(b);
        case table -> BaselineFormat.table(b);
      });
      return 0;
    }
  }

  @Command(name = "compare", mixinStandardHelpOptions = true,
      description = "Report drift between two baselines: series whose mean moved by more than 2σ of the first.")
  public static final class Compare implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID1") String first;
    @Parameters(index = "1", paramLabel = "ID2") String second;
    @Mixin DbOptions db;
    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
        description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    BaselineCommand.Format format;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      long a = id(first, "ID1");
      long b = id(second, "ID2");
      BaselineStore store = db.openStore();
      BaselineDrift drift = BaselineDrift.compare(load(store, a), load(store, b));
      print(spec, format == BaselineCommand.Format.json ? BaselineFormat.driftJson(drift) : BaselineFormat.driftTable(drift));
      return 0;
    }
  }
}
