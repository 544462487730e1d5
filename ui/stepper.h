// The current step of a run and its playback: one position (how many trace events have happened) that every
// view follows, moved one event at a time by the transport bar, the keyboard, the timeline or a click.
#pragma once

#include <QObject>
#include <QTimer>

#include <functional>
#include <vector>

namespace hl::ui {

class Stepper : public QObject {
    Q_OBJECT
public:
    explicit Stepper(QObject* parent = nullptr);

    int count() const { return m_count; }
    int position() const { return m_position; }
    bool playing() const { return m_playing; }
    double speed() const { return m_speed; }

    // A new run: `count` events, starting at `position`. Stops playback.
    void reset(int count, int position = 0);
    // How long (ms, at speed 1) the view dwells on the step that leads to `position` while playing.
    void setDwell(std::function<int(int position)> dwell) { m_dwell = std::move(dwell); }
    // Asked before each step forward (a key, the transport's button or playback): false holds the run where it is
    // and pauses it. Jumps are not asked.
    void setGate(std::function<bool(int from, int to)> gate) { m_gate = std::move(gate); }
    // The positions a step lands on, ascending; empty: every position. A diagram that folds events away steps
    // from one row it shows to the next, while the panels still follow every event. Stops are positions after the
    // start, which is always one.
    void setStops(std::vector<int> stops);
    const std::vector<int>& stops() const { return m_stops; }
    // The stop nearest `position` (the position itself when every position is a stop).
    int nearestStop(int position) const;
    // The number of stops up to and including `position`, and their total: "step 3 of 17" at any detail.
    int stepsTo(int position) const;
    // The position of step `step` (counted from 1, as the transport bar shows it); 0 is the start.
    int positionOfStep(int step) const;
    int steps() const;

public slots:
    void setPosition(int position);
    void stepForward();
    void stepBack();
    void toStart();
    void toEnd();
    void play();
    void pause();
    void togglePlay();
    void setSpeed(double speed);

signals:
    // `previous` lets views animate a single step forward and jump otherwise.
    void positionChanged(int position, int previous);
    void playingChanged(bool playing);

private:
    void scheduleNext();
    int nextStop(int position) const;
    int previousStop(int position) const;

    int m_count = 0;
    int m_position = 0;
    double m_speed = 1.0;
    bool m_playing = false;
    QTimer m_timer;
    std::function<int(int)> m_dwell;
    std::function<bool(int, int)> m_gate;
    std::vector<int> m_stops;
};

} // namespace hl::ui
