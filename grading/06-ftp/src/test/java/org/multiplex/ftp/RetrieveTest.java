package org.multiplex.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
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
import org.junit.jupiter.api.io.TempDir;
import org.multiplex.kit.Todo;
import org.multiplex.kit.grading.Graded;

/** Task 6.4: RETR sends a file, byte for byte, in every type and mode, from any offset. */
class RetrieveTest {

    @TempDir
    Path root;

    @Graded(task = "6.4", points = 4)
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
                assertThat(received).as("bytes received").isEqualTo(Files.size(file));
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
                control.send("RETR lines.txt").expect(150);
                assertThat(new String(data.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .as("lines.txt in TYPE A").isEqualTo("one\r\ntwo\r\nthree\r\n\r\nfour");
            }
            control.expect(226);
            assertThat(control.code("TYPE I")).isEqualTo(200);
            try (Socket data = control.passive()) {
                control.send("RETR lines.txt").expect(150);
                assertThat(new String(data.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .as("lines.txt in TYPE I").isEqualTo("one\ntwo\r\nthree\n\nfour");
            }
            control.expect(226);
        }
    }

    @Graded(task = "6.4", points = 1)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void keeps_a_session_whose_download_outlasts_the_idle_timeout_and_runs_each_command_once() throws Exception {
        int size = 16 * 1024 * 1024;
        Path file = Fixture.randomFile(root, "long.bin", size, 21);
        Duration idle = Duration.ofMillis(300);
        try (Fixture ftp = new Fixture(root, idle);
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD)) {
            assertThat(control.code("TYPE I")).isEqualTo(200);
            String reply = control.send("EPSV").expect(229);
            int port = Integer.parseInt(reply.replaceAll(".*\\(\\|\\|\\|(\\d+)\\|\\).*", "$1"));
            try (Socket data = new Socket()) {
                Todo.closeWhenReached(data);
                // A small window, and 16 MB: more than the buffers of both ends hold, so the
                // transfer waits for this client as long as it does not read.
                data.setReceiveBufferSize(4096);
                data.connect(new InetSocketAddress(control.socket.getInetAddress(), port), (int) Fixture.PATIENCE.toMillis());
                control.send("RETR long.bin").expect(150);
                // Five idle periods without a word on the control connection, and no 421: a
                // transfer is running.
                control.socket.setSoTimeout((int) idle.multipliedBy(5).toMillis());
                assertThatThrownBy(control::reply).as("a reply while the transfer waits for the client")
                        .isInstanceOf(SocketTimeoutException.class);
                control.socket.setSoTimeout((int) Fixture.PATIENCE.toMillis());
                // Sent now, answered once the transfer is over: nothing may come between its 226 and this 200.
                control.send("NOOP");
                data.setSoTimeout((int) Fixture.PATIENCE.toMillis());
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                long received = 0;
                InputStream in = data.getInputStream();
                byte[] chunk = new byte[64 * 1024];
                for (int n; (n = in.read(chunk)) > 0; ) {
                    digest.update(chunk, 0, n);
                    received += n;
                }
                assertThat(received).as("bytes received").isEqualTo(size);
                assertThat(HexFormat.of().formatHex(digest.digest())).as("SHA-256 of what was received")
                        .isEqualTo(Fixture.sha256(Files.readAllBytes(file)));
            }
            control.expect(226);
            assertThat(control.reply()).as("the reply after the transfer's 226: NOOP's, not a second RETR's").startsWith("200");
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
                assertThat(got.toByteArray()).as("the bytes after the offset")
                        .isEqualTo(java.util.Arrays.copyOfRange(bytes, 123_456, bytes.length));
                client.setRestartOffset(0);
                got.reset();
                assertThat(client.retrieveFile("part.bin", got)).as("RETR after the resumed one: %s", client.getReplyString()).isTrue();
                assertThat(got.size()).as("a RETR with no REST sends the whole file").isEqualTo(bytes.length);
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
            assertThat(control.code("TYPE I")).isEqualTo(200);
            assertThat(control.code("MODE B")).isEqualTo(200);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try (Socket data = control.passive()) {
                control.send("RETR blocks.bin").expect(150);
                DataInputStream in = new DataInputStream(data.getInputStream());
                int blocks = 0;
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
            }
            control.expect(226);
            assertThat(got.toByteArray()).as("the file's bytes, taken out of their blocks").isEqualTo(Files.readAllBytes(file));
        }
    }
}
