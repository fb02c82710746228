package org.multiplex.kit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.sun.management.UnixOperatingSystemMXBean;

/**
 * Finds what a server leaves behind: threads that outlive it and file descriptors (sockets) it
 * never closed.
 *
 * <pre>{@code
 * Leaks.Snapshot before = Leaks.snapshot();
 * try (var server = new ThreadedZenServer(address)) { ... }
 * before.assertNothingLeft();
 * }</pre>
 */
public final class Leaks {

    /** How long threads and sockets get to go away after a server was closed. */
    public static final Duration GRACE = Duration.ofSeconds(5);

    private Leaks() {
    }

    /** Returns what is alive now, to compare with later. */
    public static Snapshot snapshot() {
        return new Snapshot(liveThreads(), openFileDescriptors());
    }

    /**
     * What was alive at one moment.
     *
     * @param threads the live threads
     * @param files   the number of open file descriptors, or -1 where the system does not say
     */
    public record Snapshot(Set<Thread> threads, long files) {

        /**
         * Waits until every thread started since the snapshot has ended and no more file
         * descriptors are open than then; fails naming what is left after {@link #GRACE}.
         */
        public void assertNothingLeft() {
            await().atMost(GRACE).pollInSameThread().untilAsserted(() -> assertThat(newThreads())
                    .as("threads still running %s after the server was closed", GRACE)
                    .isEmpty());
            if (files >= 0) {
                await().atMost(GRACE).pollInSameThread().untilAsserted(() -> assertThat(openFileDescriptors())
                        .as("open file descriptors (sockets) %s after the server was closed; before it started: %d",
                                GRACE, files)
                        .isLessThanOrEqualTo(files));
            }
        }

        /** Returns the names of threads alive now that were not alive at the snapshot. */
        public List<String> newThreads() {
            return liveThreads().stream().filter(t -> !threads.contains(t))
                    .map(Thread::getName).sorted().toList();
        }
    }

    private static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
    }

    /** Returns the number of file descriptors this process has open, or -1 if unknown. */
    public static long openFileDescriptors() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getOpenFileDescriptorCount() : -1;
    }
}
