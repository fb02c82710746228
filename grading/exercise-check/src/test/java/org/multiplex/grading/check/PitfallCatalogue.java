package org.multiplex.grading.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * A lesson's pitfall catalogue, read from {@code grading/pitfalls/NN-slug.yaml}: the bugs its
 * graded suite exists to catch.
 *
 * @param lesson    the lesson's slug
 * @param pitfalls  its entries, in the file's order
 */
record PitfallCatalogue(String lesson, List<Pitfall> pitfalls) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Returns the catalogue's file for a lesson. */
    static Path file(String slug) {
        return Lessons.ROOT.resolve("grading/pitfalls").resolve(slug + ".yaml");
    }

    /**
     * Reads and checks a lesson's catalogue: every entry complete, its id unique, its warning
     * found in the text it names.
     *
     * @throws IllegalStateException naming the entry and what is wrong with it
     */
    static PitfallCatalogue read(String slug) throws IOException {
        PitfallCatalogue catalogue = YAML.readValue(file(slug).toFile(), PitfallCatalogue.class);
        if (!slug.equals(catalogue.lesson())) {
            throw new IllegalStateException(file(slug) + " says it is lesson " + catalogue.lesson());
        }
        Set<String> ids = new HashSet<>();
        for (Pitfall p : catalogue.pitfalls()) {
            String where = slug + "/" + p.id() + ": ";
            require(p.id() != null && p.id().matches("[a-z0-9-]+"), where + "an id of lower-case words and dashes");
            require(ids.add(p.id()), where + "a second entry with this id");
            require(p.bug() != null && !p.bug().isBlank(), where + "no bug: say in a sentence what is wrong");
            require(p.warned() != null && p.warned().in() != null && p.warned().says() != null,
                    where + "no warned: { in: FILE, says: WORDS } naming where the lesson warns about it");
            Path text = Lessons.ROOT.resolve(p.warned().in()).normalize();
            require(text.startsWith(Lessons.ROOT) && Files.isRegularFile(text), where + p.warned().in() + " is not a file of the course");
            require(squeeze(Files.readString(text)).contains(squeeze(p.warned().says())),
                    where + p.warned().in() + " does not say \"" + p.warned().says() + "\"");
            require(p.task() != null && p.task().matches("\\d+\\.\\d+"), where + "no task, as \"2.1\"");
            if (p.uncatchable() == null) {
                require(!p.change().isEmpty(), where + "no change to the reference code");
                require(!p.message().isEmpty(), where + "no message: the words its failure must contain");
                for (Pitfall.Edit e : p.change()) {
                    require(e.file() != null && e.replace() != null && !e.replace().isBlank() && e.with() != null,
                            where + "a change needs file, replace and with");
                }
            }
        }
        return catalogue;
    }

    /**
     * Applies an edit to a source text.
     *
     * @throws IllegalStateException when the code to replace is not in the text exactly once
     */
    static String apply(String source, Pitfall.Edit edit) {
        String[] words = edit.replace().strip().split("\\s+");
        StringBuilder regex = new StringBuilder();
        for (String w : words) {
            regex.append(regex.isEmpty() ? "" : "\\s+").append(Pattern.quote(w));
        }
        Matcher m = Pattern.compile(regex.toString()).matcher(source);
        require(m.find(), edit.file() + " has no \"" + edit.replace().strip() + "\": has the reference code changed?");
        int start = m.start();
        int end = m.end();
        require(!m.find(), edit.file() + " has \"" + edit.replace().strip() + "\" more than once: make it longer");
        return source.substring(0, start) + edit.with().strip() + source.substring(end);
    }

    private static String squeeze(String text) {
        return text.replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalStateException(problem);
        }
    }

    /** Returns the lessons that have a catalogue. */
    static List<String> lessons() {
        List<String> slugs = new ArrayList<>();
        for (String slug : Lessons.graded()) {
            if (Files.exists(file(slug))) {
                slugs.add(slug);
            }
        }
        return slugs;
    }
}
