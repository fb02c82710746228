package org.multiplex.lessons;

import org.asciidoctor.ast.Document;
import org.asciidoctor.extension.DocinfoProcessor;
import org.asciidoctor.extension.Location;
import org.asciidoctor.extension.LocationType;

/**
 * The bar above and below a rendered lesson: the contents page, the previous and the next lesson,
 * and the lesson's slide deck. {@link Render} sets the links as the attributes {@code nav-contents},
 * {@code nav-prev}, {@code nav-next}, {@code nav-slides} (and the titles {@code nav-prev-title},
 * {@code nav-next-title}); a document without {@code nav-contents}, such as a deck, gets no bar.
 */
abstract class LessonNavigation extends DocinfoProcessor {

    @Override
    public String process(Document document) {
        if (!"html5".equals(document.getAttribute("backend")) || !document.hasAttribute("nav-contents")) {
            return "";
        }
        StringBuilder html = new StringBuilder("<nav class=\"lesson-nav\" style=\"max-width:62.5em;margin:0 auto;padding:.5em 1em;"
                + "display:flex;gap:1.5em;flex-wrap:wrap;font-family:sans-serif;font-size:.95em\">");
        link(html, document, "nav-prev", "prev", "\u2190 ");
        link(html, document, "nav-contents", "contents", "");
        html.append("<span style=\"flex:1\"></span>");
        link(html, document, "nav-slides", "slides", "");
        link(html, document, "nav-next", "next", "");
        return html.append("</nav>").toString();
    }

    private static void link(StringBuilder html, Document document, String name, String rel, String arrow) {
        if (!document.hasAttribute(name)) {
            return;
        }
        String label = switch (rel) {
            case "prev" -> arrow + document.getAttribute("nav-prev-title");
            case "next" -> document.getAttribute("nav-next-title") + " \u2192";
            case "contents" -> "Contents";
            default -> "Slides";
        };
        html.append("<a rel=\"").append(rel).append("\" href=\"").append(document.getAttribute(name)).append("\">")
                .append(label).append("</a>");
    }

    @Location(LocationType.HEADER)
    static final class Top extends LessonNavigation {
    }

    @Location(LocationType.FOOTER)
    static final class Bottom extends LessonNavigation {
    }
}
