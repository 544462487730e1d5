// Playback advances with a single-shot timer per step, so the dwell can differ per event (a record's flight
// takes longer to watch than a note) and the UI thread is never blocked.
#include "stepper.h"

#include <algorithm>

namespace hl::ui {

Stepper::Stepper(QObject* parent) : QObject(parent)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (m_position >= m_count) {
            pause();
            return;
        }
        const int next = nextStop(m_position);
        if (m_gate && !m_gate(m_position, next)) {
            pause();
            return;
        }
        setPosition(next);
        if (m_position >= m_count)
            pause();
        else
            scheduleNext();
    });
}

void Stepper::reset(int count, int position)
{
    pause();
    m_count = std::max(0, count);
    const int previous = m_position;
    m_position = std::clamp(position, 0, m_count);
    emit positionChanged(m_position, previous == m_position ? -1 : previous);
}

void Stepper::setPosition(int position)
{
    position = std::clamp(position, 0, m_count);
    if (position == m_position)
        return;
    const int previous = m_position;
    m_position = position;
    emit positionChanged(m_position, previous);
}

void Stepper::setStops(std::vector<int> stops)
{
    std::sort(stops.begin(), stops.end());
    stops.erase(std::unique(stops.begin(), stops.end()), stops.end());
    m_stops = std::move(stops);
}

int Stepper::nextStop(int position) const
{
    if (m_stops.empty())
        return position + 1;
    const auto it = std::upper_bound(m_stops.begin(), m_stops.end(), position);
    return it == m_stops.end() ? position : *it;
}

int Stepper::previousStop(int position) const
{
    if (m_stops.empty())
        return position - 1;
    const auto it = std::lower_bound(m_stops.begin(), m_stops.end(), position);
    return it == m_stops.begin() ? 0 : *std::prev(it);
}

int Stepper::nearestStop(int position) const
{
    position = std::clamp(position, 0, m_count);
    if (m_stops.empty())
        return position;
    const auto it = std::lower_bound(m_stops.begin(), m_stops.end(), position);
    const int before = it == m_stops.begin() ? 0 : *std::prev(it);
    if (it == m_stops.end())
        return before;
    return *it - position <= position - before ? *it : before;
}

int Stepper::stepsTo(int position) const
{
    if (m_stops.empty())
        return position;
    const auto it = std::upper_bound(m_stops.begin(), m_stops.end(), position);
    return static_cast<int>(it - m_stops.begin());
}

int Stepper::positionOfStep(int step) const
{
    if (m_stops.empty() || step <= 0)
        return std::clamp(step, 0, m_count);
    return m_stops[static_cast<std::size_t>(std::min(step, static_cast<int>(m_stops.size())) - 1)];
}

int Stepper::steps() const
{
    return m_stops.empty() ? m_count : static_cast<int>(m_stops.size());
}

void Stepper::stepForward()
{
    const int next = nextStop(m_position);
    if (next != m_position && m_gate && !m_gate(m_position, next)) {
        pause();
        return;
    }
    setPosition(next);
}
void Stepper::stepBack()
{
    setPosition(previousStop(m_position));
}
void Stepper::toStart()
{
    setPosition(0);
}
void Stepper::toEnd()
{
    setPosition(m_count);
}

void Stepper::play()
{
    if (playing() || m_count == 0)
        return;
    if (m_position >= m_count)
        setPosition(0); // playing at the end starts over, as media players do
    m_playing = true;
    scheduleNext();
    emit playingChanged(true);
}

void Stepper::pause()
{
    m_timer.stop();
    if (!m_playing)
        return;
    m_playing = false;
    emit playingChanged(false);
}

void Stepper::togglePlay()
{
    playing() ? pause() : play();
}

void Stepper::setSpeed(double speed)
{
    m_speed = std::clamp(speed, 0.1, 16.0);
}

void Stepper::scheduleNext()
{
    const int base = m_dwell ? m_dwell(nextStop(m_position)) : 800;
    m_timer.start(std::max(10, static_cast<int>(base / m_speed)));
}

} // namespace hl::ui
