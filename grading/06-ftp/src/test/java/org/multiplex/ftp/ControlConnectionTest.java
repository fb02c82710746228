package org.multiplex.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.io.TempDir;
import org.multiplex.kit.grading.Graded;

/** Task 6.2: the control loop reads commands, one reply each, and survives whatever it is sent. */
class ControlConnectionTest {

    @TempDir
    Path root;

    @Graded(task = "6.2", points = 2)
    void logs_in_named_users_and_refuses_wrong_passwords_and_commands_before_login() throws Exception {
        try (Fixture ftp = new Fixture(root); Fixture.Control control = new Fixture.Control(ftp.address)) {
            control.expect(220);
            assertThat(control.code("PWD")).as("PWD before logging in").isEqualTo(530);
            assertThat(control.code("LIST")).as("LIST before logging in").isEqualTo(530);
            assertThat(control.code("PASS " + Fixture.PASSWORD)).as("PASS before USER").isEqualTo(503);
            assertThat(control.code("USER " + Fixture.USER)).as("USER alice").isEqualTo(331);
            assertThat(control.code("PASS wrong")).as("PASS with a wrong password").isEqualTo(530);
            assertThat(control.code("USER nobody")).as("USER nobody").isEqualTo(331);
            assertThat(control.code("PASS " + Fixture.PASSWORD)).as("PASS of another user's password").isEqualTo(530);
            assertThat(control.code("USER " + Fixture.USER)).isEqualTo(331);
            assertThat(control.code("PASS " + Fixture.PASSWORD)).as("PASS with the right password").isEqualTo(230);
            assertThat(control.send("PWD").expect(257)).startsWith("257 \"/\"");
            assertThat(control.code("QUIT")).as("QUIT").isEqualTo(221);
            assertThat(control.reply()).as("what follows QUIT: the end of the connection").isNull();
        }
    }

