package org.multiplex.ftp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The three listings of a folder: LIST for people, NLST for names, MLSD for programs (RFC 3659). */
final class Listing {

    /** The time format of MDTM and of MLSD's modify fact: UTC, to the second. */
    static final DateTimeFormatter MACHINE_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RECENT = DateTimeFormatter.ofPattern("MMM dd HH:mm", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter OLD = DateTimeFormatter.ofPattern("MMM dd  yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private Listing() {
    }

    /** The kinds of listing. */
    enum Kind { LIST, NLST, MLSD }

    /**
     * Lists a folder, or one file, with {@code "\r\n"} after each entry.
     *
     * @param path     a real path inside the root
     * @param kind     which listing
     * @param readOnly whether the user may only read, for MLSD's perm fact
     * @param root     the server's root: a symbolic link that leads out of it is left out
     */
    static String of(Path path, Kind kind, boolean readOnly, RootFolder root) throws IOException {
        List<Path> entries = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (Stream<Path> children = Files.list(path)) {
                children.sorted().filter(root::contains).forEach(entries::add);
            }
        } else {
            entries.add(path);
        }
        StringBuilder text = new StringBuilder();
        for (Path entry : entries) {
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(entry, BasicFileAttributes.class);
            } catch (IOException e) {
                continue; // A dangling link, or a file gone meanwhile: leave it out.
            }
            String name = entry.getFileName().toString();
            text.append(switch (kind) {
                case NLST -> name;
                case LIST -> longLine(name, attributes);
                case MLSD -> facts(attributes, readOnly) + " " + name;
            }).append("\r\n");
        }
        return text.toString();
    }

    /** One line as {@code ls -l} prints it, which every FTP client can parse. */
    private static String longLine(String name, BasicFileAttributes attributes) {
        Instant modified = attributes.lastModifiedTime().toInstant();
        boolean recent = modified.isAfter(Instant.now().minusSeconds(180L * 24 * 3600));
        return String.format(Locale.ROOT, "%s 1 ftp ftp %12d %s %s",
                attributes.isDirectory() ? "drwxr-xr-x" : "-rw-r--r--",
                attributes.size(), (recent ? RECENT : OLD).format(modified), name);
    }

    /** MLSD's facts: {@code type=file;size=12;modify=20260101120000;perm=r;}. */
    static String facts(BasicFileAttributes attributes, boolean readOnly) {
        String type = attributes.isDirectory() ? "dir" : "file";
        String perm = attributes.isDirectory() ? (readOnly ? "el" : "elcmp") : (readOnly ? "r" : "rwadf");
        return "type=" + type + ";size=" + attributes.size() + ";modify="
                + MACHINE_TIME.format(attributes.lastModifiedTime().toInstant()) + ";perm=" + perm + ";";
    }
}
