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
        setPosition(m_position + 1);
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

void Stepper::stepForward()
{
    setPosition(m_position + 1);
}
void Stepper::stepBack()
{
    setPosition(m_position - 1);
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
    const int base = m_dwell ? m_dwell(m_position + 1) : 800;
    m_timer.start(std::max(10, static_cast<int>(base / m_speed)));
}

} // namespace hl::ui
