// The animated sequence diagram: Client and Server lifelines, one row per trace event, revealed up to the
// current step. Records fly from sender to receiver; notes (secrets, checks, states) sit on the lifeline of
// the side that acted; skipped optional steps are greyed with their reason.
#pragma once

#include "diagram_colors.h"
#include "trace/sequence.h"

#include <QGraphicsScene>
#include <QVariantAnimation>

#include <vector>

class QGraphicsRectItem;
class QGraphicsLineItem;
class QGraphicsSimpleTextItem;

namespace hl::ui {

class SequenceRowItem;
class SequenceChunk;

class SequenceScene : public QGraphicsScene {
    Q_OBJECT
public:
    explicit SequenceScene(QObject* parent = nullptr);
    ~SequenceScene() override;

    // Builds every row's item once; stepping then only shows and hides them. `numbers` gives each row the number
    // it is known by in class (0: none), counted over the whole run so a detail level keeps them.
    void setDiagram(SequenceDiagram diagram, std::vector<int> numbers = {});
    int number(int row) const;
    const SequenceDiagram& diagram() const { return m_diagram; }

    // Shows rows [0, position). `animate` plays the newest row's arrival (used for a single step forward).
    void setPosition(int position, bool animate);
    int position() const { return m_position; }

    void setColors(const DiagramColors& colors);
    const DiagramColors& colors() const { return m_colors; }
    // Font changes relayout the rows so labels always fit their row.
    void setDiagramFont(const QFont& font);
    const QFont& diagramFont() const { return m_font; }
    // The vertical gap between a row's label, arrow and detail line (8 on screen); a slide tightens it so a whole
    // handshake fits one page.
    void setRowSpacing(double gap);
    // Compact: one line per message (its detail beside its label) and narrow margins, so the messages detail fits a
    // whole handshake on one small screen. Notes keep their lines.
    void setCompact(bool compact);
    bool compact() const { return m_compact; }
    // Chunked (the window): rows hang from parents of 64 so painting and stepping skip what is off screen. Exports
    // turn it off before setDiagram: QGraphicsScene::render draws every child of a parent it meets, so a page would
    // carry the rows of its neighbours in its file, clipped or not. Takes effect at the next setDiagram.
    void setChunked(bool chunked) { m_chunked = chunked; }
    void setAnimationSpeed(double speed) { m_speed = speed; }
    bool animating() const { return m_animation.state() == QAbstractAnimation::Running; }
    void finishAnimation();

    QRectF rowRect(int row) const;
    // Keeps the Client and Server boxes at scene height `top` (the view's top edge while it scrolls), over a band
    // that hides the rows passing under them; 0 puts them back at the top, where exports draw them.
    void setHeaderTop(double top);
    // The boxes with their band, where they are drawn now.
    QRectF headerRect() const;
    // The part of the scene that shows something at the current position: the header and the revealed rows.
    QRectF shownRect() const;
    // Exports hide the band that marks the current step.
    void setCurrentHighlightVisible(bool visible);
    bool currentHighlightVisible() const { return m_highlightCurrent; }
    double laneX(Side side) const;
    // What is drawn, as text: one line per visible row plus the encryption bars, for tests and exports.
    QStringList describeVisible() const;

signals:
    void rowActivated(int row);

private:
    friend class SequenceRowItem;
    void layout();
    void updateRevealed();
    double noteWidth(Side side) const;
    double noteHeight(const SequenceRow& row) const;

    SequenceDiagram m_diagram;
    std::vector<int> m_numbers;
    DiagramColors m_colors;
    QFont m_font;
    double m_speed = 1.0;
    double m_gap = 8;
    bool m_compact = false;
    bool m_chunked = true;
    double m_width = 960;
    double m_clientX = 270;
    double m_serverX = 690;
    int m_position = 0;
    bool m_highlightCurrent = true;
    std::vector<SequenceRowItem*> m_rows;
    std::vector<double> m_rowTop;
    double m_bottom = 0;
    QGraphicsRectItem* m_clientBox = nullptr;
    QGraphicsRectItem* m_serverBox = nullptr;
    QGraphicsSimpleTextItem* m_clientTitle = nullptr;
    QGraphicsSimpleTextItem* m_serverTitle = nullptr;
    QGraphicsLineItem* m_clientLine = nullptr;
    QGraphicsLineItem* m_serverLine = nullptr;
    QGraphicsRectItem* m_clientEncrypted = nullptr;
    QGraphicsRectItem* m_serverEncrypted = nullptr;
    QGraphicsRectItem* m_current = nullptr;
    QGraphicsRectItem* m_headerBand = nullptr;
    double m_headerTop = 0;
    double m_headerHeight = 0;
    // The lifeline bars of the connections after the first (a resumption run): each side's starts at its first
    // protected record in that connection and ends where the next connection begins.
    struct LaterBar {
        QGraphicsRectItem* item = nullptr;
        Side side = Side::Client;
        long long from = -1;
        long long until = -1; // exclusive; the row count when it is the last connection
    };
    std::vector<LaterBar> m_laterBars;
    long long m_firstConnectionEnd = 0; // the first row of the second connection, or the row count
    // The rows whose flights may be out of date: those between the last position shown and the current one.
    int m_flightsFrom = 0;
    int m_flightsTo = 0;
    // The parents the rows, flight bands and flight labels hang from, a run of them each (sequence_scene.cpp).
    std::vector<SequenceChunk*> m_rowChunks;
    std::vector<SequenceChunk*> m_bandChunks;
    std::vector<SequenceChunk*> m_labelChunks;
    std::vector<QGraphicsRectItem*> m_flightBands;
    std::vector<QGraphicsSimpleTextItem*> m_flightLabels;
    QVariantAnimation m_animation;
    SequenceRowItem* m_animated = nullptr;
};

} // namespace hl::ui
