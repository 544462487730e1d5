// Exports a run for notes, slides and diagram tools. One module serves the window and the command line:
// drawings (SVG, PNG, PDF) come from the same scene the window draws, text diagrams (PlantUML, Mermaid) from the
// same model, and the JSON and pcapng forms are the trace's own.
#pragma once

#include "trace/sequence.h"
#include "trace/trace.h"

#include <QString>
#include <QStringList>

#include <cstddef>
#include <limits>
#include <optional>

namespace hl::ui {

class SequenceScene;

// Saves the diagram as it stands at the current step (the window's Ctrl+E): PNG at twice the screen resolution,
// or SVG. Returns an empty string on success, otherwise a message naming what went wrong.
QString exportDiagram(SequenceScene& scene, const QString& path);

enum class ExportFormat { Svg, Png, Pdf, PlantUml, Mermaid, Json, Pcapng };
// From a file name's extension, case-insensitively; nothing for an unknown one.
std::optional<ExportFormat> exportFormatOf(const QString& path);
// "svg, png, pdf, puml, mmd, json, pcapng", for messages.
QString exportExtensions();
QString exportExtension(ExportFormat format);

// Page shapes, in points: a 16:9 slide (13.33 × 7.5 in, what presentation programs use), A4 and US Letter
// portrait, or one page as tall as the diagram.
enum class PageKind { Tall, Slide, A4, Letter };
std::optional<PageKind> pageKindFromName(const QString& name);

enum class ExportTheme { Light, Dark, Print };
std::optional<ExportTheme> exportThemeFromName(const QString& name);

struct ExportOptions {
    DetailLevel detail = DetailLevel::All;
    // Steps (rows at the chosen detail level) from `firstStep` on, at most `stepCount` of them; 0-based.
    std::size_t firstStep = 0;
    std::size_t stepCount = std::numeric_limits<std::size_t>::max();
    ExportTheme theme = ExportTheme::Light;
    QString title;                // empty: scenario, version, suite and outcome
    std::optional<PageKind> page; // unset: tall for images, A4 for PDF
    double scale = 1.5;           // PNG pixels per 1/96 in: a slide is 1920 × 1080
    bool perStep = false;         // one page (PDF) or one file (others) per step, each adding that step
    bool handout = false;         // PDF only: the annotated handout (handout.h) instead of the diagram's pages
};

struct ExportResult {
    QStringList files; // what was written, in order
    QString error;     // empty on success; then nothing was left behind
};

// Writes `path` in the format its extension names. Drawings that need several pages as images, and per-step
// text or images, go to numbered siblings ("d-01.svg", "d-02.svg", ...). Every file is written to a temporary
// file in its folder and renamed into place, so a failure leaves neither a half-written file nor a partial set.
ExportResult exportTrace(const Trace& trace, const QString& path, const ExportOptions& options);

// The diagram an export draws: `trace` at the options' detail level and range of steps.
SequenceDiagram exportedSequence(const Trace& trace, const ExportOptions& options);

} // namespace hl::ui
