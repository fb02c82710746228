package org.multiplex.measure;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import com.sun.management.UnixOperatingSystemMXBean;
import org.multiplex.kit.load.LoadGenerator;
import org.multiplex.kit.load.LoadResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark lab: every server of the course side by side, and against a server with a
 * virtual thread per connection and a Netty server with one event loop.
 *
 * <pre>
 * mvn -q compile exec:exec -Dlesson=7 -Dtree=solutions                      # the whole sweep
 * mvn -q compile exec:exec -Dlesson=7 -Dargs="--server 127.0.0.1:1060"      # a server you started
 * </pre>
 *
 * <p>For each server and each number of connections, the lab starts the server in a JVM of its
 * own, opens the connections with the kit's {@link LoadGenerator}, warms up, measures, and kills
 * the server. At the memory point (10,000 connections unless told otherwise) it also asks every
 * connection one question, lets them sit idle, and reads the server's heap and resident memory.
 * Then it writes the tables, the charts and the raw figures.
 */
@Command(name = "lab", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures the course's Zen servers side by side, and against virtual threads and Netty.")
public final class Lab implements Callable<Integer> {

    @Option(names = "--connections", split = ",", paramLabel = "N,N,...",
            description = "Numbers of concurrent connections to measure (default: ${DEFAULT-VALUE}).")
    List<Integer> connections = List.of(1, 10, 100, 1_000, 10_000);

    @Option(names = "--warmup", paramLabel = "SECONDS", description = "Warm-up before each measurement, at least; a server"
            + " the lab started is driven on until its JIT is quiet, for at most " + Sweep.WARMUP_LIMIT_SECONDS
            + " seconds (default: ${DEFAULT-VALUE}).")
    double warmup = 2;

    @Option(names = "--measure", paramLabel = "SECONDS", description = "Measured interval of each point (default: ${DEFAULT-VALUE}).")
    double measure = 3;

    @Option(names = "--warm-clients", paramLabel = "N",
            description = "Clients that come, ask " + Sweep.WARM_ASKS + " questions and go before each point's"
                    + " connections, so that the server's code for a new connection is compiled; 0 for none"
                    + " (default: ${DEFAULT-VALUE}).")
    int warmClients = 2_000;

    @Option(names = "--no-pin", description = "Leave the cores to the scheduler, instead of giving the server one"
            + " of its own and the lab the rest (Linux, with taskset).")
    boolean noPin;

    @Option(names = "--depth", description = "Requests each connection keeps outstanding: 1 is a closed loop, more pipelines (default: ${DEFAULT-VALUE}).")
    int depth = 1;

    @Option(names = "--pipelined", paramLabel = "DEPTH",
            description = "The servers the course's targets compare, and a bare continuation loop, are measured side by"
                    + " side at 1,000 connections at --depth, and again with this many requests outstanding;"
                    + " 0 for --depth only (default: ${DEFAULT-VALUE}).")
    int pipelined = 10;

    @Option(names = "--memory-connections", paramLabel = "N",
            description = "Idle connections at which to read each server's memory; 0 for none (default: ${DEFAULT-VALUE}).")
    int memoryConnections = 10_000;

    @Option(names = "--servers", split = ",", paramLabel = "NAME,...",
            description = "Only these of the lab's servers: blocking, threaded, select, poll, dispatcher, continuation,"
                    + " virtual, netty, bare.")
    List<String> only = List.of();

    @Option(names = "--server", paramLabel = "HOST:PORT",
            description = "Measure a server you started yourself, instead of the lab's servers.")
    String running;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the results (default: lessons/07-measure/results"
            + " for the reference servers, target/lab of this module otherwise).")
    Path out;

    @Option(names = "--quick", description = "A smoke run: 1 and 10 connections, short intervals, memory at 100.")
    boolean quick;

    /** Runs the lab; see {@code --help}. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        String[] given = Arrays.stream(args).flatMap(a -> Arrays.stream(a.strip().split("\\s+")))
                .filter(a -> !a.isBlank()).toArray(String[]::new);
        System.exit(new CommandLine(new Lab()).execute(given));
    }

    @Override
    public Integer call() throws Exception {
        if (quick) {
            connections = List.of(1, 10);
            warmup = 0.2;
            measure = 0.3;
            memoryConnections = 100;
        }
        List<Contender> contenders = contenders();
        if (contenders.isEmpty()) {
            System.err.println("no server matches --servers " + only);
            return 2;
        }
        int most = Math.max(memoryConnections, connections.stream().mapToInt(Integer::intValue).max().orElse(0));
        String tooFew = fileLimitProblem(most);
        if (tooFew != null) {
            System.err.println(tooFew);
            return 2;
        }
        Path root = Path.of(System.getProperty("course.root", "."));
        Path results = out != null ? out : defaultOut(root);
        Path logs = root.resolve(System.getProperty("course.tree", "solutions")).resolve("07-measure/target/lab-logs");
        int processors = Runtime.getRuntime().availableProcessors(); // one, once the lab is pinned
        Optional<Cores> cores = noPin ? Optional.empty() : Cores.split();
        if (cores.isPresent()) {
            cores.get().pinLab();
        }
        Sweep sweep = new Sweep(Duration.ofMillis((long) (warmup * 1000)), Duration.ofMillis((long) (measure * 1000)), depth,
                running == null ? memoryConnections : 0, quick ? 0 : warmClients, processors, cores, logs);
        System.out.printf("Benchmark lab: %d server(s) x %s connections; warm-up %.1f s, measured %.1f s, depth %d%n",
                contenders.size(), connections, warmup, measure, depth);
        long start = System.nanoTime();
        List<Contender> compared = running == null && !quick && connections.contains(Report.TARGET_CONNECTIONS)
                ? compared() : List.of();
        for (Contender c : contenders) {
            for (int n : connections) {
                if (n == Report.TARGET_CONNECTIONS && compared.contains(c) && n != memoryConnections) {
                    continue; // measured side by side below, and shown by the median of its rounds
                }
                sweep.point(c, n, running == null ? null : address(running));
            }
            if (running == null && memoryConnections > 0 && !connections.contains(memoryConnections)) {
                sweep.memoryOnly(c, memoryConnections);
            }
        }
        if (!compared.isEmpty()) {
            // See compared(): closed, the kernel's share is the same for every server; pipelined, less of it.
            sweep.compare(compared, Report.TARGET_CONNECTIONS,
                    pipelined > 0 && pipelined != depth ? List.of(depth, pipelined) : List.of(depth));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Report report = new Report(sweep, contenders, connections, took);
        report.print(System.out);
        report.write(results);
        System.out.println("Results written to " + results.toAbsolutePath().normalize());
        return 0;
    }

    private List<Contender> contenders() {
        if (running != null) {
            return List.of(Contender.running(running));
        }
        if (only.isEmpty()) {
            return Contender.ALL;
        }
        List<Contender> chosen = new ArrayList<>();
        for (Contender c : Contender.ALL) {
            if (only.contains(c.name())) {
                chosen.add(c);
            }
        }
        if (only.contains(Contender.BARE.name())) {
            chosen.add(Contender.BARE);
        }
        return chosen;
    }

    /**
     * Returns the servers the targets compare, with the bare continuation loop, or none if fewer
     * than two were chosen. The lab measures them side by side at the targets' point (see
     * {@link Sweep#compare}): at the sweep's depth, and pipelined. Closed, each answer costs a read
     * and a write through the kernel's loopback, the same for every server, and most of the time
     * goes there; pipelined, a read brings several requests and a write takes several answers, and
     * the servers' own code is a larger part of what is measured.
     */
    private List<Contender> compared() {
        List<Contender> compared = new ArrayList<>();
        for (String name : Contender.COMPARED) {
            if (only.isEmpty() || only.contains(name)) {
                compared.add(Contender.named(name).orElseThrow());
            }
        }
        return compared.size() < 2 ? List.of() : compared;
    }

    private Path defaultOut(Path root) {
        boolean reference = "solutions".equals(System.getProperty("course.tree")) && running == null && !quick
                && only.isEmpty();
        return reference ? root.resolve("lessons/07-measure/results")
                : root.resolve(System.getProperty("course.tree", "solutions")).resolve("07-measure/target/lab");
    }

    private static InetSocketAddress address(String hostPort) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--server wants HOST:PORT, as 127.0.0.1:1060; got " + hostPort);
        }
        return new InetSocketAddress(InetAddress.getByName(hostPort.substring(0, colon)),
                Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /**
     * Says what is wrong when this process may not open enough files for the connections, or
     * returns null. Each connection is a file descriptor in the lab and another in the server.
     */
    static String fileLimitProblem(int connections) {
        if (!(ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os)) {
            return null;
        }
        long limit = os.getMaxFileDescriptorCount();
        long needed = connections + 256L;
        if (limit >= needed) {
            return null;
        }
        return String.format("%,d connections need at least %,d open files per process, and this shell allows %,d."
                + " Raise the limit (ulimit -n %d, or up to the hard limit that 'ulimit -Hn' shows) and run again,"
                + " or measure fewer connections: --connections 1,10,100,1000 --memory-connections 1000.",
                connections, needed, limit, needed);
    }

    /** The lab's measurements, point by point. */
    static final class Sweep {

        private static final Duration CONNECT_LIMIT = Duration.ofSeconds(15);
        private static final Duration ONE_QUESTION_LIMIT = Duration.ofSeconds(5);
        /** Questions each warm-up client asks before it leaves. */
        static final int WARM_ASKS = 10;
        /** The most warm-up clients connected at once. */
        private static final int WARM_BATCH = 200;
        /** The longest warm-up of a server whose JIT does not go quiet. */
        static final int WARMUP_LIMIT_SECONDS = 20;
        /** The JIT is quiet when its compiler threads used less than this share of a core over a second. */
        private static final double QUIET_SHARE = 0.02;
        private static final Duration QUIET_SLICE = Duration.ofSeconds(1);
        /** Rounds of a side-by-side comparison: each server is measured this many times. */
        static final int ROUNDS = 3;
        /** The measured interval of a round: three make twice a point of the sweep. */
        private static final Duration ROUND = Duration.ofSeconds(2);
        /** Driven again before each round, after waiting idle while the others were measured. */
        private static final Duration REWARM = Duration.ofMillis(500);
        /** How long a batch of warm-up clients may wait for its answers. */
        private static final Duration WARM_BATCH_LIMIT = Duration.ofSeconds(1);

        final Duration warmup;
        final Duration measure;
        final int depth;
        final int memoryAt;
        final int warmClients;
        /** The cores of the machine, before the lab took its share. */
        final int processors;
        final Optional<Cores> cores;
        final Path logs;
        final List<Point> points = new ArrayList<>();
        final List<MemoryPoint> memory = new ArrayList<>();

        Sweep(Duration warmup, Duration measure, int depth, int memoryAt, int warmClients, int processors, Optional<Cores> cores,
                Path logs) {
            this.warmup = warmup;
            this.measure = measure;
            this.depth = depth;
            this.memoryAt = memoryAt;
            this.warmClients = warmClients;
            this.processors = processors;
            this.cores = cores;
            this.logs = logs;
        }

        /**
         * Returns the points of the sweep at its own depth: one each, the median round for a
         * server measured side by side.
         */
        List<Point> sweepPoints() {
            List<Point> chosen = new ArrayList<>();
            for (Point p : points) {
                if (p.depth() == depth && (p.round() == 0 || p.round() == 1)) {
                    chosen.add(p.round() == 0 ? p : median(p.server(), p.connections(), depth).orElseThrow());
                }
            }
            return chosen;
        }

        /** Returns the rounds of a side-by-side comparison of one server, first to last. */
        private List<Point> rounds(String server, int n, int depth) {
            return points.stream().filter(p -> p.server().equals(server) && p.connections() == n && p.depth() == depth
                    && p.round() > 0).toList();
        }

        /** Returns the measured interval of a round: {@link #ROUND}, or the sweep's own if that is shorter. */
        Duration round() {
            return ROUND.compareTo(measure) < 0 ? ROUND : measure;
        }

        /** Returns the measured rounds of a side-by-side comparison of one server, slowest first. */
        List<Point> measuredRounds(String server, int n, int depth) {
            return rounds(server, n, depth).stream().filter(Point::measured)
                    .sorted(Comparator.comparingDouble(Point::throughput)).toList();
        }

        /**
         * Returns the round of a side-by-side comparison with the median throughput (of an even
         * number, the lower middle one), or a failed round if none was measured.
         */
        Optional<Point> median(String server, int n, int depth) {
            List<Point> measured = measuredRounds(server, n, depth);
            return measured.isEmpty() ? rounds(server, n, depth).stream().findFirst()
                    : Optional.of(measured.get((measured.size() - 1) / 2));
        }

        /**
         * Measures several servers side by side at one number of connections, at each of some
         * depths. All are started and warmed up first, each with connections of its own; then they
         * are measured in turn, {@link #ROUNDS} rounds, while the others wait idle with their
         * connections open (an idle server costs nothing: its threads wait in the kernel). Whatever
         * else the machine does meanwhile falls on each of them alike, and each is reported by the
         * median of its rounds. For the next depth, the same servers and connections are warmed
         * up again at that depth, and measured in rounds again.
         */
        void compare(List<Contender> contenders, int n, List<Integer> depths) {
            List<Served> served = new ArrayList<>();
            try {
                for (Contender c : contenders) {
                    ServerProcess server = null;
                    LoadGenerator load = null;
                    try {
                        server = ServerProcess.start(c, cores, logs.resolve(c.name() + "-" + n + "-side-by-side.log"));
                        comeAndGo(server.address());
                        load = LoadGenerator.connect(server.address(), n, CONNECT_LIMIT);
                        load.ask(1, 1, ONE_QUESTION_LIMIT);
                        served.add(new Served(c, server, load, load.connected()));
                    } catch (IOException | RuntimeException e) {
                        if (server != null) {
                            server.close();
                        }
                        if (load != null) {
                            load.close();
                        }
                        depths.forEach(d -> record(new Point(c.name(), n, d, 1, 0, null, String.valueOf(e.getMessage()), null)));
                    }
                }
                for (int depth : depths) {
                    List<Served> warm = new ArrayList<>();
                    for (Served s : served) {
                        try {
                            warmUp(s.load(), s.server(), depth);
                            warm.add(s);
                        } catch (IOException | RuntimeException e) {
                            record(new Point(s.contender().name(), n, depth, 1, 0, null, String.valueOf(e.getMessage()), null));
                        }
                    }
                    measureRounds(warm, n, depth);
                }
            } finally {
                for (Served s : served) {
                    s.server().close(); // before its clients: see ServerProcess.close
                    s.load().close();
                }
            }
        }

        /** A server measured side by side: its process, its connections, and how many it let in. */
        private record Served(Contender contender, ServerProcess server, LoadGenerator load, int connected) {
        }

        /** Measures each server in turn, {@link #ROUNDS} times. */
        private void measureRounds(List<Served> served, int n, int depth) {
            for (int round = 1; round <= ROUNDS; round++) {
                for (Served s : served) {
                    try {
                        s.load().run(depth, REWARM, Duration.ZERO);
                        ServerProcess.Cpu before = s.server().cpu();
                        LoadResult r = s.load().run(depth, Duration.ZERO, round());
                        record(new Point(s.contender().name(), n, depth, round, s.connected(), r, "",
                                used(s.server(), before)));
                    } catch (IOException | RuntimeException e) {
                        record(new Point(s.contender().name(), n, depth, round, 0, null, String.valueOf(e.getMessage()), null));
                    }
                }
            }
        }

        /** Measures one server at one number of connections; a server that fails is recorded so. */
        void point(Contender c, int n, InetSocketAddress running) {
            ServerProcess server = null;
            try {
                InetSocketAddress address = running;
                if (running == null) {
                    server = ServerProcess.start(c, cores, logs.resolve(c.name() + "-" + n + ".log"));
                    address = server.address();
                }
                // tag::point[]
                comeAndGo(address);
                ServerProcess.Memory before = n == memoryAt ? server.memory() : null;
                try (LoadGenerator load = LoadGenerator.connect(address, n, CONNECT_LIMIT)) {
                    // Every connection asks once before the clock starts: a server that accepts
                    // slowly has all its clients by then, or is given up on after a few seconds.
                    LoadResult once = load.ask(1, 1, ONE_QUESTION_LIMIT);
                    if (before != null) {
                        memory.add(new MemoryPoint(c.name(), n, (int) once.answers(), before, server.memory()));
                    }
                    int connected = load.connected();
                    warmUp(load, server, depth);
                    ServerProcess.Cpu cpu = server == null ? null : server.cpu();
                    LoadResult r = load.run(depth, Duration.ZERO, measure);
                    cpu = used(server, cpu);
                    if (server != null) {
                        server.close(); // before the clients close: see ServerProcess.close
                    }
                    record(new Point(c.name(), n, depth, 0, connected, r, "", cpu));
                }
                // end::point[]
            } catch (IOException | RuntimeException e) {
                record(new Point(c.name(), n, depth, 0, 0, null, String.valueOf(e.getMessage()), null));
            } finally {
                if (server != null) {
                    server.close();
                }
            }
        }

        /** Returns the processor time a server used since an earlier reading; null if either is unknown. */
        private static ServerProcess.Cpu used(ServerProcess server, ServerProcess.Cpu before) {
            ServerProcess.Cpu now = server == null ? null : server.cpu();
            return before == null || now == null ? null : now.since(before);
        }

        /**
         * Serves clients that come, ask {@link #WARM_ASKS} questions and go, before the measured
         * connections arrive: a server that has been up a while has compiled its code for a new
         * connection, and a JVM just started has not. The warm-up of {@link LoadGenerator#run} cannot
         * make up for it, because the measured connections are open by then: a loop that each
         * connection enters once (a handler's read loop, on a thread or in a fiber) goes on running
         * the code it was entered with. Lesson 7 shows what that costs.
         *
         * <p>The clients come in batches, doubling from one up to {@link #WARM_BATCH}, while each
         * batch is answered in full. A server that serves one client at a time leaves the second
         * client of a batch of two waiting; it then gets the rest one by one.
         */
        void comeAndGo(InetSocketAddress address) throws IOException {
            int batch = 1;
            boolean oneAtATime = false;
            for (int served = 0; served < warmClients; ) {
                int n = Math.min(batch, warmClients - served);
                try (LoadGenerator load = LoadGenerator.connect(address, n, CONNECT_LIMIT)) {
                    LoadResult r = load.ask(WARM_ASKS, 1, n == 1 ? ONE_QUESTION_LIMIT : WARM_BATCH_LIMIT);
                    if (r.answers() < (long) n * WARM_ASKS) {
                        if (n == 1) {
                            throw new IOException("a warm-up client got " + r.answers() + " of its " + WARM_ASKS
                                    + " answers: " + r);
                        }
                        oneAtATime = true;
                    }
                }
                served += n;
                batch = oneAtATime ? 1 : Math.min(2 * batch, WARM_BATCH);
            }
        }

        /**
         * Drives the connections for the warm-up time, and then, for a server that the lab started,
         * on until its JIT is quiet: a second in which the JVM's compiler threads used less than 2%
         * of a core. With the server pinned to one core, its compiler threads take turns with the
         * server's own thread, and a server with much code to compile (Netty) needs longer than a
         * small one; measured while the JIT still works, it would be measured for its warm-up.
         */
        private void warmUp(LoadGenerator load, ServerProcess server, int depth) throws IOException {
            if (server == null || server.compilerNanos() < 0) {
                load.run(depth, warmup, Duration.ZERO); // a server out of the lab's sight: the time alone
                return;
            }
            long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(WARMUP_LIMIT_SECONDS);
            Duration first = warmup.compareTo(QUIET_SLICE) > 0 ? warmup.minus(QUIET_SLICE) : Duration.ZERO;
            load.run(depth, first, Duration.ZERO);
            long compiled = server.compilerNanos();
            while (true) {
                load.run(depth, QUIET_SLICE, Duration.ZERO);
                long now = server.compilerNanos();
                if (now - compiled < QUIET_SHARE * QUIET_SLICE.toNanos() || System.nanoTime() >= limit) {
                    return;
                }
                compiled = now;
            }
        }

        /** Reads a server's memory with idle connections, when that is not one of the sweep's points. */
        void memoryOnly(Contender c, int n) {
            try (ServerProcess server = ServerProcess.start(c, cores, logs.resolve(c.name() + "-memory.log"))) {
                comeAndGo(server.address());
                ServerProcess.Memory before = server.memory();
                try (LoadGenerator load = LoadGenerator.connect(server.address(), n, CONNECT_LIMIT)) {
                    LoadResult once = load.ask(1, 1, ONE_QUESTION_LIMIT);
                    memory.add(new MemoryPoint(c.name(), n, (int) once.answers(), before, server.memory()));
                    server.close();
                }
            } catch (IOException | RuntimeException e) {
                System.out.printf("%-12s memory at %,d connections: failed: %s%n", c.name(), n, e.getMessage());
            }
        }

        private void record(Point p) {
            points.add(p);
            System.out.println(p.line());
        }
    }
}
