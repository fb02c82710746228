package org.multiplex.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiplex.kit.grading.Graded;

/** Task 6.1: the control loop reads commands, one reply each, and survives whatever it is sent. */
@ExtendWith(Explained.class)
class ControlConnectionTest {

    private static final String LOGIN_FIRST = "execute must refuse with 530 what needs a login, until USER then PASS"
            + " have logged in";

    @TempDir
    Path root;

    @Graded(task = "6.1", points = 2)
    void logs_in_named_users_and_refuses_wrong_passwords_and_commands_before_login() throws Exception {
        Files.writeString(root.resolve("keep.txt"), "kept");
        try (Fixture ftp = new Fixture(root); Fixture.Control control = new Fixture.Control(ftp.address)) {
            control.expect(220, "a session starts with the greeting 220");
            control.check("PWD", 530, "PWD before logging in; " + LOGIN_FIRST);
            control.check("LIST", 530, "LIST before logging in; " + LOGIN_FIRST);
            control.check("PASS " + Fixture.PASSWORD, 503, "PASS before any USER: USER comes first");
            control.check("USER " + Fixture.USER, 331, "USER asks for the password");
            control.check("PASS wrong", 530, "a wrong password does not log in");
            control.check("PWD", 530, "PWD after a wrong password; " + LOGIN_FIRST);
            control.check("USER nobody", 331, "USER asks for the password, even of a name not known");
            control.check("PASS " + Fixture.PASSWORD, 530, "another user's password does not log in");
            control.check("USER " + Fixture.USER, 331, "USER asks for the password");
            control.check("PASS " + Fixture.PASSWORD, 230, "the right password logs in");
            assertThat(control.check("PWD", 257, "PWD names the working folder"))
                    .as("PWD's reply after logging in, which names the root").startsWith("257 \"/\"");
            control.check("USER nobody", 331, "USER starts a new login");
            control.check("DELE keep.txt", 530, "DELE after USER without its PASS: a new USER ends the login before it;"
                    + " " + LOGIN_FIRST);
            control.check("QUIT", 221, "QUIT says goodbye");
            control.expectEnd("after QUIT's 221 the server closes the connection (execute returns false)");
        }
        assertThat(root.resolve("keep.txt")).as("keep.txt, which DELE between USER and PASS must not delete").exists();
    }

