package org.multiplex.lessons;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks the rendered pages: every relative link and resource names a file of the site, every
 * {@code #anchor} an id in its page, and nothing that a page loads by itself (script, stylesheet,
 * image, frame) comes from the network. Links a reader follows may lead anywhere.
 */
final class LinkCheck {

    private static final Pattern REFERENCE = Pattern.compile("<(a|link|script|img|iframe|source|video|audio)\\b[^>]*?\\b(href|src)=\"([^\"]*)\"");
    private static final Pattern REMOTE = Pattern.compile("^(https?:)?//.*");

    private final Path site;
    private final List<String> problems;

    LinkCheck(Path site, List<String> problems) {
        this.site = site;
        this.problems = problems;
    }

    void run() throws IOException {
        try (Stream<Path> files = Files.walk(site)) {
            for (Path page : files.filter(p -> p.toString().endsWith(".html")).toList()) {
                Path relative = site.relativize(page);
                if (relative.startsWith("reveal.js") || relative.startsWith("highlight.js")) {
                    continue;
                }
                check(page, Files.readString(page));
            }
        }
    }

    private void check(Path page, String html) {
        Matcher m = REFERENCE.matcher(html);
        while (m.find()) {
            String element = m.group(1);
            String target = m.group(3).replace("&amp;", "&");
            String where = site.relativize(page) + ": <" + element + " " + m.group(2) + "=\"" + target + "\">";
            if (REMOTE.matcher(target).matches()) {
                if (!element.equals("a")) {
                    problems.add(where + " would be fetched from the network");
                }
                continue;
            }
            if (target.isEmpty() || target.startsWith("mailto:") || target.startsWith("data:")) {
                continue;
            }
            String path = target.replaceFirst("[?#].*", "");
            String fragment = target.contains("#") ? target.substring(target.indexOf('#') + 1) : "";
            Path file = path.isEmpty() ? page : page.getParent().resolve(URLDecoder.decode(path, StandardCharsets.UTF_8)).normalize();
            if (!file.startsWith(site) || !Files.exists(file)) {
                problems.add(where + " names a file that the site does not have");
            } else if (!fragment.isEmpty() && file.toString().endsWith(".html") && !page.toString().contains("/slides/")) {
                if (!read(file).contains("id=\"" + fragment + "\"")) {
                    problems.add(where + " names an anchor that " + site.relativize(file) + " does not have");
                }
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
