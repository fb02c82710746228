package org.multiplex.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiplex.kit.Todo;
import org.multiplex.kit.grading.Graded;

/** Task 6.4: RETR sends a file, byte for byte, in every type and mode, from any offset. */
@ExtendWith(Explained.class)
class RetrieveTest {

    @TempDir
    Path root;

    @Graded(task = "6.4", points = 3)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void downloads_a_50_mb_file_byte_for_byte() throws Exception {
        Path file = Fixture.randomFile(root, "big.bin", 50 * 1024 * 1024, 50);
        String expected = Fixture.sha256(Files.readAllBytes(file));
        try (Fixture ftp = new Fixture(root)) {
            FTPClient client = ftp.login();
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                long received = 0;
                try (InputStream in = client.retrieveFileStream("big.bin")) {
                    assertThat(in).as("RETR big.bin: %s", client.getReplyString()).isNotNull();
                    DigestInputStream digesting = new DigestInputStream(in, digest);
                    byte[] chunk = new byte[64 * 1024];
                    for (int n; (n = digesting.read(chunk)) > 0; ) {
                        received += n;
                    }
                }
                assertThat(client.completePendingCommand()).as("the reply after the transfer: %s", client.getReplyString()).isTrue();
                assertThat(received).as("bytes received of a 50 MB file: a write may take only part of a buffer, and"
                        + " what it leaves must still be sent (Io.write, not a bare channel write)").isEqualTo(Files.size(file));
                assertThat(HexFormat.of().formatHex(digest.digest())).as("SHA-256 of what was received").isEqualTo(expected);
            } finally {
                Fixture.quit(client);
            }
        }
    }

    @Graded(task = "6.4", points = 2)
    void downloads_text_in_ascii_type_with_crlf_line_ends() throws Exception {
        Files.writeString(root.resolve("lines.txt"), "one\ntwo\r\nthree\n\nfour");
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD)) {
            assertThat(control.code("TYPE A")).isEqualTo(200);
            try (Socket data = control.passive()) {
                control.send("RETR lines.txt").expect(150, "the data connection is open: 150");
                assertThat(new String(Fixture.readToEnd(data, "RETR lines.txt in TYPE A"), StandardCharsets.US_ASCII))
                        .as("lines.txt in TYPE A").isEqualTo("one\r\ntwo\r\nthree\r\n\r\nfour");
            }
            control.expect(226, "the transfer is over: 226");
            assertThat(control.code("TYPE I")).isEqualTo(200);
            try (Socket data = control.passive()) {
                control.send("RETR lines.txt").expect(150, "the data connection is open: 150");
                assertThat(new String(Fixture.readToEnd(data, "RETR lines.txt in TYPE I"), StandardCharsets.US_ASCII))
                        .as("lines.txt in TYPE I").isEqualTo("one\ntwo\r\nthree\n\nfour");
            }
            control.expect(226, "the transfer is over: 226");
        }
    }

    @Graded(task = "6.4", points = 2)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void keeps_a_session_whose_download_outlasts_the_idle_timeout_and_runs_each_command_once() throws Exception {
        int size = 8 * 1024 * 1024;
        Path file = Fixture.randomFile(root, "long.bin", size, 21);
        Duration idle = Duration.ofMillis(300);
        try (Fixture ftp = new Fixture(root, idle);
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD)) {
            control.check("TYPE I", 200, "TYPE I");
            String reply = control.check("EPSV", 229, "EPSV opens a passive listener");
            int port = Integer.parseInt(reply.replaceAll(".*\\(\\|\\|\\|(\\d+)\\|\\).*", "$1"));
            try (Socket data = new Socket()) {
                Todo.closeWhenReached(data);
                // A small window, and 8 MB: more than the buffers of both ends hold, so the
                // transfer waits for this client as long as it does not read.
                data.setReceiveBufferSize(4096);
                data.connect(new InetSocketAddress(control.socket.getInetAddress(), port), (int) Fixture.PATIENCE.toMillis());
                control.send("RETR long.bin").expect(150, "this client reads no data before the 150, which must come"
                        + " once the data connection is open, before the file's bytes");
                // Five idle periods without a word on the control connection, and no 421: a
                // transfer is running.
                control.replyWithin(idle.multipliedBy(5)).ifPresent(early -> {
                    throw new AssertionError("a reply came while the download waited for its client to read: `"
                            + Fixture.shorten(early) + "`. While a transfer of the session runs, the idle timeout must"
                            + " not end the session, and nothing but the transfer's 226 may come");
                });
                // Sent now, answered once the transfer is over: nothing may come between its 226 and this 200.
                control.send("NOOP");
                data.setSoTimeout((int) Fixture.PATIENCE.toMillis());
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                long received = 0;
                InputStream in = data.getInputStream();
                byte[] chunk = new byte[64 * 1024];
                try {
                    for (int n; (n = in.read(chunk)) > 0; ) {
                        digest.update(chunk, 0, n);
                        received += n;
                    }
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("RETR long.bin: " + received + " of " + size + " bytes came, then nothing for "
                            + Fixture.PATIENCE.toSeconds() + " s and no end of file");
                }
                assertThat(received).as("bytes received of long.bin").isEqualTo(size);
                assertThat(HexFormat.of().formatHex(digest.digest())).as("SHA-256 of what was received")
                        .isEqualTo(Fixture.sha256(Files.readAllBytes(file)));
            }
            control.expect(226, "the transfer's 226 must come before the reply to NOOP, which was sent during the"
                    + " transfer: execute waits for a running transfer (join) before it answers another command");
            control.expect(200, "the reply after the transfer's 226 must be NOOP's; another one means a command ran"
                    + " twice: a read that timed out must leave nothing behind in ControlChannel's buffer");
        }
    }

    @Graded(task = "6.4", points = 2)
    void resumes_a_download_from_the_offset_given_by_rest() throws Exception {
        Path file = Fixture.randomFile(root, "part.bin", 300_000, 7);
        byte[] bytes = Files.readAllBytes(file);
        try (Fixture ftp = new Fixture(root)) {
            FTPClient client = ftp.login();
            try {
                client.setRestartOffset(123_456);
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                assertThat(client.retrieveFile("part.bin", got)).as("REST 123456 then RETR: %s", client.getReplyString()).isTrue();
                assertThat(got.size()).as("bytes received of part.bin (300000 bytes) after REST 123456: send must start"
                        + " reading the file at the offset REST gave").isEqualTo(bytes.length - 123_456);
                assertThat(Fixture.sha256(got.toByteArray())).as("SHA-256 of the bytes after the offset")
                        .isEqualTo(Fixture.sha256(java.util.Arrays.copyOfRange(bytes, 123_456, bytes.length)));
                client.setRestartOffset(0);
                got.reset();
                assertThat(client.retrieveFile("part.bin", got)).as("RETR after the resumed one: %s", client.getReplyString()).isTrue();
                assertThat(got.size()).as("bytes received by a RETR with no REST after a resumed one: the whole file")
                        .isEqualTo(bytes.length);
            } finally {
                Fixture.quit(client);
            }
        }
    }

    @Graded(task = "6.4", points = 2)
    void sends_blocks_with_headers_and_an_end_of_file_block_in_block_mode() throws Exception {
        Path file = Fixture.randomFile(root, "blocks.bin", 200_000, 9);
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD)) {
            control.check("TYPE I", 200, "TYPE I");
            control.check("MODE B", 200, "MODE B");
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try (Socket data = control.passive()) {
                control.send("RETR blocks.bin").expect(150, "the data connection is open: 150");
                DataInputStream in = new DataInputStream(data.getInputStream());
                int blocks = 0;
                try {
                    while (true) {
                        int descriptor = in.readUnsignedByte();
                        byte[] block = new byte[in.readUnsignedShort()];
                        in.readFully(block);
                        got.write(block);
                        blocks++;
                        assertThat(blocks).as("blocks received").isLessThan(100_000);
                        if ((descriptor & 64) != 0) {
                            break;
                        }
                    }
                } catch (EOFException e) {
                    throw new AssertionError("RETR in MODE B: the data connection ended after " + blocks + " blocks ("
                            + got.size() + " bytes) with no block of descriptor 64: in block mode the end of the file is"
                            + " a block marked end of file (finish), not the end of the connection");
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("RETR in MODE B: after " + blocks + " blocks (" + got.size() + " bytes)"
                            + " nothing more came for " + Fixture.PATIENCE.toSeconds() + " s, and no block of descriptor 64");
                }
            }
            control.expect(226, "the transfer is over: 226");
            assertThat(got.size()).as("bytes of blocks.bin taken out of their blocks").isEqualTo(200_000);
            assertThat(Fixture.sha256(got.toByteArray())).as("SHA-256 of the bytes taken out of their blocks")
                    .isEqualTo(Fixture.sha256(Files.readAllBytes(file)));
        }
    }
}
