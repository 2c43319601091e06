// Writes a prepared invoke-with-response-stream answer frame by frame on a timer.
#pragma once

#include "http/ResponseWriter.h"

#include <QList>
#include <QObject>
#include <QTimer>

#include <memory>

namespace quarry::bedrock {

// Like SimulatorStream (converse-stream): lives on its connection's worker thread, pauses while
// the send buffer is full, and deletes itself when done or when the client goes away.
class SimulatorNativeStream : public QObject
{
    Q_OBJECT

public:
    static constexpr int MaximumTicks = 500;
    // Frames sent before "[sim:stream-exception]" interrupts the stream with a throttlingException.
    static constexpr int FramesBeforeException = 3;

    SimulatorNativeStream(std::shared_ptr<http::ResponseWriter> writer, http::HttpHeaders headers,
                          QList<QByteArray> frames, bool injectException, QObject *parent);

    void start();

private:
    void tick();
    void stop();

    std::shared_ptr<http::ResponseWriter> m_writer;
    http::HttpHeaders m_headers;
    QList<QByteArray> m_frames;
    qsizetype m_next = 0;
    qsizetype m_framesPerTick = 1;
    bool m_injectException = false;
    QTimer m_timer;
};

} // namespace quarry::bedrock
