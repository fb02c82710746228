package org.multiplex.lessons;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.asciidoctor.Asciidoctor;
import org.asciidoctor.Attributes;
import org.asciidoctor.AttributesBuilder;
import org.asciidoctor.Options;
import org.asciidoctor.SafeMode;
import org.asciidoctor.ast.Document;
import org.asciidoctor.log.LogRecord;
import org.asciidoctor.log.Severity;

/**
 * Renders the course's lesson texts and slide decks into one small site that works offline.
 *
 * <h2>What it finds</h2>
 * Every {@code lessons/NN-slug/index.adoc} becomes {@code lessons/NN-slug/index.html}, with a bar
 * that links the contents page and the previous and next lessons; every
 * {@code slides/NN-slug.adoc} becomes the reveal.js deck {@code slides/NN-slug.html}. The contents
 * page, {@code index.html}, lists both. Nothing is listed by hand: a new lesson folder or deck
 * appears by being there.
 *
 * <h2>What fails the build</h2>
 * Any message of the AsciiDoc processor at warning level or above (a missing include or tag, an
 * undefined attribute, a diagram that does not render), an internal cross-reference to no anchor,
 * a link in the site to a file or anchor that does not exist, and a stylesheet, script or image
 * that would be fetched from the network. Each document is also rendered as a student would render
 * it, from {@code exercises/} and without the {@code solutions} attribute: see {@code lessons/pom.xml}.
 *
 * <p>Usage: {@code Render COURSE_ROOT SITE_DIR}
 */
public final class Render {

    private static final Pattern LESSON_DIR = Pattern.compile("\\d\\d-[a-z0-9-]+");
    private static final Pattern DECK_FILE = Pattern.compile("(\\d\\d-[a-z0-9-]+)\\.adoc");
    private static final List<String> PICTURES = List.of(".png", ".svg", ".jpg", ".jpeg", ".gif");

    private final Path root;
    private final Path site;
    private final Asciidoctor asciidoctor;
    private final List<String> problems = new ArrayList<>();
    private final TranscriptInclude transcripts = new TranscriptInclude(recorded -> recorded);
    private String current = "";
    private String edition = "";

    /** One lesson or deck: its number-and-slug, and where its source is, if it has one. */
    private record Entry(String slug, Path lesson, Path deck, String title, String description) {}

