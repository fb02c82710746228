package org.multiplex.lessons;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.asciidoctor.ast.Document;
import org.asciidoctor.extension.IncludeProcessor;
import org.asciidoctor.extension.PreprocessorReader;
import org.asciidoctor.log.LogRecord;
import org.asciidoctor.log.Severity;

/**
 * Serves an include of a lesson's recorded script output ({@code include::explore-output.txt[]})
 * from what the script printed in this build, when it ran: see {@link DemoOutput}. Handles every
 * include of a relative {@code .txt} file; the one attribute such an include may have is
 * {@code lines} (ranges such as {@code 1..3;7..-1}), any other is reported and fails the build.
 */
final class TranscriptInclude extends IncludeProcessor {

    private static final Set<String> ATTRIBUTES = Set.of("lines");

    private volatile UnaryOperator<Path> source;

    TranscriptInclude(UnaryOperator<Path> source) {
        this.source = source;
    }

    /** Where each included file is read from from now on: the fresh output, or (student edition) the recorded file. */
    void readFrom(UnaryOperator<Path> source) {
        this.source = source;
    }

    @Override
    public boolean handles(String target) {
        return target.endsWith(".txt") && !target.contains("://") && !Path.of(target).isAbsolute();
    }

    @Override
    public void process(Document document, PreprocessorReader reader, String target, Map<String, Object> attributes) {
        Path recorded = Path.of(reader.getDir()).resolve(target).normalize();
        Path file = source.apply(recorded);
        String where = reader.getFile() + ":" + reader.getLineNumber();
        for (String name : attributes.keySet()) {
            if (!ATTRIBUTES.contains(name)) {
                log(new LogRecord(Severity.ERROR, where + ": include of " + target + ": '" + name
                        + "' is not supported for console output, only 'lines'"));
            }
        }
        if (!Files.isRegularFile(file)) {
            log(new LogRecord(Severity.ERROR, where + ": include file not found: " + file));
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Object ranges = attributes.get("lines");
        if (ranges != null) {
            lines = select(lines, ranges.toString(), where + ": include of " + target);
        }
        reader.pushInclude(String.join("\n", lines), file.toString(), file.toString(), 1, attributes);
    }

    /** The lines named by {@code ranges}, Asciidoctor's syntax: {@code 3}, {@code 1..3}, {@code 7..-1} or {@code 7..}, separated by ; or ,. */
    private List<String> select(List<String> lines, String ranges, String where) {
        List<String> chosen = new ArrayList<>();
        for (String range : ranges.replace("\"", "").split("[;,]")) {
            String r = range.strip();
            try {
                int from;
                int to;
                if (r.contains("..")) {
                    from = Integer.parseInt(r.substring(0, r.indexOf("..")).strip());
                    String end = r.substring(r.indexOf("..") + 2).strip();
                    to = end.isEmpty() || end.equals("-1") ? lines.size() : Integer.parseInt(end);
                } else {
                    from = Integer.parseInt(r);
                    to = from;
                }
                if (from < 1 || from > lines.size()) {
                    log(new LogRecord(Severity.WARN, where + ": lines=" + r + " starts past the " + lines.size() + " lines of the file"));
                    continue;
                }
                chosen.addAll(lines.subList(from - 1, Math.min(to, lines.size())));
            } catch (NumberFormatException e) {
                log(new LogRecord(Severity.ERROR, where + ": lines=" + ranges + " is not a list of line ranges"));
                return lines;
            }
        }
        return chosen;
    }
}
