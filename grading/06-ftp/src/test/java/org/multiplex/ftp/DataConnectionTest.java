package org.multiplex.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.io.TempDir;
import org.multiplex.kit.grading.Graded;

/** Task 6.3: data connections, passive and active, to the client and to no one else. */
class DataConnectionTest {

    @TempDir
    Path root;
    @TempDir
    Path outside;

    @Graded(task = "6.3", points = 4)
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

    @Graded(task = "6.3", points = 4)
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
                names = new String(data.socket().getInputStream().readAllBytes());
            }
            assertThat(client.getReply()).as("the reply at the end of the listing").isEqualTo(226);
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
        // 127.0.0.2 is this machine too, but not the address the client connects from.
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD);
             ServerSocketChannel thirdHost = ServerSocketChannel.open()) {
            thirdHost.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            thirdHost.configureBlocking(false);
            int port = ((InetSocketAddress) thirdHost.getLocalAddress()).getPort();
            assertThat(control.code("PORT 127,0,0,2," + (port >> 8) + "," + (port & 0xFF)))
                    .as("PORT to 127.0.0.2, not the client's address").isBetween(500, 599);
            assertThat(control.code("RETR a.txt")).as("RETR after a refused PORT: no data connection to make")
                    .isEqualTo(425);
            assertThat(control.code("EPRT |1|127.0.0.2|" + port + "|")).as("EPRT to 127.0.0.2").isBetween(500, 599);
            assertThat(control.code("EPRT |1|10.1.2.3|" + port + "|")).as("EPRT to 10.1.2.3").isBetween(500, 599);
            assertThat(control.code("LIST")).as("LIST after a refused EPRT").isEqualTo(425);
            assertThat(thirdHost.accept()).as("a connection the server made to the third host").isNull();
            assertThat(control.code("NOOP")).as("NOOP: the session goes on").isEqualTo(200);
        }
    }

    @Graded(task = "6.3", points = 1)
    void aborts_a_transfer_still_waiting_for_its_data_connection() throws Exception {
        Files.writeString(root.resolve("a.txt"), "alpha");
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD)) {
            control.send("EPSV").expect(229);
            // The client never connects: the transfer's fiber waits in accept until ABOR.
            control.send("RETR a.txt");
            control.send("ABOR");
            assertThat(control.reply()).as("the reply that ends the RETR whose data connection never came").startsWith("4");
            assertThat(control.reply()).as("the reply to ABOR").startsWith("226");
            assertThat(control.code("NOOP")).as("NOOP after the abort").isEqualTo(200);
        }
    }
}
