package org.multiplex.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiplex.ftp.Fixture.Control;
import org.multiplex.kit.grading.Graded;

/** Task 6.3: data connections, passive and active, to the client and to no one else. */
@ExtendWith(Explained.class)
class DataConnectionTest {

    @TempDir
    Path root;
    @TempDir
    Path outside;

    @Graded(task = "6.3", points = 3)
    void lists_in_passive_mode_with_pasv_and_epsv() throws Exception {
        Files.writeString(root.resolve("a.txt"), "alpha");
        Files.createDirectories(root.resolve("sub"));
        // A link out of the root: no listing shows it, nor what it leads to.
        Files.createSymbolicLink(root.resolve("door"), outside);
        try (Fixture ftp = new Fixture(root)) {
            FTPClient client = ftp.login();
            try {
                for (boolean epsv : new boolean[] {false, true}) {
                    client.setUseEPSVwithIPv4(epsv);
                    String mode = epsv ? "EPSV" : "PASV";
                    FTPFile[] files = client.listFiles();
                    assertThat(files).as("LIST after %s: %s", mode, client.getReplyString())
                            .extracting(FTPFile::getName).containsExactly("a.txt", "sub");
                    assertThat(files[0].isFile()).isTrue();
                    assertThat(files[1].isDirectory()).isTrue();
                    assertThat(client.listNames()).as("NLST after %s", mode).containsExactly("a.txt", "sub");
                    assertThat(client.mlistDir()).as("MLSD after %s", mode).extracting(FTPFile::getName)
                            .containsExactly("a.txt", "sub");
                }
            } finally {
                Fixture.quit(client);
            }
        }
    }

    @Graded(task = "6.3", points = 3)
    void lists_in_active_mode_with_port_and_eprt() throws Exception {
        Files.writeString(root.resolve("a.txt"), "alpha");
        try (Fixture ftp = new Fixture(root)) {
            FTPClient client = ftp.login();
            try {
                for (boolean eprt : new boolean[] {false, true}) {
                    client.enterLocalActiveMode();
                    client.setActiveExternalIPAddress("127.0.0.1");
                    client.setUseEPSVwithIPv4(eprt);
                    String mode = eprt ? "EPRT" : "PORT";
                    // Commons Net sends EPRT for IPv6 only; send it by hand to test it on IPv4.
                    FTPFile[] files = eprt ? listWithEprt(client) : client.listFiles();
                    assertThat(files).as("LIST after %s: %s", mode, client.getReplyString())
                            .extracting(FTPFile::getName).containsExactly("a.txt");
                    if (!eprt) {
                        assertThat(client.mlistDir()).as("MLSD after PORT").extracting(FTPFile::getName).containsExactly("a.txt");
                    }
                }
            } finally {
                Fixture.quit(client);
            }
        }
    }

