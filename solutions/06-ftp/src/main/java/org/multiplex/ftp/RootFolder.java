package org.multiplex.ftp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The one folder a server serves, and the only one: every path a client names is resolved
 * inside it, and a path that would lead out of it, by {@code ..} or by a symbolic link, is
 * refused.
 *
 * <p>A client sees the root as {@code /}. Its paths are virtual: {@code /docs/a.txt} means
 * {@code ROOT/docs/a.txt}, never the real {@code /docs}.
 */
public final class RootFolder {

    private final Path root;

    /**
     * Makes the root of a server.
     *
     * @param folder an existing folder
     * @throws IOException if it does not exist or cannot be read
     */
    public RootFolder(Path folder) throws IOException {
        this.root = folder.toRealPath();
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(folder + " is not a folder");
        }
    }

    /** Returns the real folder. */
    public Path path() {
        return root;
    }

    /**
     * Returns whether a real path, once every link on the way is followed, is inside the root: a
     * listing leaves out the links that lead out, so that nothing of what lies there shows.
     */
    boolean contains(Path path) {
        try {
            return path.toRealPath().startsWith(root);
        } catch (IOException e) {
            return false; // A dangling link, or a file gone meanwhile.
        }
    }

    /**
     * Turns a client's path into a virtual absolute path, as {@code PWD} shows it.
     *
     * @param cwd  the client's working folder, a virtual absolute path such as {@code /docs}
     * @param name what the client named: relative to {@code cwd}, or absolute from the root
     * @return the virtual path, normalised, as {@code /docs/a.txt}
     * @throws NoSuchFileException if the path climbs above the root or holds a NUL
     */
    // tag::virtual-path[]
    public String virtual(String cwd, String name) throws NoSuchFileException {
        // BEGIN SOLUTION 6.2: join name to cwd (an absolute name starts from "/"); walk its parts, dropping "." and popping for ".."; refuse a ".." above the root and a NUL; return "/" + the parts joined by "/"
        if (name.indexOf('\0') >= 0) {
            throw new NoSuchFileException(name);
        }
        String joined = name.startsWith("/") ? name : cwd + "/" + name;
        Deque<String> parts = new ArrayDeque<>();
        for (String part : joined.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw new NoSuchFileException(name, null, "above the root");
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return "/" + String.join("/", parts);
        // END SOLUTION
    }
    // end::virtual-path[]

    /**
     * Returns the real path of a virtual one, if it stays inside the root once every symbolic
     * link on the way is followed. The path itself need not exist (a file about to be stored),
     * but its folder must.
     *
     * @param virtual a virtual absolute path, from {@link #virtual}
     * @return the real path, inside the root
     * @throws NoSuchFileException if it, or its folder, leads out of the root or does not exist
     */
    // tag::real-path[]
    public Path real(String virtual) throws IOException {
        // BEGIN SOLUTION 6.2: resolve the virtual path under the root; take the real path of it (or of its folder, if it does not exist yet, plus its name); refuse it unless it starts with the root
        Path path = root.resolve(virtual.substring(1));
        Path real;
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            real = path.toRealPath();
        } else {
            Path parent = path.getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new NoSuchFileException(virtual);
            }
            real = parent.toRealPath().resolve(path.getFileName());
        }
        if (!real.startsWith(root)) {
            throw new NoSuchFileException(virtual, null, "outside the root");
        }
        return real;
        // END SOLUTION
    }
    // end::real-path[]
}
