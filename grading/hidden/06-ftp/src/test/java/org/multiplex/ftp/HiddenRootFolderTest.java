package org.multiplex.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.multiplex.kit.grading.Graded;

/** Hidden checks of task 6.2: paths the public suite does not try, on RootFolder alone. */
class HiddenRootFolderTest {

    @TempDir
    Path root;
    @TempDir
    Path outside;

    @Graded(task = "6.2")
    void normalises_doubled_slashes_dots_and_a_climb_that_stays_inside() throws Exception {
        RootFolder folder = new RootFolder(root);

        assertThat(folder.virtual("/", "//a///b/./")).as("virtual(\"/\", \"//a///b/./\"): empty parts and . dropped")
                .isEqualTo("/a/b");
        assertThat(folder.virtual("/a/b", "..")).as("virtual(\"/a/b\", \"..\"): a .. pops one part").isEqualTo("/a");
        assertThat(folder.virtual("/a/b", "../../c/../d")).as("virtual(\"/a/b\", \"../../c/../d\"): climbs that stay"
                + " inside").isEqualTo("/d");
        assertThat(folder.virtual("/a", "/")).as("virtual(\"/a\", \"/\"): an absolute name starts at the root")
                .isEqualTo("/");
        assertThat(folder.virtual("/a", "")).as("virtual(\"/a\", \"\"): no name is the working folder").isEqualTo("/a");
    }

    @Graded(task = "6.2")
    void refuses_a_climb_above_the_root_hidden_in_the_middle_and_a_nul() throws Exception {
        RootFolder folder = new RootFolder(root);

        assertThat(catchThrowable(() -> folder.virtual("/", "a/../../x"))).as("what virtual(\"/\", \"a/../../x\")"
                + " throws: a .. with nothing left to pop climbs above the root").isInstanceOf(NoSuchFileException.class);
        assertThat(catchThrowable(() -> folder.virtual("/a", "../.."))).as("what virtual(\"/a\", \"../..\") throws:"
                + " a .. with nothing left to pop climbs above the root").isInstanceOf(NoSuchFileException.class);
        assertThat(catchThrowable(() -> folder.virtual("/", "a.txt\0.jpg"))).as("what virtual(\"/\", a name with a"
                + " NUL byte) throws").isInstanceOf(NoSuchFileException.class);
    }

    @Graded(task = "6.2", points = 2)
    void follows_a_chain_of_links_to_its_end_and_refuses_it_outside() throws Exception {
        Files.writeString(outside.resolve("secret.txt"), "not for you");
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/mine.txt"), "yours");
        // root/first -> root/second -> outside: each link on the way looks harmless.
        Files.createSymbolicLink(root.resolve("second"), outside);
        Files.createSymbolicLink(root.resolve("first"), root.resolve("second"));
        // A link inside, to a folder inside, under a relative target.
        Files.createSymbolicLink(root.resolve("shortcut"), Path.of("docs"));
        RootFolder folder = new RootFolder(root);

        assertThat(catchThrowable(() -> folder.real("/first/secret.txt"))).as("what real(\"/first/secret.txt\")"
                + " throws, first -> second -> outside: follow every link to its end (toRealPath)")
                .isInstanceOf(NoSuchFileException.class);
        assertThat(catchThrowable(() -> folder.real("/first/new.txt"))).as("what real(\"/first/new.txt\") throws, a"
                + " file to be stored through the chain of links: check the real path of its folder")
                .isInstanceOf(NoSuchFileException.class);
        assertThat(folder.real("/shortcut/mine.txt")).as("real(\"/shortcut/mine.txt\"), through a link inside the root")
                .isEqualTo(root.toRealPath().resolve("docs/mine.txt"));
        assertThat(folder.real("/shortcut/new.txt")).as("real(\"/shortcut/new.txt\"), a new file through a link inside"
                + " the root").isEqualTo(root.toRealPath().resolve("docs/new.txt"));
        assertThat(catchThrowable(() -> folder.real("/missing/new.txt"))).as("what real(\"/missing/new.txt\") throws,"
                + " a file in a folder not there").isInstanceOf(NoSuchFileException.class);
    }

    @Graded(task = "6.2")
    void serves_a_root_named_through_a_link() throws Exception {
        Path real = Files.createDirectories(root.resolve("served"));
        Files.writeString(real.resolve("a.txt"), "alpha");
        Path link = Files.createSymbolicLink(outside.resolve("link-to-served"), real);
        RootFolder folder = new RootFolder(link);

        assertThat(folder.real("/a.txt")).as("real(\"/a.txt\") of a root named through a link")
                .isEqualTo(real.toRealPath().resolve("a.txt"));
        assertThat(folder.real("/")).as("real(\"/\") of a root named through a link").isEqualTo(real.toRealPath());
    }
}
