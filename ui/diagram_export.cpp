// Renders the revealed part of the scene, without the current-step highlight, through QPainter onto an image
// or QSvgGenerator: the export draws exactly what the window draws.
#include "diagram_export.h"

#include "sequence_scene.h"

#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QSvgGenerator>

namespace hl::ui {

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

} // namespace hl::ui