    private Render(Path root, Path site) {
        this.root = root;
        this.site = site;
        // Messages come to log() once, not again through java.util.logging's console handler.
        java.util.logging.LogManager.getLogManager().reset();
        this.asciidoctor = Asciidoctor.Factory.create();
        asciidoctor.requireLibrary("asciidoctor-diagram");
        asciidoctor.registerLogHandler(this::log);
        asciidoctor.javaExtensionRegistry().docinfoProcessor(new LessonNavigation.Top());
        asciidoctor.javaExtensionRegistry().docinfoProcessor(new LessonNavigation.Bottom());
        asciidoctor.javaExtensionRegistry().includeProcessor(transcripts);
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: Render COURSE_ROOT SITE_DIR");
            System.exit(2);
        }
        long start = System.nanoTime();
        Render render = new Render(Path.of(args[0]).toRealPath(), Path.of(args[1]).toAbsolutePath().normalize());
        int pages;
        try {
            pages = render.run();
        } finally {
            render.asciidoctor.close();
        }
        if (!render.problems.isEmpty()) {
            System.err.println("Rendering the lessons and slides found " + render.problems.size() + " problem(s):");
            render.problems.forEach(p -> System.err.println("  " + p));
            System.exit(1);
        }
        System.out.printf("Rendered %d pages into %s in %.1f s%n",
                pages, render.site, (System.nanoTime() - start) / 1e9);
    }

    private int run() throws IOException {
        List<Entry> entries = discover();
        boolean solutions = Files.isDirectory(root.resolve("solutions"));
        Path tree = root.resolve(solutions ? "solutions" : "exercises");

        DemoOutput demos = new DemoOutput(root, site.resolveSibling("demo-output"), problems);
        transcripts.readFrom(demos::forTranscript);
        int pages = 0;
        List<Entry> lessons = entries.stream().filter(e -> e.lesson() != null).toList();
        for (int i = 0; i < lessons.size(); i++) {
            Entry lesson = lessons.get(i);
            Path out = site.resolve("lessons").resolve(lesson.slug());
            copyPictures(lesson.lesson().getParent(), out);
            AttributesBuilder attributes = common(tree, solutions, "../..", false)
                    .attribute("nav-contents", "../../index.html");
            demoOutput(lesson.lesson(), () -> demos.forLesson(lesson.slug()), attributes);
            if (i > 0) {
                attributes.attribute("nav-prev", "../" + lessons.get(i - 1).slug() + "/index.html")
                        .attribute("nav-prev-title", lessons.get(i - 1).title());
            }
            if (i + 1 < lessons.size()) {
                attributes.attribute("nav-next", "../" + lessons.get(i + 1).slug() + "/index.html")
                        .attribute("nav-next-title", lessons.get(i + 1).title());
            }
            if (lesson.deck() != null) {
                attributes.attribute("nav-slides", "../../slides/" + lesson.slug() + ".html");
            }
            convert(lesson.lesson(), out, "html5", attributes.build());
            pages++;
        }
        for (Entry entry : entries) {
            if (entry.deck() != null) {
                AttributesBuilder attributes = common(tree, solutions, "..", true)
                        .attribute("revealjsdir", "../reveal.js")
                        .attribute("revealjs_pdfseparatefragments", "false");
                demoOutput(entry.deck(), () -> demos.forLesson(entry.slug()), attributes);
                convert(entry.deck(), site.resolve("slides"), "revealjs", attributes.build());
                pages++;
            }
        }
        Files.writeString(site.resolve("index.adoc"), contents(entries));
        convert(site.resolve("index.adoc"), site, "html5", common(tree, solutions, ".", false).build());
        Files.delete(site.resolve("index.adoc"));
        pages++;

        if (solutions) {
            transcripts.readFrom(recorded -> recorded);
            studentCheck(entries);
        }
        new LinkCheck(site, problems).run();
        return pages;
    }

    /** Attributes every document gets; {@code up} leads from the output file's folder to the site. */
    private AttributesBuilder common(Path tree, boolean solutions, String up, boolean deck) {
        AttributesBuilder attributes = Attributes.builder()
                .attribute("attribute-missing", "warn")
                .attribute("code-tree", tree.toString())
                // Lessons: rouge colours the code while rendering, so the page needs no script.
                // Decks: highlight.js in the browser, for reveal.js's step-by-step line highlights,
                // from the site's own copy (the theme is reveal.js's own monokai.css).
                .attribute("source-highlighter", deck ? "highlightjs" : "rouge")
                .attribute("rouge-style", "github")
                .attribute("highlightjsdir", up + "/highlight.js")
                .attribute("webfonts!", "")
                .attribute("reproducible", "")
                .attribute("diagram-cachedir", site.resolveSibling("diagram-cache").toString())
                .attribute("plantuml-format", "svg");
        if (solutions) {
            attributes.attribute("solutions", "");
        }
        return attributes;
    }

    private void convert(Path source, Path outDir, String backend, Attributes attributes) {
        current = root.relativize(source.toAbsolutePath()).toString();
        Options options = Options.builder()
                // The course's own sources include code from ../../solutions: no jail.
                .safe(SafeMode.UNSAFE)
                .toDir(outDir.toFile())
                .mkDirs(true)
                .standalone(true)
                .backend(backend)
                .attributes(attributes)
                .build();
        long start = System.nanoTime();
        asciidoctor.convertFile(source.toFile(), options);
        System.out.printf("  %-30s %-8s %5.1f s%s%n", current, backend, (System.nanoTime() - start) / 1e9, edition);
    }

    /**
     * Renders every document again as a student distribution would: code from exercises/, no
     * solutions attribute. Only the messages count; the pages are thrown away.
     */
    private void studentCheck(List<Entry> entries) {
        Path scratch = site.resolveSibling("student-check");
        Path exercises = root.resolve("exercises");
        for (Entry entry : entries) {
            for (Path source : Stream.of(entry.lesson(), entry.deck()).filter(p -> p != null).toList()) {
                AttributesBuilder attributes = Attributes.builder()
                        .attribute("attribute-missing", "warn")
                        .attribute("code-tree", exercises.toString())
                        .attribute("diagram-cachedir", site.resolveSibling("diagram-cache").toString())
                        .attribute("plantuml-format", "svg");
                demoOutput(source, () -> root.resolve("lessons").resolve(entry.slug()).resolve("demo-output.txt"), attributes);
                edition = " [student edition: code from exercises/, no solutions]";
                convert(source, scratch.resolve(entry.slug()), source.equals(entry.deck()) ? "revealjs" : "html5", attributes.build());
                edition = "";
            }
        }
    }

    /** Sets {@code demo-output} for a document that includes it: see {@link DemoOutput}. */
    private static void demoOutput(Path source, java.util.function.Supplier<Path> file, AttributesBuilder attributes) {
        try {
            if (Files.readString(source).contains("{demo-output}")) {
                attributes.attribute("demo-output", file.get().toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void log(LogRecord record) {
        String where = record.getCursor() != null && record.getCursor().getFile() != null
                ? root.relativize(Path.of(record.getCursor().getFile()).toAbsolutePath()) + ":" + record.getCursor().getLineNumber()
                : current;
        boolean failing = record.getSeverity().ordinal() >= Severity.WARN.ordinal()
                || record.getMessage().startsWith("possible invalid reference")
                || record.getMessage().startsWith("unknown name for block macro");
        String line = record.getSeverity() + " " + where + ": " + record.getMessage() + edition;
        if (failing) {
            problems.add(line);
        }
        if (record.getSeverity().ordinal() >= Severity.INFO.ordinal()) {
            System.err.println(line);
        }
    }

    private List<Entry> discover() throws IOException {
        Map<String, Path> lessons = new TreeMap<>();
        Map<String, Path> decks = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(root.resolve("lessons"))) {
            dirs.filter(d -> LESSON_DIR.matcher(d.getFileName().toString()).matches())
                    .filter(d -> Files.isRegularFile(d.resolve("index.adoc")))
                    .forEach(d -> lessons.put(d.getFileName().toString(), d.resolve("index.adoc")));
        }
        try (Stream<Path> files = Files.list(root.resolve("slides"))) {
            files.forEach(f -> {
                var m = DECK_FILE.matcher(f.getFileName().toString());
                if (m.matches()) {
                    decks.put(m.group(1), f);
                }
            });
        }
        TreeMap<String, Path> all = new TreeMap<>(lessons);
        decks.forEach(all::putIfAbsent);
        List<Entry> entries = new ArrayList<>();
        for (String slug : all.keySet()) {
            Path header = lessons.getOrDefault(slug, decks.get(slug));
            Document doc = asciidoctor.loadFile(header.toFile(), Options.builder()
                    .safe(SafeMode.UNSAFE).parseHeaderOnly(true).build());
            String description = lessons.containsKey(slug) ? (String) doc.getAttribute("description", "") : "";
            entries.add(new Entry(slug, lessons.get(slug), decks.get(slug), doc.getDoctitle(), description));
        }
        return entries;
    }

    private String contents(List<Entry> entries) {
        StringBuilder adoc = new StringBuilder("""
                = Multiplex: lessons and slides
                :nofooter:

                How network servers multiplex many clients, one lesson at a time.
                Each lesson has a text to read and a slide deck; a deck's print view is the one to
                save as PDF (the browser's print dialog, landscape, no margins).

                """);
        for (Entry entry : entries) {
            String number = String.valueOf(Integer.parseInt(entry.slug().substring(0, 2)));
            adoc.append("== ").append(entry.lesson() != null
                    ? "link:lessons/" + entry.slug() + "/index.html[" + escape(entry.title()) + "]"
                    : escape(entry.title())).append("\n\n");
            if (!entry.description().isEmpty()) {
                adoc.append(entry.description()).append("\n\n");
            }
            if (entry.deck() != null) {
                adoc.append("Slides: link:slides/").append(entry.slug()).append(".html[lesson ").append(number)
                        .append(" deck], link:slides/").append(entry.slug())
                        .append(".html?print-pdf[print view]\n\n");
            }
        }
        return adoc.toString();
    }

    private static String escape(String title) {
        return title.replace("]", "\\]");
    }

    /** Copies the pictures of a lesson's folder, and of its subfolders (lesson 7's results/), keeping their places. */
    private static void copyPictures(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
                if (PICTURES.stream().anyMatch(name::endsWith)) {
                    Path target = to.resolve(from.relativize(file).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
