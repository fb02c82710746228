package org.multiplex.ftp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.multiplex.continuations.BaseRequestHandler;
import org.multiplex.continuations.Fiber;
import org.multiplex.continuations.SelectDispatcher;
import org.multiplex.kit.net.ConnectionStats;

/**
 * One FTP session: the client's control connection, served by this fiber in blocking style, and
 * its data connections, each served by a fiber of its own while this one goes on reading commands.
 *
 * <p>Every command gets exactly one reply, in order. A transfer command gets two: {@code 150}
 * when its data connection is open, and {@code 226} (or an error) when it is over. While a
 * transfer runs, the next command waits for it to end, except {@code ABOR}, which ends it.
 */
final class FtpSession extends BaseRequestHandler {

    /** Commands a client may send before it has logged in. */
    private static final Set<String> BEFORE_LOGIN = Set.of("USER", "PASS", "QUIT", "SYST", "FEAT", "NOOP",
            "OPTS", "HELP", "AUTH");
    /** Commands that change the files: refused to a user who may only read. */
    private static final Set<String> WRITES = Set.of("STOR", "APPE", "DELE", "MKD", "XMKD", "RMD", "XRMD",
            "RNFR", "RNTO");
    /** Commands of RFC 959 that this server knows and does not carry out: 502, not 500. */
    private static final Set<String> NOT_IMPLEMENTED = Set.of("ACCT", "SMNT", "REIN", "STOU", "STAT", "SITE");
    /** How long a data connection may wait to be opened, or stay silent. */
    private static final Duration DATA_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration FOREVER = Duration.ofDays(365);

    private final SelectDispatcher dispatcher;
    private final FtpServer.Config config;
    private final ConnectionStats stats;
    private final ControlChannel control;
    private final DataChannel data;

    private String userName;
    private Users.Access access;
    private String cwd = "/";
    private boolean ascii = true;
    private boolean blockMode;
    private long restartAt;
    private Path renameFrom;
    /** The fiber of the transfer under way, and its data connection once open. */
    private Fiber transfer;
    private SocketChannel transferData;
    private boolean aborted;

    FtpSession(SelectDispatcher dispatcher, SocketChannel channel, FtpServer.Config config, ConnectionStats stats)
            throws IOException {
        super(dispatcher, channel);
        this.dispatcher = dispatcher;
        this.config = config;
        this.stats = stats;
        this.control = new ControlChannel(dispatcher, channel);
        this.data = new DataChannel(dispatcher, channel);
    }

    // tag::control-loop[]
    @Override
    protected void handle() throws IOException {
        dispatcher.timeout(config.idle());
        control.reply(220, "Multiplex FTP server ready");
        while (true) {
            String line;
            try {
                line = control.readLine();
            } catch (SocketTimeoutException e) {
                if (transfer != null && !transfer.isDone()) {
                    continue; // Quiet while a long transfer runs: not idle.
                }
                control.reply(421, "Idle for more than " + config.idle().toSeconds() + " s; goodbye");
                return;
            }
            if (line == null) {
                return;
            }
            stats.answered();
            if (line == ControlChannel.TOO_LONG) {
                control.reply(500, "Command line longer than " + ControlChannel.MAX_LINE + " bytes");
            } else if (!execute(line)) {
                return;
            }
        }
    }
    // end::control-loop[]

    /**
     * Carries out one command line and sends its reply.
     *
     * @return false once the session is over (QUIT)
     */
    // tag::dispatch[]
    private boolean execute(String line) throws IOException {
        // TODO(6.1): split the line into an upper-case verb and its argument; unless it is ABOR, let a running transfer end first; refuse with 530 what needs a login, with 550 a write by a read-only user; run the verb's method (502 for one of NOT_IMPLEMENTED, 500 for a verb not known, 501 for a bad argument, 550 for a path that is missing or outside the root, or any other FileSystemException); return false after QUIT
        throw new org.multiplex.kit.Todo("6.1", "split the line into an upper-case verb and its argument; unless it is ABOR, let a running transfer end first; refuse with 530 what needs a login, with 550 a write by a read-only user; run the verb's method (502 for one of NOT_IMPLEMENTED, 500 for a verb not known, 501 for a bad argument, 550 for a path that is missing or outside the root, or any other FileSystemException); return false after QUIT");
    }
    // end::dispatch[]

    // -----------------------------------------------------------------------------------------
    // Logging in, and settings

    private void user(String name) throws IOException {
        userName = name;
        access = null;
        control.reply(331, Users.ANONYMOUS.contains(name.toLowerCase(Locale.ROOT))
                ? "Anonymous login: send anything as the password" : "Password required for " + name);
    }

