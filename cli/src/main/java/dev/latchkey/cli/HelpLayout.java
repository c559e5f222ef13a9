package dev.latchkey.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The layout of {@code --help}. The top-level help lists the global options, the commands, the exit
 * codes and the environment. A command's help starts with what is particular to it (synopsis,
 * description, parameters, its own options, its subcommands) and ends with the global options, once;
 * the exit codes stay in the top-level help, which it points to.
 */
final class HelpLayout {
  static final String GLOBAL_OPTIONS_HEADING = "Global options (before or after the command):%n";
  private static final String SECTION_GLOBAL_HEADING = "globalOptionListHeading";
  private static final String SECTION_GLOBAL_LIST = "globalOptionList";

  private HelpLayout() {}

  static void apply(CommandLine root) {
    root.getCommandSpec().usageMessage().abbreviateSynopsis(true).optionListHeading("%n" + GLOBAL_OPTIONS_HEADING);
    Set<CommandLine> done = Collections.newSetFromMap(new IdentityHashMap<>()); // aliases map to the same one
    for (CommandLine sub : root.getSubcommands().values()) {
      applyToCommand(sub, done);
    }
  }

  private static void applyToCommand(CommandLine cmd, Set<CommandLine> done) {
    if (!done.add(cmd)) {
      return;
    }
    UsageMessageSpec usage = cmd.getCommandSpec().usageMessage();
    // "latchkey tokens issue [OPTIONS] <token>": the full synopsis would list every global option first
    usage.abbreviateSynopsis(true);
    usage.optionListHeading("Options:%n");
    usage.footer("", "Exit codes and environment variables: see 'latchkey --help'.");

    Map<String, IHelpSectionRenderer> sections = cmd.getHelpSectionMap();
    sections.put(UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING,
        help -> own(help).isEmpty() ? "" : help.optionListHeading());
    sections.put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, help -> help.optionListExcludingGroups(own(help)));
    sections.put(SECTION_GLOBAL_HEADING, help -> help.createHeading("%n" + GLOBAL_OPTIONS_HEADING));
    sections.put(SECTION_GLOBAL_LIST, help -> help.optionListExcludingGroups(global(help)));
    cmd.setHelpSectionMap(sections);

    List<String> keys = new ArrayList<>(cmd.getHelpSectionKeys());
    keys.removeAll(List.of(SECTION_GLOBAL_HEADING, SECTION_GLOBAL_LIST)); // the list may come from a parent
    int footer = keys.indexOf(UsageMessageSpec.SECTION_KEY_FOOTER_HEADING);
    keys.addAll(footer, List.of(SECTION_GLOBAL_HEADING, SECTION_GLOBAL_LIST));
    cmd.setHelpSectionKeys(keys);

    for (CommandLine sub : cmd.getSubcommands().values()) {
      applyToCommand(sub, done);
    }
  }

  /** The command's own options, in declaration order. */
  private static List<OptionSpec> own(Help help) {
    return help.commandSpec().options().stream().filter(o -> !isGlobal(o) && !o.hidden()).toList();
  }

  /** The options every command accepts: the top-level ones, and -h/-V. */
  private static List<OptionSpec> global(Help help) {
    return help.commandSpec().options().stream().filter(o -> isGlobal(o) && !o.hidden()).toList();
  }

  private static boolean isGlobal(OptionSpec o) {
    return o.inherited() || o.usageHelp() || o.versionHelp();
  }
}
