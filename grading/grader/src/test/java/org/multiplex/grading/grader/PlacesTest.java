package org.multiplex.grading.grader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiplex.kit.Affinity;

/**
 * Submissions graded at once each get cores of their own, so that one that spins takes no
 * processor time from the tests of another.
 */
class PlacesTest {

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void two_submissions_graded_at_once_run_their_test_jvms_on_different_cores() throws Exception {
        assumeThat(Affinity.cores().map(List::size).orElse(0)).as("cores this process may pin to").isGreaterThanOrEqualTo(2);
        Places places = Places.of(2, true);
        CountDownLatch bothIn = new CountDownLatch(2);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        try (var pool = Executors.newFixedThreadPool(2)) {
            List<Future<String>> jobs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                jobs.add(pool.submit(() -> places.in(pin -> {
                    bothIn.countDown();
                    assertThat(bothIn.await(10, TimeUnit.SECONDS)).as("both jobs in a place at once").isTrue();
                    // What a test JVM started with this prefix may run on, as its kernel sees it.
                    String allowed = allowedCores(pin);
                    seen.add(allowed);
                    return allowed;
                })));
            }
            for (Future<String> job : jobs) {
                assertThat(Affinity.parse(job.get())).hasSize(1);
            }
        }
        assertThat(seen).as("the cores of the two places").hasSize(2);
        assertThat(places.toString()).contains("cores of its own");
    }

    @Test
    void one_submission_at_a_time_or_no_pinning_keeps_every_core() throws Exception {
        List<String> alone = Places.of(1, true).in(pin -> pin);
        List<String> unpinned = Places.of(2, false).in(pin -> pin);
        assertThat(alone).as("what goes before a test JVM graded alone").isEmpty();
        assertThat(unpinned).as("what goes before a test JVM with pinning off").isEmpty();
        assertThat(Places.of(2, false).toString()).isEmpty();
    }

    private static String allowedCores(List<String> pin) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(pin);
        command.addAll(List.of("grep", "Cpus_allowed_list", "/proc/self/status"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
        return out.replaceAll("(?s).*Cpus_allowed_list:\\s*", "").strip();
    }
}
