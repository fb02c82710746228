package org.multiplex.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiplex.ftp.Fixture.Control;
import org.multiplex.kit.grading.Graded;

/** Task 6.5: STOR and APPE store what arrives, byte for byte, in every type and mode. */
@ExtendWith(Explained.class)
class StoreTest {

    @TempDir
    Path root;

    @Graded(task = "6.5", points = 3)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void uploads_a_50_mb_file_byte_for_byte() throws Exception {
        byte[] bytes = new byte[50 * 1024 * 1024];
        new Random(51).nextBytes(bytes);
        String whole = "in stream mode only the end of the stream (a read of -1) ends the file; a read may bring any"
                + " number of bytes, and each must be stored";
        try (Fixture ftp = new Fixture(root)) {
            FTPClient client = ftp.login();
            try {
                boolean stored;
                try {
                    stored = client.storeFile("big.bin", new ByteArrayInputStream(bytes));
                } catch (IOException e) {
                    if (e instanceof SocketTimeoutException) {
                        throw e;
                    }
                    throw new AssertionError("STOR big.bin (50 MB): the data connection broke while Commons Net was"
                            + " still sending (" + e.getMessage() + "); the server stopped reading early: " + whole);
                }
                assertThat(stored).as("STOR big.bin (50 MB): %s; " + whole, client.getReplyString()).isTrue();
            } finally {
                Fixture.quit(client);
            }
        }
        assertThat(Files.size(root.resolve("big.bin"))).as("size of the 50 MB file stored: " + whole).isEqualTo(bytes.length);
        assertThat(Fixture.sha256(Files.readAllBytes(root.resolve("big.bin")))).as("SHA-256 of the file stored")
                .isEqualTo(Fixture.sha256(bytes));
    }

