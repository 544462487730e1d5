// Drawings are rendered from a SequenceScene built for the export (the window's own drawing code), one page at a
// time: the title, the lifeline headers, then the page's rows. Every device is set to 96 dots per inch, the
// scene's own unit, so fonts measured for the layout are the fonts drawn and nothing shifts between formats.
#include "diagram_export.h"

#include "handout.h"
#include "png_writer.h"
#include "qt_strings.h"
#include "sequence_scene.h"
#include "theme.h"

#include "trace/export_text.h"
#include "trace/pcapng.h"
#include "trace/trace_format.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QImage>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

#include <algorithm>
#include <functional>

namespace hl::ui {
namespace {

constexpr double kDpi = 96; // the scene's unit is a 1/96 in pixel, as on a screen
constexpr double kPointsToUnits = kDpi / 72.0;
constexpr double kMaxPageUnits = 14400 * kPointsToUnits; // PDF's largest page (200 in); also caps tall images
constexpr double kBottomPad = 24;                        // below the last row, so the lifelines end visibly
constexpr double kFontPoints = 10;
// A page may shrink the diagram below its width to keep it on one page, but not so far that text falls under
// 8 pt: on a 16:9 slide shown at 1920 × 1080 that is 16 px, about the smallest a class reads from the back.
constexpr double kMinScale = 8 / kFontPoints;

// Writes `data` through a temporary file in the destination folder; returns an error message or empty.
QString commitFile(const QString& path, const std::function<bool(QIODevice&)>& write)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    if (!write(file)) {
        file.cancelWriting();
        return QStringLiteral("cannot write %1").arg(path);
    }
    if (!file.commit())
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    return {};
}

QString numbered(const QString& path, int index, int count)
{
    if (count <= 1)
        return path;
    const QFileInfo info(path);
    const int width = std::max(2, static_cast<int>(QString::number(count).size()));
    const QString name = QStringLiteral("%1-%2.%3")
                             .arg(info.completeBaseName())
                             .arg(index + 1, width, 10, QLatin1Char('0'))
                             .arg(info.suffix());
    return info.path() == QLatin1String(".") && !path.startsWith(QLatin1String("./")) ? name
                                                                                      : info.dir().filePath(name);
}

DiagramColors colorsFor(ExportTheme theme)
{
    if (theme == ExportTheme::Dark)
        return DiagramColors::fromPalette(themePalette(Theme::Dark));
    DiagramColors c = DiagramColors::fromPalette(themePalette(Theme::Light));
    if (theme == ExportTheme::Print) {
        // Paper and grey-scale copiers: white, black text, darker accents, flights as faint grey bands.
        c.background = Qt::white;
        c.text = Qt::black;
        c.muted = QColor(90, 90, 90);
        c.lifeline = QColor(110, 110, 110);
        c.client = QColor(0, 70, 160);
        c.server = QColor(150, 60, 0);
        c.encrypted = QColor(0, 110, 60);
        c.passed = c.encrypted;
        c.alert = c.failed = QColor(180, 0, 0);
        c.optional = QColor(90, 30, 140);
        c.flightClient = c.flightServer = QColor(0, 0, 0, 12);
    }
    return c;
}

QSizeF pageUnits(PageKind kind)
{
    switch (kind) {
    case PageKind::Slide:
        return QSizeF(960, 540) * kPointsToUnits;
    case PageKind::A4:
        return QSizeF(595.276, 841.89) * kPointsToUnits;
    case PageKind::Letter:
        return QSizeF(612, 792) * kPointsToUnits;
    case PageKind::Tall:
        break;
    }
    return {};
}

// The drawing of an export: a scene holding the diagram, cut into pages.
class PagedDrawing {
public:
    PagedDrawing(SequenceDiagram diagram, const QString& title, PageKind kind, ExportTheme theme)
        : m_title(title), m_kind(kind)
    {
        m_scene.setChunked(false);
        m_scene.setColors(colorsFor(theme));
        m_background = colorsFor(theme).background;
        // A slide is dense, a printed page a little less, a tall image spaced like the screen.
        m_scene.setRowSpacing(kind == PageKind::Slide ? 3 : kind == PageKind::Tall ? 8 : 5);
        QFont font;
        font.setPointSizeF(kFontPoints);
        m_scene.setDiagramFont(font);
        m_scene.setDiagram(std::move(diagram));
        m_scene.setCurrentHighlightVisible(false);
        m_scene.setPosition(static_cast<int>(rows()), false);
        paginate();
    }

