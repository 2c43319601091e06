// One converse-stream response of the simulator, written event by event on a timer.
#pragma once

#include "http/ResponseWriter.h"
#include "simulator/SimulatorReply.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>

namespace quarry::bedrock {

// Lives on the worker thread of its connection and deletes itself when the stream ends or the
// client goes away. Pauses while the connection's send buffer is full (backpressure).
class SimulatorStream : public QObject
{
    Q_OBJECT

public:
    // Ticks per stream at most: long replies send several deltas per tick to stay fast.
    static constexpr int MaximumTicks = 500;
    // Content frames (deltas for a text reply) sent before "[sim:stream-exception]" interrupts the stream.
    static constexpr int DeltasBeforeException = 3;

    SimulatorStream(std::shared_ptr<http::ResponseWriter> writer, SimulatorReply reply, bool injectException,
                    QElapsedTimer started, QObject *parent);

    void start();

private:
    void tick();
    bool writeNextDelta(); // false once the stream has ended
    void finish();
    void stop();

    std::shared_ptr<http::ResponseWriter> m_writer;
    SimulatorReply m_reply;
    QList<QByteArray> m_frames; // SimulatorResponses::contentFrames()
    qsizetype m_next = 0;
    qsizetype m_deltasPerTick = 1;
    bool m_injectException = false;
    QElapsedTimer m_started;
    QTimer m_timer;
};

} // namespace quarry::bedrock
