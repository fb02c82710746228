package org.multiplex.ftp;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Who may log in: named users with passwords, from a properties file of {@code user=password}
 * lines, and an anonymous user ({@code anonymous} or {@code ftp}, any password) who may only read.
 */
public final class Users {

    /** The names under which anyone may log in, to read only. */
    public static final java.util.Set<String> ANONYMOUS = java.util.Set.of("anonymous", "ftp");

    private final Map<String, String> passwords;

    private Users(Map<String, String> passwords) {
        this.passwords = Map.copyOf(passwords);
    }

    /**
     * Makes the users from pairs of names and passwords.
     *
     * @param namesAndPasswords name, password, name, password, ...
     */
    public static Users of(String... namesAndPasswords) {
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i + 1 < namesAndPasswords.length; i += 2) {
            map.put(namesAndPasswords[i], namesAndPasswords[i + 1]);
        }
        return new Users(map);
    }

    /** Reads users from a properties file of {@code user=password} lines. */
    public static Users read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Map<String, String> map = new TreeMap<>();
        properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
        return new Users(map);
    }

    /** What a user may do once logged in. */
    public enum Access { READ_ONLY, READ_WRITE }

    /**
     * Checks a login.
     *
     * @return the user's access, or empty if the name or password is wrong
     */
    public Optional<Access> login(String name, String password) {
        if (ANONYMOUS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
            return Optional.of(Access.READ_ONLY);
        }
        String expected = passwords.get(name);
        if (expected == null || password == null) {
            return Optional.empty();
        }
        // Compared in constant time: how long a wrong guess takes says nothing of the password.
        boolean same = MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                password.getBytes(StandardCharsets.UTF_8));
        return same ? Optional.of(Access.READ_WRITE) : Optional.empty();
    }
}