    std::size_t rows() const { return m_scene.diagram().rows.size(); }
    int pageCount() const { return static_cast<int>(m_pages.size()); }
    int pageOf(std::size_t row) const
    {
        for (std::size_t p = 0; p < m_pages.size(); ++p)
            if (row < m_pages[p].second)
                return static_cast<int>(p);
        return pageCount() - 1;
    }
    QSizeF pageSize(int page) const
    {
        if (m_kind != PageKind::Tall)
            return pageUnits(m_kind);
        const auto [first, last] = m_pages[static_cast<std::size_t>(page)];
        return {m_width, m_margin * 2 + (m_titleHeight + m_headerHeight + bodyHeight(first, last)) * m_scale};
    }

    // Draws page `page` with rows [0, revealed) shown; `number` is printed when the export has several pages.
    void paint(QPainter& p, int page, std::size_t revealed, const QString& number)
    {
        m_scene.setPosition(static_cast<int>(revealed), false);
        const QSizeF size = pageSize(page);
        p.fillRect(QRectF(QPointF(0, 0), size), m_background);
        p.save();
        p.translate(m_left, m_margin);
        p.scale(m_scale, m_scale);
        const double width = m_scene.sceneRect().width();
        QFont font = titleFont();
        p.setFont(font);
        const QRectF titleRect(12, 0, width - 24, m_titleHeight);
        if (!number.isEmpty()) {
            p.setPen(m_scene.colors().muted);
            p.drawText(titleRect, Qt::AlignRight | Qt::AlignVCenter, number);
        }
        const double numberWidth = number.isEmpty() ? 0 : QFontMetricsF(font).horizontalAdvance(number) + 24;
        const double titleWidth = titleRect.width() - numberWidth;
        // A long title (a failed run's outcome) steps down to the diagram's own size before it is cut.
        if (QFontMetricsF(font).horizontalAdvance(m_title) > titleWidth)
            font.setPointSizeF(m_scene.diagramFont().pointSizeF());
        p.setFont(font);
        p.setPen(m_scene.colors().text);
        p.drawText(titleRect.adjusted(0, 0, -numberWidth, 0), Qt::AlignLeft | Qt::AlignVCenter,
                   QFontMetricsF(font).elidedText(m_title, Qt::ElideRight, titleWidth));
        const double headerTop = m_titleHeight;
        m_scene.render(&p, QRectF(0, headerTop, width, m_headerHeight), QRectF(0, 0, width, m_headerHeight),
                       Qt::IgnoreAspectRatio);
        const auto [first, last] = m_pages[static_cast<std::size_t>(page)];
        const std::size_t shownLast = std::min(last, std::max(first, revealed));
        const double top = rowTop(first);
        const double bottom = shownLast == rows() || shownLast < last ? rowTop(shownLast) + kBottomPad : rowTop(last);
        if (bottom > top)
            m_scene.render(&p, QRectF(0, headerTop + m_headerHeight, width, bottom - top),
                           QRectF(0, top, width, bottom - top), Qt::IgnoreAspectRatio);
        p.restore();
    }

private:
    QFont titleFont() const
    {
        QFont f = m_scene.diagramFont();
        f.setBold(true);
        f.setPointSizeF(f.pointSizeF() * 1.25);
        return f;
    }
    double rowTop(std::size_t row) const
    {
        return row < rows() ? m_scene.rowRect(static_cast<int>(row)).top()
                            : (rows() ? m_scene.rowRect(static_cast<int>(rows() - 1)).bottom() : m_headerHeight);
    }
    double bodyHeight(std::size_t first, std::size_t last) const
    {
        return rowTop(last) - rowTop(first) + (last == rows() ? kBottomPad : 0);
    }

