package org.multiplex.measure;

import java.util.List;
import java.util.Optional;

/**
 * A server the lab measures: a name for the tables, and the class whose {@code main} starts it
 * with {@code --port}.
 *
 * @param name      the name in tables and charts
 * @param mainClass the server's class
 * @param design    how it serves its clients, in a few words
 */
public record Contender(String name, String mainClass, String design) {

    /** The servers of the course, then the two it is measured against, in the order of the tables. */
    public static final List<Contender> ALL = List.of(
            new Contender("blocking", "org.multiplex.blocking.BlockingZenServer", "lesson 1: one thread, one client at a time"),
            new Contender("threaded", "org.multiplex.blocking.ThreadedZenServer", "lesson 1: a platform thread per connection"),
            new Contender("select", "org.multiplex.select.SelectZenServer", "lesson 2: one thread, read interest only"),
            new Contender("poll", "org.multiplex.poll.PollZenServer", "lesson 3: one thread, interest switching"),
            new Contender("dispatcher", "org.multiplex.dispatcher.DispatcherZenServer", "lesson 4: asyncore-style dispatcher, one thread"),
            new Contender("continuation", "org.multiplex.continuations.ContinuationZenServer", "lesson 5: continuations, one thread"),
            // Lesson 5's handler again, unchanged, on one JDK virtual thread per connection.
            new Contender("virtual", "org.multiplex.continuations.VirtualThreadZenServer", "JDK virtual thread per connection"),
            new Contender("netty", NettyZenServer.class.getName(), "Netty, one event-loop thread"));

    /** Lesson 5's coroutines on a selector with nothing else: a yardstick for the dispatcher, not a lesson. */
    public static final Contender BARE = new Contender("bare", BareContinuationZenServer.class.getName(),
            "lesson 5's coroutines on a selector, and nothing else");

    /**
     * The servers the course's targets compare, with the bare loop beside them: the lab measures
     * them side by side at the targets' point, closed and pipelined, instead of one by one.
     */
    public static final List<String> COMPARED = List.of("dispatcher", "continuation", "bare", "virtual", "netty");

    /** Returns the lab's server of this name, the bare loop included, if there is one. */
    static Optional<Contender> named(String name) {
        return name.equals(BARE.name()) ? Optional.of(BARE) : ALL.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /**
     * Returns a server that is already running, started by hand: the lab measures its answers,
     * not its memory.
     *
     * @param where its address, as {@code host:port}
     * @return a contender with no class to start
     */
    static Contender running(String where) {
        return new Contender("yours " + where, "", "a server you started");
    }

    /** Returns whether the lab starts this server itself. */
    boolean started() {
        return !mainClass.isEmpty();
    }
}
