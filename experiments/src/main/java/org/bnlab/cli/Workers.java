package org.bnlab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bnlab run --workers N}: starts N processes of the same command (each with {@code --workers 1
 * --no-report --quiet}) and waits for them. They share the work through the run locks: each takes the next
 * unfinished, unlocked run. Each gets an equal share of the CPU cores for its math threads.
 */
final class Workers {

    private Workers() {
    }

    /** Runs the workers; returns how many of them exited with an error. */
    static int run(int workers, Path out, PrintStream console) {
        List<String> args = new ArrayList<>(ProcessHandle.current().info().arguments().map(List::of).orElse(List.of()));
        int main = args.indexOf(org.bnlab.cli.Bnlab.class.getName());
        if (main < 0) {
            throw new IllegalStateException("--workers needs bnlab started as a java command (scripts/bnlab)");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(args.subList(0, main + 1));
        List<String> mine = new ArrayList<>(args.subList(main + 1, args.size()));
        stripOption(mine, "--workers");
        command.addAll(mine);
        command.addAll(List.of("--workers", "1", "--no-report", "--quiet"));
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
        console.printf("starting %d workers (%d math thread%s each) on %s%n", workers, threads,
                threads == 1 ? "" : "s", out);
        List<Process> processes = new ArrayList<>();
        try {
            for (int i = 0; i < workers; i++) {
                ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
                builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
                processes.add(builder.start());
            }
            int failed = 0;
            for (Process p : processes) {
                if (p.waitFor() != 0) {
                    failed++;
                }
            }
            return failed;
        } catch (IOException e) {
            processes.forEach(Process::destroy);
            throw new IllegalStateException("cannot start a worker: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            processes.forEach(Process::destroy);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the workers", e);
        }
    }

    private static void stripOption(List<String> args, String name) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals(name) && i + 1 < args.size()) {
                args.remove(i + 1);
                args.remove(i);
                i--;
            } else if (args.get(i).startsWith(name + "=")) {
                args.remove(i);
                i--;
            }
        }
    }
}
