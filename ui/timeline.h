// The timeline under the transport bar: one tick per trace event, coloured by who acted, with the current
// position; clicking or dragging moves there. It shows at a glance where the records, keys and alerts are.
#pragma once

#include "trace/sequence.h"

#include <QWidget>

namespace hl::ui {

class Timeline : public QWidget {
    Q_OBJECT
public:
    explicit Timeline(QWidget* parent = nullptr);
    void setDiagram(const SequenceDiagram* diagram);
    void setPosition(int position);
    // Events the diagram folds away at this level are drawn as faint short ticks.
    void setDetail(DetailLevel detail);
    int position() const { return m_position; }
    QSize sizeHint() const override { return {400, 34}; }
    QSize minimumSizeHint() const override { return {120, 28}; }
    // The position a click at x would choose.
    int positionAt(double x) const;

signals:
    void positionRequested(int position);

protected:
    bool event(QEvent* e) override;
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;

private:
    const SequenceDiagram* m_diagram = nullptr;
    int m_position = 0;
    DetailLevel m_detail = DetailLevel::All;
};

} // namespace hl::ui
