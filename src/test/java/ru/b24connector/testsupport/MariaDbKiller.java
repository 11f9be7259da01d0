package ru.b24connector.testsupport;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Kills a MariaDB server this JVM started, as a crash or an OOM killer would: SIGKILL, no shutdown; or freezes it, as
 * a stopped VM or a network partition behaves: SIGSTOP, connections stay open and nothing answers, until SIGCONT.
 */
public final class MariaDbKiller {

    private MariaDbKiller() {
    }

    /** SIGKILL to the MariaDB server (a child of this JVM) whose data lives in {@code dataDir}; waits for its end. */
    public static void kill(Path dataDir) throws Exception {
        String dir = dataDir.toAbsolutePath().toString();
        List<ProcessHandle> servers = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(dir)).toList();
        if (servers.isEmpty()) {
            throw new IllegalStateException("no MariaDB process with its data in " + dir);
        }
        for (ProcessHandle p : servers) {
            p.destroyForcibly();
            p.onExit().get(30, TimeUnit.SECONDS);
        }
    }

    /** SIGSTOP to the MariaDB server whose data lives in {@code dataDir}: it hangs with every connection open. */
    public static void freeze(Path dataDir) throws Exception {
        signal(dataDir, "-STOP");
    }

    /** SIGCONT: the frozen server answers again. */
    public static void thaw(Path dataDir) throws Exception {
        signal(dataDir, "-CONT");
    }

    /**
     * After a test that froze the database: thaws it if {@code frozen} is set, then waits (up to 5 s) until the
     * service's own probe finds it up again, so the next test starts with the database known up.
     */
    public static void thawAndAwait(Path frozen, java.util.function.BooleanSupplier probe) throws Exception {
        if (frozen != null) {
            thaw(frozen);
        }
        for (int i = 0; i < 20 && !probe.getAsBoolean(); i++) {
            Thread.sleep(250);
        }
    }

    private static void signal(Path dataDir, String signal) throws Exception {
        for (ProcessHandle p : servers(dataDir)) {
            Process kill = new ProcessBuilder("kill", signal, String.valueOf(p.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill " + signal + " " + p.pid() + " failed");
            }
        }
    }

    private static List<ProcessHandle> servers(Path dataDir) {
        String dir = dataDir.toAbsolutePath().toString();
        List<ProcessHandle> servers = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(dir)).toList();
        if (servers.isEmpty()) {
            throw new IllegalStateException("no MariaDB process with its data in " + dir);
        }
        return servers;
    }
}
