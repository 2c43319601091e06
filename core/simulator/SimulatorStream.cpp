// Streams the simulator's reply as ConverseStream events, one timer tick between deltas.
#include "simulator/SimulatorStream.h"

#include "simulator/SimulatorResponses.h"

#include <QPointer>

namespace quarry::bedrock {

SimulatorStream::SimulatorStream(std::shared_ptr<http::ResponseWriter> writer, SimulatorReply reply,
                                 bool injectException, QElapsedTimer started, QObject *parent)
    : QObject(parent), m_writer(std::move(writer)), m_reply(std::move(reply)), m_frames(SimulatorResponses::contentFrames(m_reply)),
      m_injectException(injectException), m_started(started)
{
    m_deltasPerTick = qMax<qsizetype>(1, (m_frames.size() + MaximumTicks - 1) / MaximumTicks);
    m_timer.setInterval(1);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &SimulatorStream::tick);
}

void SimulatorStream::start()
{
    const QPointer<SimulatorStream> self(this);
    m_writer->setClientGoneCallback([self] {
        if (self)
            self->stop();
    });
    m_writer->setDrainedCallback([self] {
        if (self && !self->m_timer.isActive())
            self->m_timer.start();
    });
    m_writer->startStream(200, SimulatorResponses::streamHeaders());
    m_writer->writeStreamData(SimulatorResponses::messageStartEvent());
    m_timer.start();
}

void SimulatorStream::tick()
{
    if (!m_writer->isClientConnected())
        return stop();
    for (qsizetype i = 0; i < m_deltasPerTick; ++i) {
        if (m_writer->pendingBytes() > http::ResponseWriter::kHighWaterBytes) {
            m_timer.stop(); // the drained callback restarts it
            return;
        }
        if (!writeNextDelta())
            return;
    }
}

bool SimulatorStream::writeNextDelta()
{
    if (m_injectException && m_next == DeltasBeforeException) {
        m_writer->writeStreamData(SimulatorResponses::throttlingExceptionFrame());
        m_writer->endStream();
        stop();
        return false;
    }
    if (m_next >= m_frames.size()) {
        finish();
        return false;
    }
    m_writer->writeStreamData(m_frames.at(m_next++));
    return true;
}

void SimulatorStream::finish()
{
    m_writer->writeStreamData(SimulatorResponses::messageStopEvent(m_reply.stopReason));
    m_writer->writeStreamData(SimulatorResponses::metadataEvent(m_reply, m_started.elapsed()));
    m_writer->endStream();
    stop();
}

void SimulatorStream::stop()
{
    // The writer's callbacks stay set (resetting one from inside itself would destroy the running
    // lambda); they hold a QPointer and do nothing once this object is gone.
    m_timer.stop();
    deleteLater();
}

} // namespace quarry::bedrock
