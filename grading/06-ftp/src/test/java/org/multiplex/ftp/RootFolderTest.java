package org.multiplex.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.io.TempDir;
import org.multiplex.kit.grading.Graded;

/** Task 6.2: every path a client names stays inside the root, whatever it tries. */
class RootFolderTest {

    @TempDir
    Path root;
    @TempDir
    Path outside;

    @Graded(task = "6.2", points = 3)
    void refuses_paths_that_climb_out_of_the_root() throws Exception {
        Files.writeString(outside.resolve("secret.txt"), "not for you");
        String climb = "../".repeat(root.getNameCount()) + outside.toString().substring(1) + "/secret.txt";
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD)) {
            for (String path : new String[] {"../../etc/passwd", "/../../etc/passwd", climb, "/etc/passwd",
                    outside.resolve("secret.txt").toString()}) {
                assertThat(control.code("RETR " + path)).as("the reply to RETR %s", path).isEqualTo(550);
                assertThat(control.code("SIZE " + path)).as("the reply to SIZE %s", path).isEqualTo(550);
            }
            for (String path : new String[] {"/..", "..", "../..", "/../tmp"}) {
                assertThat(control.code("CWD " + path)).as("the reply to CWD %s", path).isEqualTo(550);
                assertThat(control.send("PWD").expect(257)).as("PWD after CWD %s", path).startsWith("257 \"/\"");
            }
            assertThat(control.code("CDUP")).as("the reply to CDUP at the root").isEqualTo(550);
            assertThat(control.code("MKD ../escaped")).as("the reply to MKD ../escaped").isEqualTo(550);
            assertThat(control.code("STOR ../escaped.txt")).as("the reply to STOR ../escaped.txt").isEqualTo(550);
            assertThat(control.code("RNFR ../" + outside.getFileName() + "/secret.txt")).as("the reply to RNFR of a file outside")
                    .isEqualTo(550);
        }
        assertThat(root.getParent().resolve("escaped")).doesNotExist();
        assertThat(root.getParent().resolve("escaped.txt")).doesNotExist();
        assertThat(outside.resolve("secret.txt")).exists();
    }

    @Graded(task = "6.2", points = 3)
    void refuses_symbolic_links_that_lead_out_of_the_root() throws Exception {
        Files.writeString(outside.resolve("secret.txt"), "not for you");
        Files.createSymbolicLink(root.resolve("door"), outside);
        Files.createSymbolicLink(root.resolve("secret.txt"), outside.resolve("secret.txt"));
        Files.writeString(root.resolve("inside.txt"), "yours");
        Files.createSymbolicLink(root.resolve("alias.txt"), root.resolve("inside.txt"));
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD)) {
            for (String path : new String[] {"door/secret.txt", "secret.txt", "/door/../door/secret.txt"}) {
                assertThat(control.code("RETR " + path)).as("RETR %s, through a link out of the root", path).isEqualTo(550);
                assertThat(control.code("SIZE " + path)).as("SIZE %s, through a link out of the root", path).isEqualTo(550);
            }
            assertThat(control.code("CWD door")).as("CWD door, a link out of the root").isEqualTo(550);
            assertThat(control.code("STOR door/planted.txt")).as("STOR door/planted.txt").isEqualTo(550);
            assertThat(control.code("MKD door/planted")).as("MKD door/planted").isEqualTo(550);
            assertThat(control.code("DELE door/secret.txt")).as("DELE door/secret.txt").isEqualTo(550);
            assertThat(control.code("MLST door/secret.txt")).as("MLST door/secret.txt").isEqualTo(550);
            assertThat(control.code("MLST secret.txt")).as("MLST secret.txt, a link out of the root").isEqualTo(550);
            assertThat(control.send("SIZE alias.txt").expect(213)).as("SIZE alias.txt, a link inside the root")
                    .isEqualTo("213 5");
        }
        assertThat(outside.resolve("planted.txt")).doesNotExist();
        assertThat(outside.resolve("planted")).doesNotExist();
        assertThat(outside.resolve("secret.txt")).exists();
    }

    @Graded(task = "6.2", points = 2)
    void resolves_relative_and_absolute_paths_from_the_working_folder() throws Exception {
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("a/top.txt"), "top");
        Files.setLastModifiedTime(root.resolve("a/top.txt"), FileTime.fromMillis(1_700_000_000_000L));
        try (Fixture ftp = new Fixture(root)) {
            FTPClient client = ftp.login();
            try {
                assertThat(client.changeWorkingDirectory("a/./b/")).as("CWD a/./b/: %s", client.getReplyString()).isTrue();
                assertThat(client.printWorkingDirectory()).isEqualTo("/a/b");
                assertThat(client.getSize("../top.txt")).as("SIZE ../top.txt from /a/b: %s", client.getReplyString()).isEqualTo("3");
                FTPFile facts = client.mlistFile("../top.txt");
                assertThat(facts).as("MLST ../top.txt from /a/b: %s", client.getReplyString()).isNotNull();
                assertThat(facts.getName()).as("the path in MLST's reply").isEqualTo("/a/top.txt");
                assertThat(facts.isFile()).as("MLST's type fact").isTrue();
                assertThat(facts.getSize()).as("MLST's size fact").isEqualTo(3);
                assertThat(client.getModificationTime("/a/top.txt")).as("MDTM /a/top.txt: %s", client.getReplyString())
                        .isEqualTo("20231114221320");
                assertThat(client.changeToParentDirectory()).as("CDUP: %s", client.getReplyString()).isTrue();
                assertThat(client.printWorkingDirectory()).isEqualTo("/a");
                assertThat(client.getSize("top.txt")).as("SIZE top.txt from /a").isEqualTo("3");
                assertThat(client.changeWorkingDirectory("/")).as("CWD /: %s", client.getReplyString()).isTrue();
                assertThat(client.printWorkingDirectory()).isEqualTo("/");
                assertThat(client.changeWorkingDirectory("/a/b/../b")).as("CWD /a/b/../b: %s", client.getReplyString()).isTrue();
                assertThat(client.printWorkingDirectory()).isEqualTo("/a/b");
                assertThat(client.changeWorkingDirectory("missing")).as("CWD missing: %s", client.getReplyString()).isFalse();
                assertThat(client.getReplyCode()).isEqualTo(550);
                assertThat(client.getSize("/a")).as("SIZE of a folder").isNull();
                assertThat(client.getReplyCode()).isEqualTo(550);
            } finally {
                Fixture.quit(client);
            }
        }
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
                assertThat(client.rename("docs", "docs/inside")).as("RNFR/RNTO of a folder into itself").isFalse();
                assertThat(client.getReplyCode()).as("the reply to RNTO of a folder into itself: %s", client.getReplyString())
                        .isEqualTo(550);
                assertThat(client.rename("old.txt", "docs/new.txt")).as("RNFR/RNTO: %s", client.getReplyString()).isTrue();
                assertThat(client.rename("missing.txt", "x.txt")).as("RNFR of a missing file").isFalse();
                assertThat(client.removeDirectory("docs")).as("RMD of a folder with a file in it").isFalse();
                assertThat(client.getSize("docs/new.txt")).as("SIZE docs/new.txt, renamed: %s", client.getReplyString())
                        .isEqualTo("8");
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
}
