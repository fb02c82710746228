package org.multiplex.measure;

import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUtils;

/** Draws the lab's charts as SVG files, with JFreeChart. */
final class Charts {

    private static final int WIDTH = 800;
    private static final int HEIGHT = 480;

    private Charts() {
    }

    /** Writes throughput.svg, latency.svg and, if memory was measured, memory.svg. */
    static void write(Path dir, Lab.Sweep sweep, List<Contender> contenders) throws IOException {
        XYSeriesCollection throughput = new XYSeriesCollection();
        XYSeriesCollection latency = new XYSeriesCollection();
        for (Contender c : contenders) {
            XYSeries t = new XYSeries(c.name());
            XYSeries l = new XYSeries(c.name());
            for (Point p : sweep.sweepPoints()) {
                if (p.server().equals(c.name()) && p.measured() && p.result().answers() > 0) {
                    t.add(p.connections(), p.throughput());
                    l.add(p.connections(), Math.max(0.01, p.result().latencyMicros(99) / 1000.0));
                }
            }
            throughput.addSeries(t);
            latency.addSeries(l);
        }
        JFreeChart t = ChartFactory.createXYLineChart("Zen answers per second", "concurrent connections",
                "answers per second", throughput, PlotOrientation.VERTICAL, true, false, false);
        connectionsAxis(t);
        save(t, dir.resolve("throughput.svg"));

        JFreeChart l = ChartFactory.createXYLineChart("Latency, 99th percentile", "concurrent connections",
                "milliseconds", latency, PlotOrientation.VERTICAL, true, false, false);
        connectionsAxis(l);
        LogAxis ms = new LogAxis("milliseconds (log scale)");
        ms.setNumberFormatOverride(new DecimalFormat("#,##0.##"));
        l.getXYPlot().setRangeAxis(ms);
        save(l, dir.resolve("latency.svg"));

        if (!sweep.memory.isEmpty()) {
            DefaultCategoryDataset memory = new DefaultCategoryDataset();
            for (MemoryPoint m : sweep.memory) {
                if (!Double.isNaN(m.heapPerConnection())) {
                    memory.addValue(m.heapPerConnection() / 1024, "heap", m.server());
                    memory.addValue(m.residentPerConnection() / 1024, "outside the heap", m.server());
                }
            }
            JFreeChart chart = ChartFactory.createBarChart(String.format("Memory per idle connection (%,d connections)",
                    sweep.memoryAt), "server", "KiB per connection", memory, PlotOrientation.VERTICAL, true, false, false);
            style(chart);
            save(chart, dir.resolve("memory.svg"));
        }
    }

    private static void connectionsAxis(JFreeChart chart) {
        XYPlot plot = chart.getXYPlot();
        LogAxis connections = new LogAxis("concurrent connections (log scale)");
        connections.setTickUnit(new NumberTickUnit(1));
        connections.setNumberFormatOverride(new DecimalFormat("#,##0"));
        plot.setDomainAxis(connections);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        plot.setRenderer(renderer);
        style(chart);
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getPlot().setBackgroundPaint(new Color(0xF6, 0xF6, 0xF6));
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    }

    private static void save(JFreeChart chart, Path file) throws IOException {
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
        chart.draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
        SVGUtils.writeToSVG(file.toFile(), g.getSVGElement());
    }
}
