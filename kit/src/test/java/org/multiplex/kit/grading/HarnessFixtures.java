package org.multiplex.kit.grading;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.multiplex.kit.Todo;

/**
 * Suites that the harness tests run on purpose, each showing one way a graded test can end.
 * They are nested classes, so Surefire leaves them alone; only the harness tests select them.
 */
final class HarnessFixtures {

    private HarnessFixtures() {
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class Mixed {

        @Order(1)
        @Graded(task = "9.1", points = 2)
        void passes() {
            assertThat(1 + 1).isEqualTo(2);
        }

        @Order(2)
        @Graded(task = "9.1", points = 3)
        void fails_with_a_message() {
            assertThat("Ugly.").as("answer to Beautiful is better than?").isEqualTo("Complex.");
        }

        @Order(3)
        @Graded(task = "9.2")
        @Timeout(value = 300, unit = TimeUnit.MILLISECONDS)
        void never_returns() {
            // A busy loop that ignores interrupts: only a preemptive time limit ends it.
            long spins = 0;
            while (spins >= 0) {
                spins++;
            }
        }

        @Order(4)
        @Graded(task = "9.3")
        void reaches_a_stub_on_another_thread() throws InterruptedException {
            Thread server = Thread.ofPlatform()
                    .uncaughtExceptionHandler((thread, e) -> { })
                    .start(() -> {
                        throw new Todo("9.3", "answer the request");
                    });
            server.join();
            throw new AssertionError("no answer came back");
        }
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class Exits {

        @Order(1)
        @Graded(task = "9.4")
        void passes() {
        }

        @Order(2)
        @Graded(task = "9.4", points = 5)
        void exits_the_jvm() {
            System.out.println("the fixture prints this before it exits");
            System.exit(3);
        }

        @Order(3)
        @Graded(task = "9.5", points = 7)
        void never_runs() {
        }
    }
}