    @Graded(task = "6.2", points = 3)
    void answers_garbage_and_oversized_lines_with_an_error_and_keeps_the_session() throws Exception {
        Files.writeString(root.resolve("still.txt"), "here");
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD)) {
            assertThat(control.code("XYZZY")).as("an unknown command").isEqualTo(500);
            assertThat(control.code("")).as("an empty line").isEqualTo(500);
            control.sendBytes(new byte[] {0, 1, 2, (byte) 0xC3, (byte) 0x28, (byte) 0xFE, ' ', 'x', '\r', '\n'});
            assertThat(control.reply()).as("the reply to bytes that are no command").startsWith("500");
            byte[] huge = new byte[64 * 1024];
            Arrays.fill(huge, (byte) 'A');
            control.sendBytes(("RETR " + new String(huge, StandardCharsets.US_ASCII) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(control.reply()).as("the reply to a 64 KiB command line").startsWith("500");
            assertThat(control.code("PORT 1,2,3")).as("PORT with three numbers").isEqualTo(501);
            assertThat(control.code("PORT 127,0,0,1,999,1")).as("PORT with a number over 255").isEqualTo(501);
            assertThat(control.code("EPRT |1|not an address|80|")).as("EPRT with a name for an address").isEqualTo(501);
            assertThat(control.code("REST minus")).as("REST with no number").isEqualTo(501);
            assertThat(control.code("TYPE Q")).as("TYPE Q").isEqualTo(504);
            assertThat(control.code("MODE Z")).as("MODE Z").isEqualTo(504);
            assertThat(control.code("STRU R")).as("STRU R").isEqualTo(504);
            assertThat(control.code("RNTO nothing")).as("RNTO without RNFR").isEqualTo(503);
            assertThat(control.code("RETR")).as("RETR without a name").isEqualTo(501);
            assertThat(control.code("NOOP")).as("NOOP after all that").isEqualTo(200);
            assertThat(control.code("SIZE still.txt")).as("SIZE still.txt after all that").isEqualTo(213);
        }
    }

    @Graded(task = "6.2", points = 2)
    void answers_the_informational_commands_with_their_codes_and_multi_line_replies() throws Exception {
        Files.writeString(root.resolve("four.txt"), "four");
        Files.setLastModifiedTime(root.resolve("four.txt"), java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L));
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD)) {
            assertThat(control.send("SYST").expect(215)).contains("UNIX");
            String feat = control.send("FEAT").expect(211);
            assertThat(feat).as("FEAT, a multi-line reply").startsWith("211-").contains("\n EPSV", "\n SIZE", "\n MDTM",
                    "\n REST STREAM", "\n UTF8").containsPattern("\n211 [^\n]*$");
            assertThat(control.code("OPTS UTF8 ON")).as("OPTS UTF8 ON").isEqualTo(200);
            assertThat(control.code("TYPE A")).isEqualTo(200);
            assertThat(control.code("TYPE I")).isEqualTo(200);
            assertThat(control.code("MODE S")).isEqualTo(200);
            assertThat(control.code("MODE B")).isEqualTo(200);
            assertThat(control.code("STRU F")).isEqualTo(200);
            assertThat(control.send("SIZE four.txt").expect(213)).isEqualTo("213 4");
            assertThat(control.send("MDTM four.txt").expect(213)).isEqualTo("213 20231114221320");
            assertThat(control.code("NOOP")).isEqualTo(200);
            assertThat(control.code("ABOR")).as("ABOR with no transfer").isEqualTo(225);
            assertThat(control.code("HELP")).as("HELP").isEqualTo(214);
        }
    }

    @Graded(task = "6.2", points = 2)
    void lets_anonymous_users_read_and_refuses_their_writes() throws Exception {
        Files.writeString(root.resolve("public.txt"), "for all");
        Files.createDirectories(root.resolve("folder"));
        try (Fixture ftp = new Fixture(root)) {
            FTPClient client = ftp.login("anonymous", "guest@example.com");
            try {
                java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
                assertThat(client.retrieveFile("public.txt", got)).as("anonymous RETR: %s", client.getReplyString()).isTrue();
                assertThat(got.toString(StandardCharsets.UTF_8)).isEqualTo("for all");
                assertThat(client.storeFile("new.txt", new ByteArrayInputStream(new byte[] {1})))
                        .as("anonymous STOR: %s", client.getReplyString()).isFalse();
                assertThat(client.appendFile("public.txt", new ByteArrayInputStream(new byte[] {1})))
                        .as("anonymous APPE: %s", client.getReplyString()).isFalse();
                assertThat(client.deleteFile("public.txt")).as("anonymous DELE: %s", client.getReplyString()).isFalse();
                assertThat(client.makeDirectory("new")).as("anonymous MKD: %s", client.getReplyString()).isFalse();
                assertThat(client.removeDirectory("folder")).as("anonymous RMD: %s", client.getReplyString()).isFalse();
                assertThat(client.rename("public.txt", "moved.txt")).as("anonymous RNFR/RNTO: %s", client.getReplyString()).isFalse();
                assertThat(client.getReplyCode()).isEqualTo(550);
            } finally {
                Fixture.quit(client);
            }
        }
        try (var files = Files.list(root)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("public.txt", "folder");
        }
        assertThat(Files.readString(root.resolve("public.txt"))).isEqualTo("for all");
    }

    @Graded(task = "6.2", points = 3)
    void renames_deletes_and_makes_and_removes_folders() throws Exception {
        Files.writeString(root.resolve("old.txt"), "contents");
        try (Fixture ftp = new Fixture(root)) {
            FTPClient client = ftp.login();
            try {
                assertThat(client.makeDirectory("docs")).as("MKD docs: %s", client.getReplyString()).isTrue();
                assertThat(client.getReplyString()).startsWith("257 \"/docs\"");
                assertThat(client.makeDirectory("docs")).as("MKD docs again").isFalse();
                assertThat(client.rename("old.txt", "docs/new.txt")).as("RNFR/RNTO: %s", client.getReplyString()).isTrue();
                assertThat(client.rename("missing.txt", "x.txt")).as("RNFR of a missing file").isFalse();
                assertThat(client.removeDirectory("docs")).as("RMD of a folder with a file in it").isFalse();
                FTPFile[] files = client.listFiles("docs");
                assertThat(files).as("LIST docs").extracting(FTPFile::getName).containsExactly("new.txt");
                assertThat(files[0].getSize()).isEqualTo(8);
                assertThat(client.deleteFile("docs/new.txt")).as("DELE: %s", client.getReplyString()).isTrue();
                assertThat(client.deleteFile("docs/new.txt")).as("DELE of a file just deleted").isFalse();
                assertThat(client.deleteFile("docs")).as("DELE of a folder").isFalse();
                assertThat(client.removeDirectory("docs")).as("RMD docs: %s", client.getReplyString()).isTrue();
                assertThat(client.removeDirectory("/")).as("RMD of the root").isFalse();
            } finally {
                Fixture.quit(client);
            }
        }
        try (var left = Files.list(root)) {
            assertThat(left).as("what is left in the root").isEmpty();
        }
    }

    @Graded(task = "6.2", points = 2)
    void closes_an_idle_control_connection_with_a_421_reply() throws Exception {
        try (Fixture ftp = new Fixture(root, Duration.ofMillis(500));
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD)) {
            long start = System.nanoTime();
            assertThat(control.reply()).as("what an idle client gets").startsWith("421");
            assertThat(control.reply()).as("after the 421: the end of the connection").isNull();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time until the 421").isLessThan(Duration.ofSeconds(5));
        }
    }
}