    /** Lists the working folder over an EPRT data connection that the test itself listens for. */
    private static FTPFile[] listWithEprt(FTPClient client) throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            assertThat(client.sendCommand("EPRT", "|1|127.0.0.1|" + port + "|")).as("EPRT: %s", client.getReplyString())
                    .isEqualTo(200);
            assertThat(client.sendCommand("NLST")).as("NLST: %s", client.getReplyString()).isEqualTo(150);
            String names;
            try (var data = listener.accept()) {
                names = new String(Fixture.readToEnd(data.socket(), "NLST over the data connection of EPRT"),
                        StandardCharsets.UTF_8);
            }
            assertThat(client.getReply()).as("the reply at the end of the listing: %s", client.getReplyString()).isEqualTo(226);
            return names.lines().map(name -> {
                FTPFile file = new FTPFile();
                file.setName(name);
                return file;
            }).toArray(FTPFile[]::new);
        }
    }

    @Graded(task = "6.3", points = 3)
    void refuses_port_and_eprt_to_another_host_before_connecting() throws Exception {
        Files.writeString(root.resolve("a.txt"), "alpha");
        String bounce = "active must refuse (ProtocolException, 504) an address other than the client's own, before"
                + " anything connects: a server that connects where PORT says can be made to attack a third host (the"
                + " FTP bounce)";
        // 127.0.0.2 is this machine too, but not the address the client connects from.
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD);
             ServerSocketChannel thirdHost = ServerSocketChannel.open()) {
            thirdHost.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            thirdHost.configureBlocking(false);
            int port = ((InetSocketAddress) thirdHost.getLocalAddress()).getPort();
            for (String command : new String[] {"PORT 127,0,0,2," + (port >> 8) + "," + (port & 0xFF),
                    "EPRT |1|127.0.0.2|" + port + "|"}) {
                String reply = control.send(command).reply();
                assertThat(reply).as("the reply to %s: %s", command, Control.CLOSED).isNotNull();
                if (reply.startsWith("2")) {
                    // Taken: ask for a transfer, and see whether the server connects there.
                    control.send("RETR a.txt");
                    for (String next = control.reply(); next != null && next.startsWith("1"); next = control.reply()) {
                        // The 150 of a transfer that went to the third host; its end follows.
                    }
                }
                try (var made = thirdHost.accept()) {
                    assertThat(made).as("a connection the server made to 127.0.0.2, a third host, after `%s` (reply:"
                            + " `%s`) and RETR: %s", command, Fixture.shorten(reply), bounce).isNull();
                }
                assertThat(reply).as("the reply to `%s`, an address not the client's: %s", command, bounce)
                        .matches("5\\d\\d .*");
            }
            control.check("RETR a.txt", 425, "after a refused PORT or EPRT there is no data connection to make");
            control.check("EPRT |1|10.1.2.3|" + port + "|", 504, "EPRT to 10.1.2.3; " + bounce);
            control.check("PORT 127,0,0,1,0,25", 504, "PORT to the client's own address but port 25: active must refuse"
                    + " a port under 1024 too (RFC 2577)");
            control.check("LIST", 425, "after a refused EPRT there is no data connection to make");
            control.check("NOOP", 200, "NOOP: the session goes on");
        }
    }

    @Graded(task = "6.3", points = 1)
    void names_the_address_the_client_reached_in_the_pasv_reply_and_closes_a_listener_replaced() throws Exception {
        Files.writeString(root.resolve("a.txt"), "alpha");
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD)) {
            String first = control.check("EPSV", 229, "EPSV opens a passive listener and names its port");
            int firstPort = Integer.parseInt(first.replaceAll(".*\\(\\|\\|\\|(\\d+)\\|\\).*", "$1"));
            String reply = control.check("PASV", 227, "PASV opens a passive listener and names its address and port");
            Matcher numbers = Pattern.compile("\\((\\d+),(\\d+),(\\d+),(\\d+),(\\d+),(\\d+)\\)").matcher(reply);
            assertThat(numbers.find()).as("PASV's reply, with (h1,h2,h3,h4,p1,p2) in it: %s", reply).isTrue();
            String host = numbers.group(1) + "." + numbers.group(2) + "." + numbers.group(3) + "." + numbers.group(4);
            int port = Integer.parseInt(numbers.group(5)) * 256 + Integer.parseInt(numbers.group(6));
            assertThat(host).as("the address in PASV's reply `%s`: passive must listen on the address the client"
                    + " reached the server on (the control connection's local address), and say so", reply)
                    .isEqualTo(ftp.address.getAddress().getHostAddress());
            if (port != firstPort) {
                // The listener of the first EPSV was replaced: nothing may still listen there.
                boolean connected;
                try (Socket stale = new Socket()) {
                    stale.connect(new InetSocketAddress(ftp.address.getAddress(), firstPort), (int) Fixture.PATIENCE.toMillis());
                    connected = true;
                } catch (ConnectException e) {
                    connected = false; // Refused: nothing listens there any more.
                }
                assertThat(connected).as("a connection to the port of an earlier EPSV, made after PASV replaced it:"
                        + " passive must close the listener it replaces, or the port stays open").isFalse();
            }
            try (Socket data = new Socket()) {
                data.connect(new InetSocketAddress(host, port), (int) Fixture.PATIENCE.toMillis());
                control.check("NLST", 150, "NLST over the connection to the port PASV named");
                assertThat(new String(Fixture.readToEnd(data, "NLST after PASV"), StandardCharsets.UTF_8))
                        .as("the names NLST sent").isEqualTo("a.txt\r\n");
            }
            control.expect(226, "the listing is over");
        }
    }

    @Graded(task = "6.3", points = 1)
    void gives_the_data_connection_to_the_client_only_not_to_another_address() throws Exception {
        Files.writeString(root.resolve("a.txt"), "alpha");
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD)) {
            String reply = control.check("EPSV", 229, "EPSV opens a passive listener and names its port");
            int port = Integer.parseInt(reply.replaceAll(".*\\(\\|\\|\\|(\\d+)\\|\\).*", "$1"));
            InetSocketAddress listener = new InetSocketAddress(ftp.address.getAddress(), port);
            try (Socket thief = new Socket(); Socket data = new Socket()) {
                // Another host (127.0.0.2) connects first, then the client.
                thief.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
                thief.connect(listener, (int) Fixture.PATIENCE.toMillis());
                thief.setSoTimeout((int) Fixture.PATIENCE.toMillis());
                data.connect(listener, (int) Fixture.PATIENCE.toMillis());
                control.check("RETR a.txt", 150, "RETR once the client's data connection is made");
                byte[] stolen;
                try {
                    stolen = thief.getInputStream().readAllBytes();
                } catch (IOException e) {
                    stolen = new byte[0]; // Reset, or no end in time: nothing was sent to it.
                }
                assertThat(new String(stolen, StandardCharsets.UTF_8)).as("what a data connection from 127.0.0.2, not"
                        + " the client's address, received: open must close a connection from any address but the"
                        + " client's, and accept on").isEmpty();
                assertThat(new String(Fixture.readToEnd(data, "RETR a.txt over the client's data connection"),
                        StandardCharsets.UTF_8)).as("what the client's own data connection received").isEqualTo("alpha");
            }
            control.expect(226, "the transfer is over");
        }
    }

    @Graded(task = "6.3", points = 1)
    void aborts_a_transfer_still_waiting_for_its_data_connection() throws Exception {
        Files.writeString(root.resolve("a.txt"), "alpha");
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD)) {
            control.send("EPSV").expect(229, "EPSV opens a passive listener");
            // The client never connects: the transfer's fiber waits in accept until ABOR.
            control.send("RETR a.txt");
            control.send("ABOR");
            String wake = "RETR's data connection never came and ABOR followed: ABOR closes the passive listener"
                    + " (DataChannel.close), which must wake the transfer's fiber parked in accept; keep the listener in"
                    + " its field while the fiber waits";
            control.expect(425, "the reply that ends the RETR whose data connection never came; " + wake);
            control.expect(226, "the reply to ABOR, after the transfer's own; " + wake);
            control.check("NOOP", 200, "NOOP after the abort");
        }
    }
}
