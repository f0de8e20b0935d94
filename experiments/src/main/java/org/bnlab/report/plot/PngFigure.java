package org.bnlab.report.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.bnlab.io.AtomicFiles;
import org.knowm.xchart.XYChart;

/**
 * One PNG image: a title strip across the top and one or more charts side by side below it, all the same size.
 * Written atomically (see {@link AtomicFiles}), so a report never links to half an image.
 */
final class PngFigure {

    static {
        Headless.ensure();
    }

    /** Height of the title strip, pixels. */
    static final int TITLE_HEIGHT = 44;
    private static final int TITLE_MARGIN = 16;
    private static final int TITLE_MAX_POINTS = 20;
    private static final int TITLE_MIN_POINTS = 12;

    private PngFigure() {
    }

    /**
     * Renders {@code panels} left to right below {@code title} into a {@code width x height} image and writes it to
     * {@code png}. Each panel gets {@code width / panels.size()} by {@code height - TITLE_HEIGHT} pixels; one
     * without series is drawn without a legend. A title too wide for the image is set smaller, and cut with an
     * ellipsis if it still does not fit.
     *
     * @throws IllegalArgumentException if there are no panels
     * @throws java.io.UncheckedIOException if the file cannot be written
     */
    static void write(Path png, String title, List<XYChart> panels, int width, int height) {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("a figure needs at least one chart");
        }
        BufferedImage image = render(title, panels, width, height);
        AtomicFiles.write(png, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("this Java runtime has no PNG writer");
            }
        });
    }

    static BufferedImage render(String title, List<XYChart> panels, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            drawTitle(g, title, width);
            int panelWidth = width / panels.size();
            int panelHeight = height - TITLE_HEIGHT;
            for (int i = 0; i < panels.size(); i++) {
                XYChart chart = panels.get(i);
                // a chart without series would show an empty legend box
                chart.getStyler().setLegendVisible(!chart.getSeriesMap().isEmpty());
                Graphics2D panel = (Graphics2D) g.create(i * panelWidth, TITLE_HEIGHT, panelWidth, panelHeight);
                try {
                    chart.paint(panel, panelWidth, panelHeight);
                } finally {
                    panel.dispose();
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void drawTitle(Graphics2D g, String title, int width) {
        int room = width - 2 * TITLE_MARGIN;
        Font font = null;
        FontMetrics metrics = null;
        for (int points = TITLE_MAX_POINTS; points >= TITLE_MIN_POINTS; points--) {
            font = new Font(Font.SANS_SERIF, Font.BOLD, points);
            metrics = g.getFontMetrics(font);
            if (metrics.stringWidth(title) <= room) {
                break;
            }
        }
        String text = title;
        while (metrics.stringWidth(text) > room && text.length() > 1) {
            text = text.substring(0, text.length() - 2) + "…";
        }
        g.setFont(font);
        g.setColor(PlotStyle.TEXT);
        int x = (width - metrics.stringWidth(text)) / 2;
        int y = (TITLE_HEIGHT + metrics.getAscent() - metrics.getDescent()) / 2 + 4;
        g.drawString(text, x, y);
    }
}
