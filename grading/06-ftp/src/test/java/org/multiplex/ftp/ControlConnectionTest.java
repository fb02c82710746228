package org.multiplex.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.io.TempDir;
import org.multiplex.kit.grading.Graded;

/** Task 6.1: the control loop reads commands, one reply each, and survives whatever it is sent. */
class ControlConnectionTest {

    @TempDir
    Path root;

    @Graded(task = "6.1", points = 2)
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

    @Graded(task = "6.1", points = 3)
    void answers_garbage_and_oversized_lines_with_an_error_and_keeps_the_session() throws Exception {
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
            assertThat(control.code("SITE CHMOD 644 x")).as("SITE, a command of RFC 959 not implemented").isEqualTo(502);
            assertThat(control.code("STOU")).as("STOU, a command of RFC 959 not implemented").isEqualTo(502);
            assertThat(control.code("RETR")).as("RETR without a name").isEqualTo(501);
            assertThat(control.code("NOOP")).as("NOOP after all that").isEqualTo(200);
            assertThat(control.send("PWD").expect(257)).as("PWD after all that").startsWith("257 \"/\"");
        }
    }

    @Graded(task = "6.1", points = 1)
    void takes_abor_after_the_telnet_interrupt_and_sync_that_clients_send_before_it() throws Exception {
        int iac = 255;
        int ip = 244;
        int dm = 242;
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD)) {
            // As lftp and the BSD ftp send it: IAC IP, then IAC DM with the DM as TCP urgent data,
            // which the server's socket takes out of the stream.
            control.sendBytes(new byte[] {(byte) iac, (byte) ip, (byte) iac});
            control.socket.sendUrgentData(dm);
            assertThat(control.send("ABOR").reply()).as("the reply to IAC IP IAC (DM, urgent) ABOR").startsWith("225");
            // The same bytes all in the stream, as a client without urgent data sends them.
            control.sendBytes(new byte[] {(byte) iac, (byte) ip, (byte) iac, (byte) dm});
            assertThat(control.send("ABOR").reply()).as("the reply to IAC IP IAC DM ABOR").startsWith("225");
            assertThat(control.code("NOOP")).as("NOOP after the aborts").isEqualTo(200);
        }
    }

    @Graded(task = "6.1", points = 2)
    void answers_the_informational_commands_with_their_codes_and_multi_line_replies() throws Exception {
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD)) {
            assertThat(control.send("SYST").expect(215)).contains("UNIX");
            String feat = control.send("FEAT").expect(211);
            assertThat(feat).as("FEAT, a multi-line reply").startsWith("211-").contains("\n EPSV", "\n SIZE", "\n MDTM",
                    "\n REST STREAM", "\n UTF8").containsPattern("\n211 [^\n]*$");
            assertThat(control.code("OPTS UTF8 ON")).as("OPTS UTF8 ON").isEqualTo(200);
            assertThat(control.code("OPTS MLST type;size;")).as("OPTS MLST, as ncftp sends it").isEqualTo(200);
            assertThat(control.code("OPTS NONSENSE")).as("OPTS of an option not known").isEqualTo(501);
            assertThat(control.code("TYPE A")).isEqualTo(200);
            assertThat(control.code("TYPE I")).isEqualTo(200);
            assertThat(control.code("MODE S")).isEqualTo(200);
            assertThat(control.code("MODE B")).isEqualTo(200);
            assertThat(control.code("STRU F")).isEqualTo(200);
            assertThat(control.code("NOOP")).isEqualTo(200);
            assertThat(control.code("ABOR")).as("ABOR with no transfer").isEqualTo(225);
            assertThat(control.code("HELP")).as("HELP").isEqualTo(214);
        }
    }

    @Graded(task = "6.1", points = 2)
    void lets_anonymous_users_log_in_and_refuses_their_writes() throws Exception {
        Files.writeString(root.resolve("public.txt"), "for all");
        Files.createDirectories(root.resolve("folder"));
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, "anonymous", "guest@example.com")) {
            for (String write : new String[] {"STOR new.txt", "APPE public.txt", "DELE public.txt", "MKD new",
                    "RMD folder", "RNFR public.txt", "RNTO moved.txt"}) {
                assertThat(control.code(write)).as("anonymous %s", write).isEqualTo(550);
            }
            assertThat(control.code("NOOP")).as("NOOP after the refusals").isEqualTo(200);
        }
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, "ftp", "")) {
            assertThat(control.code("DELE public.txt")).as("DELE as ftp, the other anonymous name").isEqualTo(550);
        }
        try (var files = Files.list(root)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("public.txt", "folder");
        }
        assertThat(Files.readString(root.resolve("public.txt"))).isEqualTo("for all");
    }

    @Graded(task = "6.1", points = 2)
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
