package org.multiplex.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

        assertThat(folder.virtual("/", "//a///b/./")).isEqualTo("/a/b");
        assertThat(folder.virtual("/a/b", "..")).isEqualTo("/a");
        assertThat(folder.virtual("/a/b", "../../c/../d")).isEqualTo("/d");
        assertThat(folder.virtual("/a", "/")).isEqualTo("/");
        assertThat(folder.virtual("/a", "")).isEqualTo("/a");
    }

    @Graded(task = "6.2")
    void refuses_a_climb_above_the_root_hidden_in_the_middle_and_a_nul() throws Exception {
        RootFolder folder = new RootFolder(root);

        assertThatThrownBy(() -> folder.virtual("/", "a/../../x")).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> folder.virtual("/a", "../..")).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> folder.virtual("/", "a.txt\0.jpg")).isInstanceOf(NoSuchFileException.class);
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

        assertThatThrownBy(() -> folder.real("/first/secret.txt")).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> folder.real("/first/new.txt")).as("a file to be stored through the chain")
                .isInstanceOf(NoSuchFileException.class);
        assertThat(folder.real("/shortcut/mine.txt")).isEqualTo(root.toRealPath().resolve("docs/mine.txt"));
        assertThat(folder.real("/shortcut/new.txt")).isEqualTo(root.toRealPath().resolve("docs/new.txt"));
        assertThatThrownBy(() -> folder.real("/missing/new.txt")).as("a file in a folder not there")
                .isInstanceOf(NoSuchFileException.class);
    }

    @Graded(task = "6.2")
    void serves_a_root_named_through_a_link() throws Exception {
        Path real = Files.createDirectories(root.resolve("served"));
        Files.writeString(real.resolve("a.txt"), "alpha");
        Path link = Files.createSymbolicLink(outside.resolve("link-to-served"), real);
        RootFolder folder = new RootFolder(link);

        assertThat(folder.real("/a.txt")).isEqualTo(real.toRealPath().resolve("a.txt"));
        assertThat(folder.real("/")).isEqualTo(real.toRealPath());
    }
}
