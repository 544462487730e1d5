// The client's cipher-suite offer, edited as a list: tick the suites to offer, drag (or move with the buttons) to
// set the order of preference. Insecure suites say why in their tooltip.
#pragma once

#include <QDialog>

#include <cstdint>
#include <vector>

class QListWidget;

namespace hl::ui {

class SuiteOfferDialog : public QDialog {
    Q_OBJECT
public:
    // `offer` in order; every other suite the engine speaks follows, unticked.
    explicit SuiteOfferDialog(const std::vector<std::uint16_t>& offer, QWidget* parent = nullptr);

    // The ticked suites, top to bottom.
    std::vector<std::uint16_t> offer() const;
    // Replaces the list with `offer` ticked first, in order, then the rest unticked.
    void setOffer(const std::vector<std::uint16_t>& offer);
    QListWidget* list() const { return m_list; }

private:
    void moveCurrent(int by);

    QListWidget* m_list = nullptr;
};

} // namespace hl::ui