    private void pass(String password) throws IOException {
        if (userName == null) {
            control.reply(503, "Send USER first");
            return;
        }
        access = config.users().login(userName, password).orElse(null);
        if (access == null) {
            userName = null;
            control.reply(530, "Login incorrect");
        } else {
            control.reply(230, "Logged in" + (access == Users.Access.READ_ONLY ? ", to read only" : ""));
        }
    }

    private void opts(String argument) throws IOException {
        String upper = argument.toUpperCase(Locale.ROOT).strip();
        if (upper.equals("UTF8 ON") || upper.equals("UTF8")) {
            control.reply(200, "Always in UTF-8");
        } else if (upper.startsWith("MLST")) {
            // RFC 3659, section 7.9: the facts MLST and MLSD will give; these are always all four.
            control.reply(200, "MLST OPTS type;size;modify;perm;");
        } else {
            control.reply(501, "Option not understood");
        }
    }

    private void type(String argument) throws IOException {
        switch (argument.toUpperCase(Locale.ROOT).strip()) {
            case "A", "A N" -> ascii = true;
            case "I", "L 8" -> ascii = false;
            default -> {
                control.reply(504, "Only TYPE A and TYPE I");
                return;
            }
        }
        control.reply(200, "Type set to " + (ascii ? "A" : "I"));
    }

    private void mode(String argument) throws IOException {
        switch (argument.toUpperCase(Locale.ROOT).strip()) {
            case "S" -> blockMode = false;
            case "B" -> blockMode = true;
            default -> {
                control.reply(504, "Only MODE S and MODE B");
                return;
            }
        }
        control.reply(200, "Mode set to " + (blockMode ? "B" : "S"));
    }

    private void stru(String argument) throws IOException {
        if (argument.strip().equalsIgnoreCase("F")) {
            control.reply(200, "Structure set to F");
        } else {
            control.reply(504, "Only STRU F");
        }
    }

    private void rest(String argument) throws IOException {
        try {
            long offset = Long.parseLong(argument.strip());
            if (offset < 0) {
                throw new NumberFormatException();
            }
            restartAt = offset;
            control.reply(350, "Restarting at " + offset + "; send RETR or STOR");
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("REST takes a byte offset");
        }
    }

    // -----------------------------------------------------------------------------------------
    // Data connections

    private void pasv() throws IOException {
        if (!data.ipv4()) {
            control.reply(522, "PASV needs IPv4: use EPSV");
            return;
        }
        InetSocketAddress address = data.passive();
        byte[] ip = address.getAddress().getAddress();
        control.reply(227, String.format("Entering Passive Mode (%d,%d,%d,%d,%d,%d)", ip[0] & 0xFF, ip[1] & 0xFF,
                ip[2] & 0xFF, ip[3] & 0xFF, address.getPort() >> 8, address.getPort() & 0xFF));
    }

    private void epsv(String argument) throws IOException {
        String which = argument.strip();
        if (which.equalsIgnoreCase("ALL")) {
            control.reply(200, "EPSV ALL: only EPSV from now on");
            return;
        }
        if (!which.isEmpty() && !which.equals(data.ipv4() ? "1" : "2")) {
            control.reply(522, "Network protocol not supported, use (" + (data.ipv4() ? 1 : 2) + ")");
            return;
        }
        control.reply(229, "Entering Extended Passive Mode (|||" + data.passive().getPort() + "|)");
    }

    private void port(String argument) throws IOException {
        String[] parts = argument.strip().split(",");
        if (parts.length != 6) {
            throw new IllegalArgumentException("PORT takes h1,h2,h3,h4,p1,p2");
        }
        byte[] ip = new byte[4];
        int[] numbers = new int[6];
        for (int i = 0; i < 6; i++) {
            numbers[i] = number(parts[i], 0, 255);
        }
        for (int i = 0; i < 4; i++) {
            ip[i] = (byte) numbers[i];
        }
        active(new InetSocketAddress(InetAddress.getByAddress(ip), numbers[4] * 256 + numbers[5]));
    }

