package dev.sensorhouse.cli;

import dev.sensorhouse.cleanse.CleanseConfig;
import dev.sensorhouse.cleanse.CleanseResult;
import dev.sensorhouse.simulate.InjectionReport;
import dev.sensorhouse.simulate.SimulateConfig;
import dev.sensorhouse.simulate.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code sensorhouse bench}: simulates a fixed volume (default 2,000,000 events from 1,000 devices over
 * one day, default faults, seed 7) into a scratch lake and times each stage, printing seconds and
 * events per second. With {@code --repeat N} the cleanse runs N times, each on an emptied lake.
 */
final class BenchCommand implements Command {
  @Override
  public String name() {
    return "bench";
  }

  @Override
  public String summary() {
    return "benchmark: simulate a fixed volume and time each batch stage (events per second)";
  }

  @Override
  public List<Option> options() {
    return List.of(
        Option.value("lake", "DIR", "./.bench/lake", "scratch lake (emptied first)"),
        Option.value("events", "N", "2000000", "events to simulate"),
        Option.value("devices", "N", "1000", "devices"),
        Option.value("faults", "none|default|heavy", "default", "fault injection rates"),
        Option.value("seed", "N", "7", "random seed"),
        Option.value("repeat", "N", "1", "cleanse runs, each on a lake emptied of everything but the raw zone"));
  }

  @Override
  public int run(Options o) throws Exception {
    Path lake = Path.of(CommonOptions.lakeRoot(o));
    long events = o.longValue("events");
    int devices = o.integer("devices");
    if (events < devices) {
      throw new UsageException("bench: --events must be at least --devices (" + devices + "), got " + events);
    }
    Duration day = Duration.ofDays(1);
    Duration interval = Duration.ofNanos(day.toNanos() / (events / devices));
    DemoCommand.deleteTree(lake);
    Files.createDirectories(lake);
    SimulateConfig sim =
        new SimulateConfig(lake.toString(), devices, SimulateConfig.DEFAULT_START, day, interval, SimulateConfig.Profile.AGRICULTURE,
            o.choice("faults", SimulateConfig.FaultLevel.class), o.longValue("seed"), false, 1);
    System.out.printf(Locale.ROOT, "bench: %,d events, %,d devices, interval %s, %d cores%n", events, devices, interval, Runtime.getRuntime().availableProcessors());
    InjectionReport report = new Simulator(sim).run();
    System.out.printf(Locale.ROOT, "simulate  %8.2f s  %,12.0f events/s  (%,d lines)%n", report.seconds(), report.linesWritten() / report.seconds(), report.linesWritten());
    CleanseConfig config = CleanseConfig.incremental(lake.toString());
    for (int i = 1; i <= o.integer("repeat"); i++) {
      for (String zone : List.of("cleansed", "quarantine", "control")) {
        DemoCommand.deleteTree(lake.resolve(zone));
      }
      CleanseResult result = CleanseCommand.cleanse(config, "bench");
      System.out.printf(Locale.ROOT, "cleanse   %8.2f s  %,12.0f events/s  (run %d: %,d lines, %,d readings)%n",
          result.seconds(), result.eventsPerSecond(), i, result.counts().linesIn(), result.counts().readingsCleansed());
    }
    return 0;
  }
}
