// A plain window listing a trace's events: the first view drawn from the engine's trace.
#pragma once

#include "trace/trace.h"

#include <QMainWindow>

class QTreeWidget;

namespace hl::ui {

class TraceWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit TraceWindow(QWidget* parent = nullptr);
    void showTrace(const Trace& trace);
    void showError(const QString& message);

private:
    QTreeWidget* m_tree;
};

} // namespace hl::ui
