package org.multiplex.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiplex.kit.grading.Graded;

/** Task 6.2: every path a client names stays inside the root, whatever it tries. */
@ExtendWith(Explained.class)
class RootFolderTest {

    @TempDir
    Path root;
    @TempDir
    Path outside;

    @Graded(task = "6.2", points = 3)
    void refuses_paths_that_climb_out_of_the_root() throws Exception {
        Files.writeString(outside.resolve("secret.txt"), "not for you");
        Files.writeString(root.resolve("a.txt"), "alpha");
        String climb = "../".repeat(root.getNameCount()) + outside.toString().substring(1) + "/secret.txt";
        String above = "a `..` with nothing left to pop climbs above the root: RootFolder.virtual must refuse it"
                + " (NoSuchFileException, 550)";
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD)) {
            for (String path : new String[] {"../../etc/passwd", "/../../etc/passwd", climb}) {
                control.check("SIZE " + path, 550, above);
                control.check("RETR " + path, 550, above);
            }
            for (String path : new String[] {"/etc/passwd", outside.resolve("secret.txt").toString()}) {
                control.check("SIZE " + path, 550, "an absolute path starts at the root, so " + path + " is not there");
                control.check("RETR " + path, 550, "an absolute path starts at the root, so " + path + " is not there");
            }
            for (String path : new String[] {"/..", "..", "../..", "/../tmp"}) {
                control.check("CWD " + path, 550, above);
                assertThat(control.check("PWD", 257, "PWD after a refused CWD")).as("PWD after CWD %s, which must"
                        + " leave the working folder at the root", path).startsWith("257 \"/\"");
            }
            control.check("CDUP", 550, "CDUP at the root; " + above);
            control.check("MKD ../escaped", 550, above);
            control.check("STOR ../escaped.txt", 550, above);
            control.check("RNFR ../" + outside.getFileName() + "/secret.txt", 550, above);
            // A NUL cuts a C string short, and Java's paths refuse it with an unchecked exception.
            String nul = "a NUL byte in a path must be refused with 550 (RootFolder.virtual), and the session go on";
            control.check("SIZE a.txt\0.jpg", 550, nul);
            control.check("RETR a.txt\0.jpg", 550, nul);
            control.check("CWD \0", 550, nul);
            control.check("STOR new\0.txt", 550, nul);
            control.check("NOOP", 200, "NOOP after all that: the session goes on");
        }
        assertThat(root.getParent().resolve("escaped")).as("a folder MKD ../escaped made outside the root").doesNotExist();
        assertThat(root.getParent().resolve("escaped.txt")).as("a file STOR ../escaped.txt made outside the root")
                .doesNotExist();
        assertThat(outside.resolve("secret.txt")).exists();
    }

    @Graded(task = "6.2", points = 3)
    void refuses_symbolic_links_that_lead_out_of_the_root() throws Exception {
        Files.writeString(outside.resolve("secret.txt"), "not for you");
        Files.createSymbolicLink(root.resolve("door"), outside);
        Files.createSymbolicLink(root.resolve("secret.txt"), outside.resolve("secret.txt"));
        Files.writeString(root.resolve("inside.txt"), "yours");
        Files.createSymbolicLink(root.resolve("alias.txt"), root.resolve("inside.txt"));
        String links = "a symbolic link inside the root leads out of it: RootFolder.real must check the real path,"
                + " every link followed (toRealPath), not the path as written";
        String newFile = "a file not there yet lies in a folder reached through a link out of the root: RootFolder.real"
                + " must check the real path of its folder";
        try (Fixture ftp = new Fixture(root);
             Fixture.Control control = Fixture.Control.login(ftp.address, Fixture.USER, Fixture.PASSWORD)) {
            for (String path : new String[] {"door/secret.txt", "secret.txt", "/door/../door/secret.txt"}) {
                control.check("SIZE " + path, 550, links);
                control.check("RETR " + path, 550, links);
            }
            control.check("CWD door", 550, links);
            control.check("DELE door/secret.txt", 550, links);
            control.check("MLST door/secret.txt", 550, links);
            control.check("MLST secret.txt", 550, links);
            control.check("MKD door/planted", 550, newFile);
            control.check("STOR door/planted.txt", 550, newFile);
            assertThat(control.check("SIZE alias.txt", 213, "alias.txt is a link to a file inside the root, which"
                    + " must work")).as("SIZE alias.txt").isEqualTo("213 5");
        }
        assertThat(outside.resolve("planted.txt")).as("a file planted outside the root; " + newFile).doesNotExist();
        assertThat(outside.resolve("planted")).as("a folder made outside the root; " + newFile).doesNotExist();
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
