package org.multiplex.grading.check;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The lessons of this checkout, found on disk, and what the check needs to know of each. */
final class Lessons {

    private static final Pattern TODO = Pattern.compile("TODO\\((\\d+\\.\\d+)\\)");
    /** How a lesson module's pom names another lesson it builds on: lesson 6's names lesson 5's dispatcher. */
    private static final Pattern BUILDS_ON = Pattern.compile("<artifactId>\\$\\{tree}-(\\d\\d-[a-z0-9-]+)</artifactId>");

    static final Path ROOT = Path.of(System.getProperty("course.root", "../..")).toAbsolutePath().normalize();

    private Lessons() {
    }

    /** Returns the slugs of lessons that have a graded suite, as {@code 01-blocking}. */
    static List<String> graded() {
        try (Stream<Path> dirs = Files.list(ROOT.resolve("grading"))) {
            return dirs.filter(d -> d.getFileName().toString().matches("\\d\\d-.+"))
                    .filter(d -> Files.isDirectory(ROOT.resolve("exercises").resolve(d.getFileName())))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the tasks that still have a stub in a lesson's exercises. */
    static Set<String> tasksWithWork(String slug) throws IOException {
        Set<String> tasks = new TreeSet<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("exercises").resolve(slug).resolve("src"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = TODO.matcher(Files.readString(f));
                while (m.find()) {
                    tasks.add(m.group(1));
                }
            }
        }
        return tasks;
    }

    /** Returns the lessons that a lesson's code builds on, as {@code 05-continuations}, from its pom. */
    static List<String> buildsOn(String slug) {
        Path pom = ROOT.resolve("solutions").resolve(slug).resolve("pom.xml");
        try {
            Matcher m = BUILDS_ON.matcher(Files.readString(pom));
            List<String> lessons = new ArrayList<>();
            while (m.find()) {
                lessons.add(m.group(1));
            }
            return lessons;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Returns the class path of a child JVM that runs a lesson's suite against a tree: the
     * suite's classes, the tree's lesson classes, and the kit with its libraries.
     */
    static String classPath(String slug, String tree) throws IOException {
        return classPath(slug, ROOT.resolve(tree).resolve(slug).resolve("target/classes"), List.of());
    }

    /**
     * Returns the class path of a child JVM that runs a lesson's suite: the suite's classes and
     * any more test classes given, the lesson's classes from the given folder, the reference code
     * of the lessons it builds on, and the kit with its libraries.
     */
    static String classPath(String slug, Path lessonClasses, List<Path> moreTests) throws IOException {
        List<String> entries = new ArrayList<>();
        entries.add(ROOT.resolve("grading").resolve(slug).resolve("target/test-classes").toString());
        moreTests.forEach(p -> entries.add(p.toString()));
        entries.add(lessonClasses.toString());
        // What the lesson builds on is the reference code: only the lesson's own code may fail it.
        for (String earlier : buildsOn(slug)) {
            entries.add(ROOT.resolve("solutions").resolve(earlier).resolve("target/classes").toString());
        }
        entries.addAll(kitClassPath());
        return String.join(File.pathSeparator, entries);
    }

    /**
     * Returns the kit and the libraries of the suites, never a lesson module: those come from the
     * folders a caller names, whether the check's own dependencies are the reactor's folders or
     * installed jars.
     */
    static List<String> kitClassPath() throws IOException {
        Path listed = Path.of(System.getProperty("kit.classpath"));
        List<String> entries = new ArrayList<>();
        for (String entry : Files.readString(listed).strip().split(File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath().normalize();
            boolean courseModule = p.startsWith(ROOT) ? !p.startsWith(ROOT.resolve("kit"))
                    : p.toString().contains("/org/multiplex/") && !p.toString().contains("/org/multiplex/kit/");
            if (!courseModule) {
                entries.add(entry);
            }
        }
        return entries;
    }
}