    @Graded(task = "6.1", points = 2)
    void answers_garbage_and_oversized_lines_with_an_error_and_keeps_the_session() throws Exception {
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD)) {
            control.check("XYZZY", 500, "a verb not known gets 500 and the session goes on");
            control.check("", 500, "an empty line gets 500");
            control.sendBytes(new byte[] {0, 1, 2, (byte) 0xC3, (byte) 0x28, (byte) 0xFE, ' ', 'x', '\r', '\n'},
                    "bytes that are no command");
            control.expect(500, "bytes that are no command get 500");
            byte[] huge = new byte[64 * 1024];
            Arrays.fill(huge, (byte) 'A');
            control.sendBytes(("RETR " + new String(huge, StandardCharsets.US_ASCII) + "\r\n").getBytes(StandardCharsets.US_ASCII),
                    "a 64 KiB command line");
            control.expect(500, "a line longer than ControlChannel.MAX_LINE gets 500");
            control.check("PORT 1,2,3", 501, "the command after a 64 KiB line is a new line, and PORT with three"
                    + " numbers gets 501");
            control.check("PORT 127,0,0,1,999,1", 501, "an argument execute cannot parse (IllegalArgumentException)"
                    + " gets 501");
            control.check("EPRT |1|not an address|80|", 501, "an argument execute cannot parse gets 501");
            control.check("REST minus", 501, "an argument execute cannot parse gets 501");
            control.check("TYPE Q", 504, "a TYPE not offered gets 504");
            control.check("MODE Z", 504, "a MODE not offered gets 504");
            control.check("STRU R", 504, "a STRU not offered gets 504");
            control.check("RNTO nothing", 503, "RNTO without RNFR gets 503");
            control.check("SITE CHMOD 644 x", 502, "SITE is in NOT_IMPLEMENTED: 502");
            control.check("STOU", 502, "STOU is in NOT_IMPLEMENTED: 502");
            control.check("RETR", 501, "RETR without its missing argument, a file name, gets 501");
            control.check("NOOP", 200, "NOOP after all that: the session goes on");
            assertThat(control.check("PWD", 257, "PWD after all that")).as("PWD after all that").startsWith("257 \"/\"");
        }
    }

    @Graded(task = "6.1", points = 2)
    void answers_a_command_split_across_reads_and_several_commands_in_one_read() throws Exception {
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD)) {
            // Three commands in one write, read at once by the server.
            control.sendBytes("NOOP\r\nPWD\r\nSYST\r\n".getBytes(StandardCharsets.US_ASCII), "NOOP, PWD and SYST in one write");
            String hint = "three commands came in one read; each needs its reply, in order: the bytes after a line"
                    + " end must stay for the next readLine";
            control.expect(200, hint);
            control.expect(257, hint);
            control.expect(215, hint);
            // Each time the first half of NOOP comes after USER's line, in the same write: the
            // server has read it when the 331 comes, and the rest of the line follows in a read of its own.
            for (int i = 0; i < 3; i++) {
                control.sendBytes("USER alice\r\nNO".getBytes(StandardCharsets.US_ASCII), "USER alice, and NO of NOOP");
                control.expect(331, "USER asks for the password");
                control.check("OP", 200, "`NO` came with the line before it and `OP` in a later read: a line split"
                        + " across reads must be joined, not lost (ControlChannel.readLine)");
            }
            control.check("PASS " + Fixture.PASSWORD, 230, "the right password logs in");
            // Byte by byte.
            for (byte b : "SYST\r\n".getBytes(StandardCharsets.US_ASCII)) {
                control.sendBytes(new byte[] {b}, "SYST, one byte per write");
            }
            control.expect(215, "SYST sent one byte per write; the line must be joined from many reads");
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
            control.sendBytes(new byte[] {(byte) iac, (byte) ip, (byte) iac}, "IAC IP IAC");
            control.socket.sendUrgentData(dm);
            control.check("ABOR", 225, "IAC IP IAC (DM as urgent data) then ABOR, with no transfer: 225");
            // The same bytes all in the stream, as a client without urgent data sends them.
            control.sendBytes(new byte[] {(byte) iac, (byte) ip, (byte) iac, (byte) dm}, "IAC IP IAC DM");
            control.check("ABOR", 225, "IAC IP IAC DM then ABOR, with no transfer: 225");
            control.check("NOOP", 200, "NOOP after the aborts");
        }
    }

    @Graded(task = "6.1", points = 1)
    void answers_the_informational_commands_with_their_codes_and_multi_line_replies() throws Exception {
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD)) {
            assertThat(control.check("SYST", 215, "SYST")).contains("UNIX");
            String feat = control.check("FEAT", 211, "FEAT lists the features");
            assertThat(feat).as("FEAT, a multi-line reply").startsWith("211-").contains("\n EPSV", "\n SIZE", "\n MDTM",
                    "\n REST STREAM", "\n UTF8").containsPattern("\n211 [^\n]*$");
            control.check("OPTS UTF8 ON", 200, "OPTS UTF8 ON");
            control.check("OPTS MLST type;size;", 200, "OPTS MLST, as ncftp sends it");
            control.check("OPTS NONSENSE", 501, "OPTS of an option not known");
            control.check("TYPE A", 200, "TYPE A");
            control.check("TYPE I", 200, "TYPE I");
            control.check("MODE S", 200, "MODE S");
            control.check("MODE B", 200, "MODE B");
            control.check("STRU F", 200, "STRU F");
            control.check("NOOP", 200, "NOOP");
            control.check("ABOR", 225, "ABOR with no transfer");
            control.check("HELP", 214, "HELP");
        }
    }

    @Graded(task = "6.1", points = 2)
    void lets_anonymous_users_log_in_and_refuses_their_writes() throws Exception {
        Files.writeString(root.resolve("public.txt"), "for all");
        Files.createDirectories(root.resolve("folder"));
        String readOnly = "an anonymous user may only read: execute refuses a write (WRITES) with 550";
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, "anonymous", "guest@example.com")) {
            for (String write : new String[] {"STOR new.txt", "APPE public.txt", "DELE public.txt", "MKD new",
                    "RMD folder", "RNFR public.txt", "RNTO moved.txt"}) {
                control.check(write, 550, readOnly);
            }
            control.check("NOOP", 200, "NOOP after the refusals");
        }
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, "ftp", "")) {
            control.check("DELE public.txt", 550, "ftp is the other anonymous name; " + readOnly);
        }
        try (var files = Files.list(root)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("the root after anonymous writes: " + readOnly)
                    .containsExactlyInAnyOrder("public.txt", "folder");
        }
        assertThat(Files.readString(root.resolve("public.txt"))).isEqualTo("for all");
    }

    @Graded(task = "6.1", points = 2)
    void closes_an_idle_control_connection_with_a_421_reply() throws Exception {
        try (Fixture ftp = new Fixture(root, Duration.ofMillis(500));
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD)) {
            // Six idle periods: a correct server says 421 after one.
            String reply = control.replyWithin(Duration.ofSeconds(3)).orElseThrow(() -> new AssertionError(
                    "logged in, then said nothing for 3 s with an idle timeout of 0.5 s: no 421 came. Does handle set"
                            + " the fiber's idle timeout (dispatcher.timeout) and answer its SocketTimeoutException with 421?"));
            assertThat(reply).as("what an idle client gets: 421, then the end of the connection").startsWith("421");
            control.expectEnd("after the idle timeout's 421 the session ends");
        }
    }
}
