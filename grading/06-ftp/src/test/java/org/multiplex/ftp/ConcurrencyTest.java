package org.multiplex.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiplex.kit.grading.Graded;

/** All tasks together: many sessions, each downloading and uploading, on the dispatcher's one thread. */
@ExtendWith(Explained.class)
class ConcurrencyTest {

    @TempDir
    Path root;

    @Graded(task = "6.5", points = 4)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void serves_fifty_sessions_transferring_at_once_on_one_thread() throws Exception {
        int sessions = 50;
        int size = 256 * 1024;
        for (int i = 0; i < sessions; i++) {
            Fixture.randomFile(root, "in/" + i + ".bin", size, i);
        }
        try (Fixture ftp = new Fixture(root)) {
            CyclicBarrier together = new CyclicBarrier(sessions);
            ExecutorService pool = Executors.newFixedThreadPool(sessions);
            try {
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < sessions; i++) {
                    int n = i;
                    results.add(pool.submit(() -> {
                        FTPClient client = ftp.login();
                        // Fifty sessions share one server thread, and the test machine: a reply may
                        // take longer here than a lone session's.
                        client.setSoTimeout(15_000);
                        client.setDataTimeout(Duration.ofSeconds(15));
                        try {
                            byte[] mine = new byte[size];
                            new Random(1000 + n).nextBytes(mine);
                            together.await(20, TimeUnit.SECONDS);
                            ByteArrayOutputStream got = new ByteArrayOutputStream();
                            boolean down = client.retrieveFile("in/" + n + ".bin", got);
                            boolean up = client.storeFile("out-" + n + ".bin", new ByteArrayInputStream(mine));
                            byte[] expected = new byte[size];
                            new Random(n).nextBytes(expected);
                            return down && up && Fixture.sha256(got.toByteArray()).equals(Fixture.sha256(expected))
                                    ? "ok" : "session " + n + ": RETR " + down + ", STOR " + up + ", " + client.getReplyString();
                        } finally {
                            Fixture.quit(client);
                        }
                    }));
                }
                for (Future<String> result : results) {
                    String outcome;
                    try {
                        outcome = result.get(50, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof AssertionError failed) {
                            throw failed;
                        }
                        throw e;
                    }
                    assertThat(outcome).as("a session's download and upload, among fifty at once").isEqualTo("ok");
                }
            } finally {
                pool.shutdownNow();
            }
            for (int i = 0; i < sessions; i++) {
                byte[] mine = new byte[size];
                new Random(1000 + i).nextBytes(mine);
                assertThat(Fixture.sha256(Files.readAllBytes(root.resolve("out-" + i + ".bin"))))
                        .as("SHA-256 of the file session %d stored", i).isEqualTo(Fixture.sha256(mine));
            }
            assertThat(ftp.server.stats().acceptedCount()).as("control connections accepted").isEqualTo(sessions);
            assertThat(ftp.server.stats().threads().values()).as("threads that served the sessions")
                    .containsExactly("ftp-server");
        }
    }
}
