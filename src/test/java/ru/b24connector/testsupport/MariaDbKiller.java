package ru.b24connector.testsupport;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Kills a MariaDB server this JVM started, as a crash or an OOM killer would: SIGKILL, no shutdown. */
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
}