    void paginate()
    {
        m_headerHeight = rows() ? m_scene.rowRect(0).top() : m_scene.sceneRect().height();
        m_titleHeight = QFontMetricsF(titleFont()).height() * 1.6;
        const double sceneWidth = m_scene.sceneRect().width();
        QSizeF page = pageUnits(m_kind);
        if (m_kind == PageKind::Tall) {
            m_margin = 12;
            page = QSizeF(sceneWidth + 2 * m_margin, kMaxPageUnits);
        } else {
            m_margin = m_kind == PageKind::Slide ? 16 : 36;
        }
        m_width = page.width();
        m_scale = (page.width() - 2 * m_margin) / sceneWidth;
        const double fit = (page.height() - 2 * m_margin) / (m_titleHeight + m_headerHeight + bodyHeight(0, rows()));
        if (m_kind != PageKind::Tall && fit < m_scale && fit >= kMinScale)
            m_scale = fit; // narrower than the page, centred, but whole
        m_left = (page.width() - sceneWidth * m_scale) / 2;
        const double available = (page.height() - 2 * m_margin) / m_scale - m_titleHeight - m_headerHeight;
        m_pages.clear();
        std::size_t first = 0;
        while (first < rows() || m_pages.empty()) {
            std::size_t last = first;
            // At least one row per page, however tall, so pagination always moves on.
            while (last < rows() && (last == first || bodyHeight(first, last + 1) <= available))
                ++last;
            m_pages.emplace_back(first, last);
            if (last == first)
                break;
            first = last;
        }
    }

    SequenceScene m_scene;
    QString m_title;
    PageKind m_kind;
    QColor m_background;
    double m_margin = 12, m_left = 12, m_scale = 1, m_width = 0, m_titleHeight = 0, m_headerHeight = 0;
    std::vector<std::pair<std::size_t, std::size_t>> m_pages; // rows [first, last) of each page
};

// What a drawing export shows on each page or file: which page of the drawing, and how many rows are revealed.
struct Frame {
    int page;
    std::size_t revealed;
};

std::vector<Frame> framesFor(const PagedDrawing& drawing, bool perStep)
{
    std::vector<Frame> frames;
    if (perStep) {
        for (std::size_t row = 0; row < drawing.rows(); ++row)
            frames.push_back({drawing.pageOf(row), row + 1});
    } else {
        for (int p = 0; p < drawing.pageCount(); ++p)
            frames.push_back({p, drawing.rows()});
    }
    return frames;
}

QString frameNumber(const std::vector<Frame>& frames, std::size_t i)
{
    return frames.size() > 1 ? QStringLiteral("%1 / %2").arg(i + 1).arg(frames.size()) : QString();
}

QString writePdf(PagedDrawing& drawing, const std::vector<Frame>& frames, const QString& path, const QString& title)
{
    return commitFile(path, [&](QIODevice& out) {
        QPdfWriter pdf(&out);
        pdf.setResolution(static_cast<int>(kDpi));
        pdf.setTitle(title);
        pdf.setCreator(QStringLiteral("HandshakeLab"));
        auto setPage = [&](int page) {
            const QSizeF size = drawing.pageSize(page) / kPointsToUnits;
            return pdf.setPageSize(QPageSize(size, QPageSize::Point, QString(), QPageSize::ExactMatch)) &&
                   pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        };
        if (!setPage(frames.front().page))
            return false;
        QPainter painter;
        if (!painter.begin(&pdf))
            return false;
        painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
        for (std::size_t i = 0; i < frames.size(); ++i) {
            if (i > 0) {
                setPage(frames[i].page);
                if (!pdf.newPage())
                    return false;
            }
            drawing.paint(painter, frames[i].page, frames[i].revealed, frameNumber(frames, i));
        }
        return painter.end();
    });
}

QString writeSvg(PagedDrawing& drawing, const Frame& frame, const QString& number, const QString& path,
                 const QString& title)
{
    return commitFile(path, [&](QIODevice& out) {
        const QSizeF size = drawing.pageSize(frame.page);
        QSvgGenerator svg;
        svg.setOutputDevice(&out);
        svg.setResolution(static_cast<int>(kDpi));
        svg.setSize(size.toSize());
        svg.setViewBox(QRectF(QPointF(0, 0), size));
        svg.setTitle(title);
        svg.setDescription(QStringLiteral("TLS handshake sequence diagram exported from HandshakeLab"));
        QPainter painter;
        if (!painter.begin(&svg))
            return false;
        drawing.paint(painter, frame.page, frame.revealed, number);
        return painter.end();
    });
}

QString writePng(PagedDrawing& drawing, const Frame& frame, const QString& number, const QString& path, double scale)
{
    const QSizeF size = drawing.pageSize(frame.page);
    // Opaque: every page is painted over its background, and a PNG without alpha is a quarter less to encode.
    QImage image((size * scale).toSize(), QImage::Format_RGB32);
    if (image.isNull())
        return QStringLiteral("cannot draw %1: %2 × %3 pixels is too large; lower --scale or choose a --page")
            .arg(path)
            .arg(size.width() * scale)
            .arg(size.height() * scale);
    const int dotsPerMeter = qRound(kDpi / 0.0254);
    image.setDotsPerMeterX(dotsPerMeter);
    image.setDotsPerMeterY(dotsPerMeter);
    QPainter painter(&image);
    painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    painter.scale(scale, scale);
    drawing.paint(painter, frame.page, frame.revealed, number);
    painter.end();
    return commitFile(path, [&](QIODevice& out) { return writeFastPng(image, out); });
}

QString writeText(const QString& path, const std::string& text)
{
    return commitFile(path, [&](QIODevice& out) {
        return out.write(text.data(), static_cast<qint64>(text.size())) == static_cast<qint64>(text.size());
    });
}

void removeAll(const QStringList& files)
{
    for (const QString& f : files)
        QFile::remove(f);
}

} // namespace

