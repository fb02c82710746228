package org.multiplex.measure;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Starts a server's {@code main} in this JVM, and answers the lab's questions about its memory
 * on standard input: the lab cannot see another JVM's heap.
 *
 * <pre>
 * java -cp ... org.multiplex.measure.Probe org.multiplex.poll.PollZenServer --port 0
 * </pre>
 *
 * <p>For each line {@code memory} it reads, it collects garbage and prints one line,
 * {@code probe heap-used=BYTES}: the heap still in use, which is what the connections hold.
 */
public final class Probe {

    /** The start of the line that answers a memory question. */
    static final String HEAP_USED = "probe heap-used=";

    private Probe() {
    }

    /**
     * Runs a server's main with a memory probe beside it.
     *
     * @param args the server's class, then its arguments
     * @throws Exception if the server's main cannot be found or fails
     */
    public static void main(String[] args) throws Exception {
        Thread.ofPlatform().daemon().name("probe").start(Probe::answer);
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }

    private static void answer() {
        BufferedReader questions = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = questions.readLine()) != null) {
                if (line.strip().equals("memory")) {
                    System.gc();
                    System.gc();
                    long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                    System.out.println(HEAP_USED + used);
                    System.out.flush();
                }
            }
        } catch (IOException e) {
            // The lab has gone: nothing more to answer.
        }
    }
}
