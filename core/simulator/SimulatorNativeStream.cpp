// Sends an invoke-with-response-stream answer one tick at a time, with backpressure.
#include "simulator/SimulatorNativeStream.h"

#include "simulator/SimulatorResponses.h"

#include <QPointer>

namespace quarry::bedrock {

SimulatorNativeStream::SimulatorNativeStream(std::shared_ptr<http::ResponseWriter> writer,
                                             http::HttpHeaders headers, QList<QByteArray> frames,
                                             bool injectException, QObject *parent)
    : QObject(parent), m_writer(std::move(writer)), m_headers(std::move(headers)),
      m_frames(std::move(frames)), m_injectException(injectException)
{
    m_framesPerTick = qMax<qsizetype>(1, (m_frames.size() + MaximumTicks - 1) / MaximumTicks);
    m_timer.setInterval(1);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &SimulatorNativeStream::tick);
}

void SimulatorNativeStream::start()
{
    const QPointer<SimulatorNativeStream> self(this);
    m_writer->setClientGoneCallback([self] {
        if (self)
            self->stop();
    });
    m_writer->setDrainedCallback([self] {
        if (self && !self->m_timer.isActive())
            self->m_timer.start();
    });
    m_writer->startStream(200, m_headers);
    m_timer.start();
}

void SimulatorNativeStream::tick()
{
    if (!m_writer->isClientConnected())
        return stop();
    for (qsizetype i = 0; i < m_framesPerTick; ++i) {
        if (m_writer->pendingBytes() > http::ResponseWriter::kHighWaterBytes) {
            m_timer.stop(); // the drained callback restarts it
            return;
        }
        if (m_injectException && m_next == FramesBeforeException) {
            m_writer->writeStreamData(SimulatorResponses::throttlingExceptionFrame());
            m_writer->endStream();
            return stop();
        }
        if (m_next >= m_frames.size()) {
            m_writer->endStream();
            return stop();
        }
        m_writer->writeStreamData(m_frames.at(m_next++));
    }
}

void SimulatorNativeStream::stop()
{
    // The writer's callbacks hold a QPointer and do nothing once this object is gone.
    m_timer.stop();
    deleteLater();
}

} // namespace quarry::bedrock