QString exportDiagram(SequenceScene& scene, const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("png") && suffix != QLatin1String("svg"))
        return QStringLiteral("cannot export to \"%1\": the file name must end in .png or .svg").arg(path);
    scene.finishAnimation();
    const QRectF source = scene.shownRect();
    const bool highlight = scene.currentHighlightVisible();
    scene.setCurrentHighlightVisible(false);

    QString error;
    if (suffix == QLatin1String("png")) {
        const double scale = 2.0;
        QImage image((source.size() * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
        image.fill(scene.colors().background);
        QPainter painter(&image);
        painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
        scene.render(&painter, QRectF(QPointF(0, 0), source.size() * scale), source);
        painter.end();
        if (!image.save(path, "PNG"))
            error = QStringLiteral("cannot write %1").arg(path);
    } else {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(source.size().toSize());
        svg.setViewBox(QRectF(QPointF(0, 0), source.size()));
        svg.setTitle(QStringLiteral("TLS handshake"));
        svg.setDescription(QStringLiteral("Sequence diagram exported from HandshakeLab"));
        QPainter painter;
        if (!painter.begin(&svg)) {
            error = QStringLiteral("cannot write %1").arg(path);
        } else {
            painter.fillRect(QRectF(QPointF(0, 0), source.size()), scene.colors().background);
            scene.render(&painter, QRectF(QPointF(0, 0), source.size()), source);
            painter.end();
            if (!QFileInfo(path).exists() || QFileInfo(path).size() == 0)
                error = QStringLiteral("cannot write %1").arg(path);
        }
    }
    scene.setCurrentHighlightVisible(highlight);
    return error;
}

std::optional<ExportFormat> exportFormatOf(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    for (ExportFormat f : {ExportFormat::Svg, ExportFormat::Png, ExportFormat::Pdf, ExportFormat::PlantUml,
                           ExportFormat::Mermaid, ExportFormat::Json, ExportFormat::Pcapng})
        if (suffix == exportExtension(f))
            return f;
    if (suffix == QLatin1String("plantuml") || suffix == QLatin1String("pu"))
        return ExportFormat::PlantUml;
    if (suffix == QLatin1String("mermaid"))
        return ExportFormat::Mermaid;
    return std::nullopt;
}

QString exportExtension(ExportFormat format)
{
    switch (format) {
    case ExportFormat::Svg:
        return QStringLiteral("svg");
    case ExportFormat::Png:
        return QStringLiteral("png");
    case ExportFormat::Pdf:
        return QStringLiteral("pdf");
    case ExportFormat::PlantUml:
        return QStringLiteral("puml");
    case ExportFormat::Mermaid:
        return QStringLiteral("mmd");
    case ExportFormat::Json:
        return QStringLiteral("json");
    case ExportFormat::Pcapng:
        break;
    }
    return QStringLiteral("pcapng");
}

QString exportExtensions()
{
    return QStringLiteral("svg, png, pdf, puml, mmd, json, pcapng");
}

std::optional<PageKind> pageKindFromName(const QString& name)
{
    if (name == QLatin1String("tall"))
        return PageKind::Tall;
    if (name == QLatin1String("slide"))
        return PageKind::Slide;
    if (name == QLatin1String("a4"))
        return PageKind::A4;
    if (name == QLatin1String("letter"))
        return PageKind::Letter;
    return std::nullopt;
}

std::optional<ExportTheme> exportThemeFromName(const QString& name)
{
    if (name == QLatin1String("light"))
        return ExportTheme::Light;
    if (name == QLatin1String("dark"))
        return ExportTheme::Dark;
    if (name == QLatin1String("print"))
        return ExportTheme::Print;
    return std::nullopt;
}

SequenceDiagram exportedSequence(const Trace& trace, const ExportOptions& options)
{
    return sliceSequence(filterSequence(buildSequence(trace), options.detail), options.firstStep, options.stepCount);
}

ExportResult exportTrace(const Trace& trace, const QString& path, const ExportOptions& options)
{
    ExportResult result;
    const auto format = exportFormatOf(path);
    if (!format) {
        result.error =
            QStringLiteral("cannot export to \"%1\": unknown extension; use one of: %2").arg(path, exportExtensions());
        return result;
    }
    const QString title = options.title.isEmpty() ? qs(defaultExportTitle(trace)) : options.title;
    auto record = [&result](const QString& file, const QString& error) {
        if (!error.isEmpty()) {
            removeAll(result.files);
            result.files.clear();
            result.error = error;
            return false;
        }
        result.files << file;
        return true;
    };

    if (*format == ExportFormat::Json || *format == ExportFormat::Pcapng) {
        // The trace's own forms: everything the run recorded, whatever the drawing options say.
        if (*format == ExportFormat::Json) {
            record(path, writeText(path, traceToJson(trace)));
        } else {
            const Bytes capture = traceToPcapng(trace, {});
            record(path, writeText(path, std::string(capture.begin(), capture.end())));
        }
        return result;
    }

    const SequenceDiagram diagram = exportedSequence(trace, options);
    if (diagram.rows.empty()) {
        result.error = QStringLiteral("nothing to export to %1: the chosen steps are empty").arg(path);
        return result;
    }

    if (*format == ExportFormat::PlantUml || *format == ExportFormat::Mermaid) {
        auto text = [&](const SequenceDiagram& d) {
            return *format == ExportFormat::PlantUml ? sequenceToPlantUml(d, title.toStdString())
                                                     : sequenceToMermaid(d, title.toStdString());
        };
        if (!options.perStep) {
            record(path, writeText(path, text(diagram)));
            return result;
        }
        const int count = static_cast<int>(diagram.rows.size());
        for (int i = 0; i < count; ++i) {
            const QString file = numbered(path, i, count);
            if (!record(file, writeText(file, text(sliceSequence(diagram, 0, static_cast<std::size_t>(i) + 1)))))
                break;
        }
        return result;
    }

    if (options.handout) {
        if (*format != ExportFormat::Pdf)
            result.error = QStringLiteral("cannot write a handout to %1: a handout is a PDF").arg(path);
        else
            record(path, writeHandout(trace, diagram, title, options.page.value_or(PageKind::A4), options.theme, path));
        return result;
    }
    const PageKind page = options.page.value_or(*format == ExportFormat::Pdf ? PageKind::A4 : PageKind::Tall);
    PagedDrawing drawing(diagram, title, page, options.theme);
    const std::vector<Frame> frames = framesFor(drawing, options.perStep);
    if (*format == ExportFormat::Pdf) {
        record(path, writePdf(drawing, frames, path, title));
        return result;
    }
    const int count = static_cast<int>(frames.size());
    for (int i = 0; i < count; ++i) {
        const QString file = numbered(path, i, count);
        const QString number = frameNumber(frames, static_cast<std::size_t>(i));
        const QString error = *format == ExportFormat::Svg
                                  ? writeSvg(drawing, frames[static_cast<std::size_t>(i)], number, file, title)
                                  : writePng(drawing, frames[static_cast<std::size_t>(i)], number, file, options.scale);
        if (!record(file, error))
            break;
    }
    return result;
}

} // namespace hl::ui
