package dev.sensorhouse.cli;

import dev.sensorhouse.cleanse.CleanseResult;
import dev.sensorhouse.rollup.RollupConfig;
import dev.sensorhouse.rollup.RollupResult;
import java.util.List;

/**
 * {@code sensorhouse run}: every batch stage in order (cleanse, then an incremental rollup), stopping
 * at the first failure with {@code run: stage NAME failed: …} and exit code 1. The options are the
 * cleanse's; the rollup covers whatever the cleanse (and any earlier cleanse) wrote.
 */
final class RunCommand implements Command {
  @Override
  public String name() {
    return "run";
  }

  @Override
  public String summary() {
    return "run the batch stages in order: cleanse, rollup (stops at the first failure)";
  }

  @Override
  public List<Option> options() {
    return CommonOptions.CLEANSE;
  }

  @Override
  public int run(Options o) {
    CommonOptions.existingLake(name(), o);
    String args = Main.argsOf(o);
    CleanseResult cleansed;
    try {
      cleansed = CleanseCommand.cleanse(CommonOptions.cleanseConfig(o), args);
    } catch (UsageException e) {
      throw e;
    } catch (Exception e) {
      return failed("cleanse", e);
    }
    System.out.print(cleansed.summary());
    RollupResult rolled;
    try {
      rolled = RollupCommand.rollup(RollupConfig.incremental(CommonOptions.lakeRoot(o)), args);
    } catch (Exception e) {
      return failed("rollup", e);
    }
    System.out.print(rolled.summary());
    return 0;
  }

  private static int failed(String stage, Exception e) {
    System.err.println("run: stage " + stage + " failed: " + e.getMessage());
    return 1;
  }
}
