// The colours the sequence diagram draws with, derived from the application palette so the light and dark
// themes (and a projector's high contrast) apply to the diagram as they do to the panels.
#pragma once

#include <QColor>
#include <QPalette>

namespace hl::ui {

struct DiagramColors {
    QColor background, text, muted, lifeline;
    QColor client, server; // each side's accent: header boxes, arrows, notes
    QColor encrypted;      // a side's lifeline once it protects what it sends
    QColor alert, passed, failed, optional, current, flightClient, flightServer;

    static DiagramColors fromPalette(const QPalette& palette)
    {
        DiagramColors c;
        const bool dark = palette.color(QPalette::Window).lightness() < 128;
        c.background = palette.color(QPalette::Base);
        c.text = palette.color(QPalette::Text);
        c.muted = dark ? QColor(150, 150, 160) : QColor(125, 125, 135);
        c.lifeline = dark ? QColor(120, 120, 130) : QColor(160, 160, 170);
        c.client = dark ? QColor(100, 170, 255) : QColor(25, 100, 200);
        c.server = dark ? QColor(255, 170, 80) : QColor(200, 95, 0);
        c.encrypted = dark ? QColor(70, 200, 140) : QColor(20, 150, 90);
        c.alert = dark ? QColor(255, 95, 95) : QColor(200, 30, 30);
        c.passed = c.encrypted;
        c.failed = c.alert;
        c.optional = dark ? QColor(200, 140, 255) : QColor(130, 60, 190);
        c.current = palette.color(QPalette::Highlight);
        c.current.setAlpha(dark ? 70 : 45);
        c.flightClient = c.client;
        c.flightClient.setAlpha(dark ? 28 : 18);
        c.flightServer = c.server;
        c.flightServer.setAlpha(dark ? 28 : 18);
        return c;
    }
};

// Verdict colours for the panels: the diagram's, so a passed check is the same green everywhere.
inline QColor passColor(const QPalette& palette)
{
    return DiagramColors::fromPalette(palette).passed;
}
inline QColor failColor(const QPalette& palette)
{
    return DiagramColors::fromPalette(palette).failed;
}

} // namespace hl::ui