    private void eprt(String argument) throws IOException {
        // |1|132.235.1.2|6275|: the first character is the delimiter.
        if (argument.length() < 2) {
            throw new IllegalArgumentException("EPRT takes |protocol|address|port|");
        }
        String[] parts = argument.substring(1).split(java.util.regex.Pattern.quote(argument.substring(0, 1)), -1);
        if (parts.length != 4 || !parts[3].isEmpty()) {
            throw new IllegalArgumentException("EPRT takes |protocol|address|port|");
        }
        if (!parts[0].equals("1") && !parts[0].equals("2")) {
            control.reply(522, "Network protocol not supported, use (1,2)");
            return;
        }
        if (!parts[1].matches("[0-9A-Fa-f.:]+")) {
            throw new IllegalArgumentException("not a numeric address: " + parts[1]);
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(parts[1]);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + parts[1]);
        }
        active(new InetSocketAddress(address, number(parts[2], 1, 65535)));
    }

    private void active(InetSocketAddress address) throws IOException {
        try {
            data.active(address);
            control.reply(200, "Active mode: will connect to port " + address.getPort());
        } catch (ProtocolException e) {
            control.reply(504, "Refused: " + e.getMessage());
        }
    }

    private static int number(String text, int min, int max) {
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Refused below.
        }
        throw new IllegalArgumentException("not a number from " + min + " to " + max + ": " + text);
    }

    // -----------------------------------------------------------------------------------------
    // Transfers

    /** What a transfer does once its data connection is open. */
    @FunctionalInterface
    private interface Work {
        void run(Transfer transfer) throws IOException;
    }

    private void list(String argument, Listing.Kind kind) throws IOException {
        // Clients send options as "LIST -la" or "LIST -a docs": ls's options, which this listing ignores.
        String name = argument.strip();
        while (name.startsWith("-")) {
            int space = name.indexOf(' ');
            name = space < 0 ? "" : name.substring(space + 1).strip();
        }
        Path path = config.root().real(config.root().virtual(cwd, name));
        if (!Files.exists(path) || kind == Listing.Kind.MLSD && !Files.isDirectory(path)) {
            throw new NoSuchFileException(name);
        }
        if (!dataReady()) {
            return;
        }
        byte[] text = Listing.of(path, kind, access == Users.Access.READ_ONLY, config.root())
                .getBytes(StandardCharsets.UTF_8);
        startTransfer("Here comes the listing", () -> { }, transfer -> transfer.send(text));
    }

    /** MLST: the facts of one file or folder, on the control connection (RFC 3659, section 7). */
    private void mlst(String argument) throws IOException {
        String target = config.root().virtual(cwd, argument.strip());
        Path path = config.root().real(target);
        if (!Files.exists(path)) {
            throw new NoSuchFileException(argument);
        }
        var attributes = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class);
        control.reply(250, List.of("Facts of " + target, Listing.facts(attributes, access == Users.Access.READ_ONLY)
                + " " + target, "End"));
    }

    private void retr(String argument) throws IOException {
        Path path = file(argument);
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(argument);
        }
        if (!dataReady()) {
            return;
        }
        long offset = restartAt;
        restartAt = 0;
        FileChannel file = FileChannel.open(path, StandardOpenOption.READ);
        if (offset > file.size()) {
            file.close();
            control.reply(554, "Restart offset " + offset + " is past the end of the file");
            return;
        }
        startTransfer("Sending " + (file.size() - offset) + " bytes", file, transfer -> transfer.send(file, offset));
    }

    private void store(String argument, boolean append) throws IOException {
        Path path = file(argument);
        if (Files.isDirectory(path)) {
            control.reply(550, "That is a folder");
            return;
        }
        if (!dataReady()) {
            return;
        }
        long offset = restartAt;
        restartAt = 0;
        FileChannel file = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.WRITE);
        if (!append) {
            if (offset > file.size()) {
                file.close();
                control.reply(554, "Restart offset " + offset + " is past the end of the file");
                return;
            }
            file.truncate(offset).position(offset);
        }
        startTransfer("Ready to receive", file, transfer -> transfer.receive(file));
    }

    /**
     * Starts a transfer in a fiber of its own; this fiber goes back to reading commands.
     *
     * @param what  the text of the 150 reply
     * @param file  what the transfer reads or writes, closed when it ends, whatever happens
     * @param work  what the transfer does once its data connection is open
     */
    // tag::start-transfer[]
    private void startTransfer(String what, java.io.Closeable file, Work work) {
        aborted = false;
        Transfer.Form form = new Transfer.Form(ascii, blockMode);
        transfer = dispatcher.start("data of " + data.client().getHostAddress(), () -> {
            try (file) {
                dispatcher.timeout(DATA_TIMEOUT);
                try {
                    transferData = data.open();
                } catch (IOException e) {
                    control.reply(425, "Cannot open the data connection");
                    return;
                }
                try {
                    control.reply(150, what);
                    work.run(new Transfer(dispatcher, transferData, form));
                    dispatcher.close(transferData);
                    control.reply(226, "Transfer complete");
                    // Counted here, on the thread that moved the bytes: the stats show every thread that served.
                    stats.answered();
                } catch (IOException e) {
                    control.reply(426, aborted ? "Transfer aborted" : "Data connection lost: " + e.getMessage());
                } finally {
                    dispatcher.close(transferData);
                    transferData = null;
                }
            } catch (IOException e) {
                // The control connection is gone too: its own fiber ends the session.
            } catch (RuntimeException e) {
                // A bug: no reply will come, so end the session rather than leave the client waiting.
                dispatcher.close(channel);
                throw e;
            }
        });
    }
    // end::start-transfer[]

    /** Returns whether the next transfer knows how to get its data connection; if not, says so. */
    private boolean dataReady() throws IOException {
        if (!data.ready()) {
            control.reply(425, "Send PASV, EPSV, PORT or EPRT first");
        }
        return data.ready();
    }

    /** Waits until the transfer under way, if any, has ended. */
    private void awaitTransfer() {
        if (transfer != null) {
            dispatcher.join(transfer, FOREVER);
            transfer = null;
        }
    }

    private void abor() throws IOException {
        if (transfer == null || transfer.isDone()) {
            transfer = null;
            control.reply(225, "No transfer to abort");
            return;
        }
        aborted = true;
        // Closing wakes the transfer's fiber, wherever it waits, with an AsynchronousCloseException.
        if (transferData != null) {
            dispatcher.close(transferData);
        }
        data.close();
        awaitTransfer();
        control.reply(226, "Abort successful");
    }

    // -----------------------------------------------------------------------------------------
    // Files and folders

    /** Returns the real path of a file the client named, inside the root. */
    private Path file(String name) throws IOException {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a file name is needed");
        }
        return config.root().real(config.root().virtual(cwd, name));
    }

    private void cwd(String argument) throws IOException {
        String target = config.root().virtual(cwd, argument.isEmpty() ? "/" : argument);
        if (!Files.isDirectory(config.root().real(target))) {
            throw new NoSuchFileException(argument);
        }
        cwd = target;
        control.reply(250, "Folder changed to " + cwd);
    }

    private void dele(String argument) throws IOException {
        Path path = file(argument);
        if (!Files.isRegularFile(path, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(path)) {
            throw new NoSuchFileException(argument);
        }
        Files.delete(path);
        control.reply(250, "Deleted");
    }

    private void mkd(String argument) throws IOException {
        String target = config.root().virtual(cwd, argument);
        try {
            Files.createDirectory(config.root().real(target));
            control.reply(257, quote(target) + " created");
        } catch (FileAlreadyExistsException e) {
            control.reply(550, "Already exists");
        }
    }

    private void rmd(String argument) throws IOException {
        String target = config.root().virtual(cwd, argument);
        Path path = config.root().real(target);
        if (target.equals("/") || !Files.isDirectory(path)) {
            throw new NoSuchFileException(argument);
        }
        try {
            Files.delete(path);
            control.reply(250, "Folder removed");
        } catch (DirectoryNotEmptyException e) {
            control.reply(550, "Folder not empty");
        }
    }

    private void rnfr(String argument) throws IOException {
        Path path = file(argument);
        if (!Files.exists(path)) {
            throw new NoSuchFileException(argument);
        }
        renameFrom = path;
        control.reply(350, "Ready for RNTO");
    }

    private void rnto(String argument) throws IOException {
        if (renameFrom == null) {
            control.reply(503, "Send RNFR first");
            return;
        }
        Path from = renameFrom;
        renameFrom = null;
        Path to = file(argument);
        if (Files.exists(to)) {
            control.reply(550, "The new name is taken");
            return;
        }
        Files.move(from, to);
        control.reply(250, "Renamed");
    }

    private void size(String argument) throws IOException {
        Path path = file(argument);
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(argument);
        }
        control.reply(213, String.valueOf(Files.size(path)));
    }

    private void mdtm(String argument) throws IOException {
        Path path = file(argument);
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(argument);
        }
        control.reply(213, Listing.MACHINE_TIME.format(Files.getLastModifiedTime(path).toInstant()));
    }

    /** Quotes a path for a 257 reply: in double quotes, each double quote in it doubled (RFC 959). */
    private static String quote(String path) {
        return "\"" + path.replace("\"", "\"\"") + "\"";
    }

    @Override
    protected void finish() throws IOException {
        // The client left: end its transfer, if one runs, before the control channel closes.
        aborted = true;
        if (transferData != null) {
            dispatcher.close(transferData);
        }
        data.close();
        if (transfer != null) {
            dispatcher.join(transfer, DATA_TIMEOUT);
        }
    }
}
