package org.multiplex.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.io.TempDir;
import org.multiplex.kit.grading.Graded;

/** Task 6.1: every path a client names stays inside the root, whatever it tries. */
class RootFolderTest {

    @TempDir
    Path root;
    @TempDir
    Path outside;

    @Graded(task = "6.1", points = 3)
    void refuses_paths_that_climb_out_of_the_root() throws Exception {
        Files.writeString(outside.resolve("secret.txt"), "not for you");
        String climb = "../".repeat(root.getNameCount()) + outside.toString().substring(1) + "/secret.txt";
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD)) {
            for (String path : new String[] {"../../etc/passwd", "/../../etc/passwd", climb, "/etc/passwd",
                    outside.resolve("secret.txt").toString()}) {
                control.passive().close();
                assertThat(control.code("RETR " + path)).as("the reply to RETR %s", path).isEqualTo(550);
            }
            for (String path : new String[] {"/..", "..", "../..", "/../tmp"}) {
                assertThat(control.code("CWD " + path)).as("the reply to CWD %s", path).isEqualTo(550);
                assertThat(control.send("PWD").expect(257)).as("PWD after CWD %s", path).startsWith("257 \"/\"");
            }
            assertThat(control.code("CDUP")).as("the reply to CDUP at the root").isEqualTo(550);
            assertThat(control.code("SIZE ../../etc/passwd")).as("the reply to SIZE ../../etc/passwd").isEqualTo(550);
            assertThat(control.code("MKD ../escaped")).as("the reply to MKD ../escaped").isEqualTo(550);
            control.passive().close();
            assertThat(control.code("STOR ../escaped.txt")).as("the reply to STOR ../escaped.txt").isEqualTo(550);
        }
        assertThat(root.getParent().resolve("escaped")).doesNotExist();
        assertThat(root.getParent().resolve("escaped.txt")).doesNotExist();
    }

    @Graded(task = "6.1", points = 3)
    void refuses_symbolic_links_that_lead_out_of_the_root() throws Exception {
        Files.writeString(outside.resolve("secret.txt"), "not for you");
        Files.createSymbolicLink(root.resolve("door"), outside);
        Files.createSymbolicLink(root.resolve("secret.txt"), outside.resolve("secret.txt"));
        Files.writeString(root.resolve("inside.txt"), "yours");
        Files.createSymbolicLink(root.resolve("alias.txt"), root.resolve("inside.txt"));
        try (Fixture ftp = new Fixture(root)) {
            FTPClient client = ftp.login();
            try {
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                assertThat(client.retrieveFile("door/secret.txt", got)).as("RETR door/secret.txt through a link out of the root: %s",
                        client.getReplyString()).isFalse();
                assertThat(client.retrieveFile("secret.txt", got)).as("RETR secret.txt, a link to a file outside: %s",
                        client.getReplyString()).isFalse();
                assertThat(got.size()).as("bytes of the secret received").isZero();
                assertThat(client.changeWorkingDirectory("door")).as("CWD door, a link out of the root: %s",
                        client.getReplyString()).isFalse();
                assertThat(client.storeFile("door/planted.txt", new java.io.ByteArrayInputStream(new byte[] {1})))
                        .as("STOR door/planted.txt: %s", client.getReplyString()).isFalse();
                assertThat(client.retrieveFile("alias.txt", got)).as("RETR alias.txt, a link inside the root: %s",
                        client.getReplyString()).isTrue();
                assertThat(got.toString(StandardCharsets.UTF_8)).isEqualTo("yours");
            } finally {
                Fixture.quit(client);
            }
        }
        assertThat(outside.resolve("planted.txt")).doesNotExist();
    }

    @Graded(task = "6.1", points = 2)
    void resolves_relative_and_absolute_paths_from_the_working_folder() throws Exception {
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("a/top.txt"), "top");
        try (Fixture ftp = new Fixture(root)) {
            FTPClient client = ftp.login();
            try {
                assertThat(client.changeWorkingDirectory("a/./b/")).as("CWD a/./b/: %s", client.getReplyString()).isTrue();
                assertThat(client.printWorkingDirectory()).isEqualTo("/a/b");
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                assertThat(client.retrieveFile("../top.txt", got)).as("RETR ../top.txt from /a/b: %s", client.getReplyString()).isTrue();
                assertThat(got.toString(StandardCharsets.UTF_8)).isEqualTo("top");
                assertThat(client.changeToParentDirectory()).as("CDUP: %s", client.getReplyString()).isTrue();
                assertThat(client.printWorkingDirectory()).isEqualTo("/a");
                assertThat(client.changeWorkingDirectory("/")).as("CWD /: %s", client.getReplyString()).isTrue();
                assertThat(client.printWorkingDirectory()).isEqualTo("/");
                assertThat(client.changeWorkingDirectory("/a/b/../b")).as("CWD /a/b/../b: %s", client.getReplyString()).isTrue();
                assertThat(client.printWorkingDirectory()).isEqualTo("/a/b");
                assertThat(client.changeWorkingDirectory("missing")).as("CWD missing: %s", client.getReplyString()).isFalse();
                assertThat(client.getReplyCode()).isEqualTo(550);
            } finally {
                Fixture.quit(client);
            }
        }
    }
}