    @Graded(task = "6.5", points = 2)
    void uploads_and_downloads_in_active_mode_in_binary_and_ascii() throws Exception {
        byte[] binary = new byte[300_000];
        new Random(13).nextBytes(binary);
        String text = "one\ntwo\n\nthree\n";
        try (Fixture ftp = new Fixture(root)) {
            FTPClient client = ftp.login();
            try {
                client.enterLocalActiveMode();
                client.setActiveExternalIPAddress("127.0.0.1");
                assertThat(client.storeFile("active.bin", new ByteArrayInputStream(binary)))
                        .as("STOR active.bin after PORT: %s", client.getReplyString()).isTrue();
                ByteArrayOutputStream back = new ByteArrayOutputStream();
                assertThat(client.retrieveFile("active.bin", back)).as("RETR active.bin after PORT: %s", client.getReplyString())
                        .isTrue();
                assertThat(Fixture.sha256(back.toByteArray())).as("SHA-256 of active.bin back").isEqualTo(Fixture.sha256(binary));
                client.setFileType(FTP.ASCII_FILE_TYPE);
                assertThat(client.storeFile("active.txt", new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII))))
                        .as("STOR active.txt in TYPE A after PORT: %s", client.getReplyString()).isTrue();
                back.reset();
                assertThat(client.retrieveFile("active.txt", back)).as("RETR active.txt in TYPE A after PORT").isTrue();
                assertThat(back.toString(StandardCharsets.US_ASCII)).as("active.txt back in TYPE A").isEqualTo(text);
            } finally {
                Fixture.quit(client);
            }
        }
        assertThat(Fixture.sha256(Files.readAllBytes(root.resolve("active.bin")))).as("SHA-256 of active.bin on disk,"
                + " stored after PORT").isEqualTo(Fixture.sha256(binary));
        assertThat(Files.readString(root.resolve("active.txt"))).as("active.txt on disk").isEqualTo(text);
    }

    @Graded(task = "6.5", points = 2)
    void stores_text_in_ascii_type_with_local_line_ends_and_binary_as_it_is() throws Exception {
        String text = "one\ntwo\nthree\n\nfour";
        byte[] binary = {0, '\r', '\n', (byte) 0xFF, '\r', 1};
        try (Fixture ftp = new Fixture(root)) {
            FTPClient client = ftp.login();
            try {
                client.setFileType(FTP.ASCII_FILE_TYPE);
                assertThat(client.storeFile("text.txt", new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII))))
                        .as("STOR text.txt in TYPE A: %s", client.getReplyString()).isTrue();
                ByteArrayOutputStream back = new ByteArrayOutputStream();
                assertThat(client.retrieveFile("text.txt", back)).as("RETR text.txt in TYPE A").isTrue();
                assertThat(back.toString(StandardCharsets.US_ASCII)).as("text.txt back in TYPE A").isEqualTo(text);
                client.setFileType(FTP.BINARY_FILE_TYPE);
                assertThat(client.storeFile("data.bin", new ByteArrayInputStream(binary)))
                        .as("STOR data.bin in TYPE I: %s", client.getReplyString()).isTrue();
            } finally {
                Fixture.quit(client);
            }
        }
        // Commons Net sent each "\n" as "\r\n"; the server stores this system's "\n".
        assertThat(Files.readString(root.resolve("text.txt"))).as("text.txt on disk").isEqualTo(text);
        assertThat(Files.readAllBytes(root.resolve("data.bin"))).as("data.bin on disk").isEqualTo(binary);
    }

    @Graded(task = "6.5", points = 2)
    void resumes_an_upload_with_rest_and_appends_with_appe() throws Exception {
        byte[] bytes = new byte[200_000];
        new Random(5).nextBytes(bytes);
        Files.write(root.resolve("half.bin"), Arrays.copyOf(bytes, 80_000));
        Files.write(root.resolve("log.bin"), Arrays.copyOf(bytes, 1000));
        try (Fixture ftp = new Fixture(root)) {
            FTPClient client = ftp.login();
            try {
                client.setRestartOffset(80_000);
                assertThat(client.storeFile("half.bin", new ByteArrayInputStream(bytes, 80_000, bytes.length - 80_000)))
                        .as("REST 80000 then STOR: %s", client.getReplyString()).isTrue();
                client.setRestartOffset(0);
                assertThat(client.appendFile("log.bin", new ByteArrayInputStream(bytes, 1000, bytes.length - 1000)))
                        .as("APPE: %s", client.getReplyString()).isTrue();
                assertThat(client.storeFile("log2.bin", new ByteArrayInputStream(bytes, 0, 10)))
                        .as("STOR without REST after a resumed one: %s", client.getReplyString()).isTrue();
            } finally {
                Fixture.quit(client);
            }
        }
        assertThat(Files.size(root.resolve("half.bin"))).as("size of half.bin, 80000 bytes, after REST 80000 and STOR of"
                + " the other 120000").isEqualTo(bytes.length);
        assertThat(Fixture.sha256(Files.readAllBytes(root.resolve("half.bin")))).as("SHA-256 of half.bin, resumed at 80000")
                .isEqualTo(Fixture.sha256(bytes));
        assertThat(Files.size(root.resolve("log.bin"))).as("size of log.bin, 1000 bytes, after APPE of 199000")
                .isEqualTo(bytes.length);
        assertThat(Fixture.sha256(Files.readAllBytes(root.resolve("log.bin")))).as("SHA-256 of log.bin, appended to")
                .isEqualTo(Fixture.sha256(bytes));
        assertThat(Files.readAllBytes(root.resolve("log2.bin"))).as("log2.bin, stored with no REST").isEqualTo(Arrays.copyOf(bytes, 10));
    }

    @Graded(task = "6.5", points = 2)
    void receives_blocks_in_block_mode_and_skips_restart_markers() throws Exception {
        byte[] bytes = new byte[150_000];
        new Random(3).nextBytes(bytes);
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD)) {
            control.check("TYPE I", 200, "TYPE I");
            control.check("MODE B", 200, "MODE B");
            try (Socket data = control.passive()) {
                control.send("STOR blocks.bin").expect(150, "the data connection is open: 150");
                DataOutputStream out = new DataOutputStream(data.getOutputStream());
                try {
                    for (int start = 0; start < bytes.length; start += 40_000) {
                        int length = Math.min(40_000, bytes.length - start);
                        out.writeByte(0);
                        out.writeShort(length);
                        out.write(bytes, start, length);
                        // A restart marker: its bytes are the sender's bookmark, not the file's.
                        out.writeByte(16);
                        out.writeShort(3);
                        out.write(new byte[] {'m', 'r', 'k'});
                    }
                    out.writeByte(64);
                    out.writeShort(0);
                    out.flush();
                } catch (IOException e) {
                    throw new AssertionError("STOR in MODE B: the data connection broke while the client was still"
                            + " sending blocks (" + e.getMessage() + "): receive must read each header, then exactly its"
                            + " length, which may come in many reads, until the block marked end of file");
                }
                // In block mode the end of the file is a block, not the end of the connection.
                control.expect(226, "the client sent blocks of 40000 bytes, restart markers among them, then a block"
                        + " of descriptor 64 (end of file), and keeps the data connection open: receive must read each"
                        + " header, then exactly its length (a block may come in many reads), and end at the block"
                        + " marked end of file");
            }
        }
        byte[] stored = Files.readAllBytes(root.resolve("blocks.bin"));
        String markers = "receive must read each header, then exactly its length, which may come in many reads; and"
                + " store no restart marker (descriptor 16): its bytes are the sender's bookmark, not the file's";
        assertThat(stored.length).as("size of blocks.bin stored from blocks: " + markers).isEqualTo(bytes.length);
        assertThat(Fixture.sha256(stored)).as("SHA-256 of blocks.bin stored from blocks").isEqualTo(Fixture.sha256(bytes));
    }

    @Graded(task = "6.5", points = 1)
    void answers_426_when_the_client_aborts_and_keeps_the_session() throws Exception {
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD)) {
            control.check("TYPE I", 200, "TYPE I");
            try (Socket data = control.passive()) {
                control.send("STOR endless.bin").expect(150, "the data connection is open: 150");
                OutputStream out = data.getOutputStream();
                out.write(new byte[100_000]);
                out.flush();
                // The client keeps the data connection open: only ABOR ends the upload.
                String abort = "ABOR during an upload whose client keeps the data connection open: ABOR must close the"
                        + " data connection (dispatcher.close), which wakes the transfer's fiber; the transfer replies"
                        + " 426, and only after it (join) ABOR's 226";
                control.send("ABOR").expect(426, abort);
                control.expect(226, abort);
            }
            control.check("NOOP", 200, "NOOP after the abort");
        }
    }

    @Graded(task = "6.5", points = 1)
    void answers_an_upload_cut_by_a_reset_with_an_error_not_226() throws Exception {
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD)) {
            control.check("TYPE I", 200, "TYPE I");
            try (Socket data = control.passive()) {
                control.send("STOR cut.bin").expect(150, "the data connection is open: 150");
                data.getOutputStream().write(new byte[100_000]);
                // A reset, not an end of file: the upload broke off.
                data.setSoLinger(true, 0);
            }
            String reply = control.reply();
            assertThat(reply).as("the reply to STOR after its client reset the data connection: %s", Control.CLOSED)
                    .isNotNull();
            assertThat(reply).as("the reply to STOR whose client reset the data connection: a reset is no end of"
                    + " file, the upload broke off; receive must let the IOException out, and the transfer replies 426")
                    .startsWith("426");
            control.check("NOOP", 200, "NOOP after the broken upload: the session goes on");
        }
    }
}
