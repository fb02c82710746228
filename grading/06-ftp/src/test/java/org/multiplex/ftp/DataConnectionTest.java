package org.multiplex.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiplex.kit.grading.Graded;

/** Task 6.3: data connections, passive and active, to the client and to no one else. */
class DataConnectionTest {

    @TempDir
    Path root;

    @Graded(task = "6.3", points = 3)
    void lists_and_transfers_in_passive_mode_with_pasv_and_epsv() throws Exception {
        Files.writeString(root.resolve("a.txt"), "alpha");
        Files.createDirectories(root.resolve("sub"));
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
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    assertThat(client.retrieveFile("a.txt", got)).as("RETR after %s: %s", mode, client.getReplyString()).isTrue();
                    assertThat(got.toString()).isEqualTo("alpha");
                    assertThat(client.storeFile("sub/b-" + mode + ".txt", new ByteArrayInputStream("beta".getBytes())))
                            .as("STOR after %s: %s", mode, client.getReplyString()).isTrue();
                }
            } finally {
                Fixture.quit(client);
            }
        }
        assertThat(Files.readString(root.resolve("sub/b-PASV.txt"))).isEqualTo("beta");
        assertThat(Files.readString(root.resolve("sub/b-EPSV.txt"))).isEqualTo("beta");
    }

    @Graded(task = "6.3", points = 3)
    void lists_and_transfers_in_active_mode_with_port_and_eprt() throws Exception {
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
                            .extracting(FTPFile::getName).contains("a.txt");
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    assertThat(client.retrieveFile("a.txt", got)).as("RETR after %s: %s", mode, client.getReplyString()).isTrue();
                    assertThat(got.toString()).isEqualTo("alpha");
                    assertThat(client.storeFile("b-" + mode + ".txt", new ByteArrayInputStream("beta".getBytes())))
                            .as("STOR after %s: %s", mode, client.getReplyString()).isTrue();
                }
            } finally {
                Fixture.quit(client);
            }
        }
        assertThat(Files.readString(root.resolve("b-PORT.txt"))).isEqualTo("beta");
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

    @Graded(task = "6.3", points = 4)
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
                        try {
                            byte[] mine = new byte[size];
                            new Random(1000 + n).nextBytes(mine);
                            together.await(Fixture.PATIENCE.toSeconds(), TimeUnit.SECONDS);
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
                    assertThat(result.get(50, TimeUnit.SECONDS)).isEqualTo("ok");
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
